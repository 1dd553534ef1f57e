"""House rules in the portal: the current rule set of the resident's house by category, and signing it."""

from residents.models import RuleAcknowledgement
from tests.residents.rules_factories import current_set, house_rule, publish_defaults, sign

from .portal_factories import neighbour_in, portal_client

SIGN = "Sign the house rules"


def _sign(member, signature, **extra):
    return portal_client(member).submit("/portal/rules/", {"signature": signature}, button=SIGN, **extra)


def test_the_rules_are_grouped_by_category_with_their_consequences(operator, house, resident_member):
    publish_defaults(operator)
    house_rule(operator, house, text="Quiet hours from 10 pm to 7 am.", category="conduct")
    response = portal_client(resident_member).get("/portal/rules/")
    labels = [label for label, _versions in response.context["rules"].categories]
    assert labels == ["Substances", "Curfew", "Chores", "Conduct"]  # the order categories are declared in
    body = response.content.decode()
    assert "Quiet hours from 10 pm to 7 am." in body
    assert "If broken:</span> Loss of passes for a week." in body
    assert f"version {current_set(house).number}" in body


def test_signing_records_the_signature_and_address_and_the_page_then_shows_it(operator, house, resident_member):
    publish_defaults(operator)
    rule_set = current_set(house)
    resident = resident_member.resident
    response = _sign(resident_member, f"  {resident.legal_name.upper()} ", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    acknowledgement = RuleAcknowledgement.objects.get(resident=resident)
    assert (acknowledgement.rule_set, acknowledgement.ip_address, acknowledgement.signed_by) == (
        rule_set, "198.51.100.7", resident_member.user,
    )  # fmt: skip
    page = portal_client(resident_member).get("/portal/rules/").content.decode()
    assert f"You signed version {rule_set.number} on" in page
    assert 'id="sign-heading"' not in page  # nothing left to sign
    assert f"Version {rule_set.number} of the {house.name} rules" in page


def test_signing_says_so(operator, house, resident_member):
    publish_defaults(operator)
    response = _sign(resident_member, resident_member.resident.legal_name, follow=True)
    assert f"Thank you. You signed version 1 of the {house.name} rules." in response.content.decode()


def test_a_wrong_name_is_refused_beside_the_field_keeps_what_was_typed_and_writes_nothing(
    operator, house, resident_member
):
    publish_defaults(operator)
    response = _sign(resident_member, "Somebody Else")
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "signature": ["The signature must be your full legal name (first and last) as the house has it on file."]
    }
    body = response.content.decode()
    assert 'id="id_signature_error"' in body
    assert 'value="Somebody Else"' in body
    assert not RuleAcknowledgement.objects.exists()


def test_an_empty_signature_is_refused_beside_the_field(operator, house, resident_member):
    publish_defaults(operator)
    response = _sign(resident_member, "")
    assert response.status_code == 400
    assert "signature" in response.context["form"].errors
    assert not RuleAcknowledgement.objects.exists()


def test_signing_a_version_replaced_meanwhile_says_to_read_the_new_one(operator, house, resident_member):
    publish_defaults(operator)
    signature = {"signature": resident_member.resident.legal_name}
    sign_version_1 = portal_client(resident_member).load_form("/portal/rules/", signature, button=SIGN)
    house_rule(operator, house)  # publishes version 2 while the page still shows version 1
    response = sign_version_1()
    assert response.status_code == 400
    assert "has been replaced by version 2" in response.content.decode()
    assert not RuleAcknowledgement.objects.exists()


def test_a_new_version_asks_for_a_new_signature_and_lists_the_old_one(operator, house, resident_member):
    publish_defaults(operator)
    sign(resident_member.resident, house)
    house_rule(operator, house)
    response = portal_client(resident_member).get("/portal/rules/")
    assert response.context["rules"].needs_signing
    body = response.content.decode()
    assert "Not signed yet" in body
    assert f"Version 1 of the {house.name} rules" in body


def test_only_the_residents_own_signatures_are_listed(operator, house, resident_member):
    publish_defaults(operator)
    neighbour = neighbour_in(operator, house)
    sign(neighbour.resident, house)
    response = portal_client(resident_member).get("/portal/rules/")
    assert response.context["rules"].signatures == []
    assert "You have not signed any house rules yet." in response.content.decode()


def test_a_house_with_no_rules_says_what_happens_next(house, resident_member):
    body = portal_client(resident_member).get("/portal/rules/").content.decode()
    assert f"{house.name} has no rules published here yet." in body
