"""House rules in two languages: Spanish beside the English in the rule editor (page and API), the portal showing
the rules in the resident's language and recording the language signed, and the unsigned list flagging a resident
whose language the current rules have no text in."""

from datetime import date

import pytest

from accounts.exceptions import Invalid
from residents.house_rules import services
from residents.house_rules.selectors import has_language, unsigned_residents
from residents.models import HouseRule, RuleAcknowledgement
from tests.factories import admit
from tests.forms import FormClient

from .rules_factories import DEFAULTS, current_set, publish_defaults, sign

SPANISH = {
    "No alcohol or drugs on the property or in your body.": (
        "No se permite alcohol ni drogas en la propiedad ni en su cuerpo.",
        "Salida de la casa, con la posibilidad de volver a solicitar.",
    ),
    "Be inside by 10 pm on weeknights and midnight on weekends.": (
        "Esté dentro de la casa a las 10 pm entre semana y a la medianoche los fines de semana.",
        "Pierde sus pases por una semana.",
    ),
    "Do your assigned chore each day before 8 pm.": (
        "Haga su tarea asignada cada día antes de las 8 pm.",
        "Una tarea extra al día siguiente.",
    ),
}
SIGN = "Sign the house rules"
SIGN_ENGLISH = "Sign the English rules"


def give_spanish(operator, rules=None) -> None:
    """Publishes the Spanish text of every active rule (or of ``rules``) as one new version."""
    rules = rules if rules is not None else HouseRule.objects.active().filter(organization=operator.organization)
    changes = [
        services.RuleChange(rule=rule, text_es=SPANISH[rule.current_version.text][0],
                            consequence_es=SPANISH[rule.current_version.text][1])
        for rule in rules
    ]  # fmt: skip
    services.rules_publish(actor=operator, changes=changes, note="Spanish")


def reads_spanish(resident, *, ui: str = "en"):
    resident.preferred_language = "es"
    resident.save(update_fields=["preferred_language"])
    if resident.membership_id:
        resident.membership.user.preferred_language = ui
        resident.membership.user.save(update_fields=["preferred_language"])
    return resident


def portal(member) -> FormClient:
    client = FormClient()
    client.force_login(member.user)
    return client


# The editor ------------------------------------------------------------------------------------------------------


def test_the_rule_editor_saves_spanish_text_as_a_new_version_of_the_rule(page, operator, house):
    rule = publish_defaults(operator)[0]
    url = f"/dashboard/houses/{house.pk}/rules/{rule.pk}/edit/"
    spanish = {"text_es": "No se permite alcohol.", "consequence_es": "Salida de la casa."}
    response = page(operator).submit(url, spanish, button="Save and publish")
    assert response.status_code == 302
    rule.refresh_from_db()
    version = rule.current_version
    assert (version.number, version.text, version.text_es, version.consequence_es) == (
        2, DEFAULTS[0][1], "No se permite alcohol.", "Salida de la casa.",
    )  # fmt: skip
    assert rule.versions.get(number=1).text_es == ""  # the old version is kept as it was
    assert current_set(house).number == 2


def test_the_rule_editor_shows_the_spanish_text_to_revise(page, operator, house):
    rule = publish_defaults(operator)[0]
    give_spanish(operator, [rule])
    body = page(operator).get(f"/dashboard/houses/{house.pk}/rules/{rule.pk}/edit/").content.decode()
    assert "No se permite alcohol ni drogas en la propiedad ni en su cuerpo.</textarea>" in body


def test_adding_a_rule_with_its_spanish_on_the_rules_page_saves_both(page, manager, operator, house):
    publish_defaults(operator)
    rule = {
        "category": "guests", "text": "Guests leave by 9 pm.", "consequence": "No guests for a week.",
        "text_es": "Las visitas se van a las 9 pm.", "consequence_es": "Sin visitas por una semana.",
    }  # fmt: skip
    page(manager).submit(f"/dashboard/houses/{house.pk}/rules/", rule, button="Add and publish")
    version = current_set(house).rules.get(text="Guests leave by 9 pm.")
    assert version.text_es == "Las visitas se van a las 9 pm."
    assert version.consequence_es == "Sin visitas por una semana."


def test_spanish_text_without_its_spanish_consequence_is_refused_beside_the_field(page, operator, house):
    rule = publish_defaults(operator)[0]
    url = f"/dashboard/houses/{house.pk}/rules/{rule.pk}/edit/"
    response = page(operator).submit(url, {"text_es": "No se permite alcohol."}, button="Save and publish")
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "consequence_es": ["Give the Spanish consequence too, or leave both Spanish fields empty."]
    }
    assert current_set(house).number == 1


def test_the_api_revises_a_rule_with_spanish_as_a_new_version(api, operator, house):
    rule = publish_defaults(operator)[0]
    body = {"text_es": "No se permite alcohol.", "consequence_es": "Salida de la casa."}
    response = api(operator).patch(f"/api/v1/house-rules/{rule.pk}/", body, format="json")
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["text_es"]) == (2, "No se permite alcohol.")
    assert [v["text_es"] for v in response.json()["versions"]] == ["", "No se permite alcohol."]


def test_the_api_says_which_languages_a_rule_set_can_be_read_in(api, operator, house, resident_member):
    rules = publish_defaults(operator)
    give_spanish(operator, rules[:2])
    url = f"/api/v1/houses/{house.pk}/rule-set/"
    assert api(resident_member).get(url).json()["languages"] == ["en"]
    give_spanish(operator, rules[2:])
    assert api(resident_member).get(url).json()["languages"] == ["en", "es"]


def test_a_rule_set_has_spanish_only_when_every_rule_has_its_text_and_consequence(operator, house):
    rules = publish_defaults(operator)
    give_spanish(operator, rules[:2])
    assert not has_language(current_set(house).rules.all(), "es")
    give_spanish(operator, rules[2:])
    assert has_language(current_set(house).rules.all(), "es")


# The portal --------------------------------------------------------------------------------------------------------


def test_a_resident_who_reads_spanish_reads_the_rules_in_spanish(operator, house, resident_member):
    publish_defaults(operator)
    give_spanish(operator)
    reads_spanish(resident_member.resident)
    body = portal(resident_member).get("/portal/rules/").content.decode()
    assert "No se permite alcohol ni drogas en la propiedad ni en su cuerpo." in body
    assert "Salida de la casa, con la posibilidad de volver a solicitar." in body
    assert "No alcohol or drugs on the property or in your body." not in body
    assert 'id="rule-text" lang="es"' in body


def test_a_resident_who_reads_english_reads_the_english_rules(operator, house, resident_member):
    publish_defaults(operator)
    give_spanish(operator)
    body = portal(resident_member).get("/portal/rules/").content.decode()
    assert "No alcohol or drugs on the property or in your body." in body
    assert "No se permite alcohol" not in body


def test_the_portal_rules_page_is_in_spanish_for_a_resident_who_reads_spanish(operator, house, resident_member):
    publish_defaults(operator)
    give_spanish(operator)
    reads_spanish(resident_member.resident, ui="es")
    body = portal(resident_member).get("/portal/rules/").content.decode()
    assert "<h1>Reglas de la casa</h1>" in body
    assert "Si no se cumple:" in body
    assert "Firmar las reglas de la casa" in body


def test_signing_the_spanish_rules_records_spanish(operator, house, resident_member):
    publish_defaults(operator)
    give_spanish(operator)
    resident = reads_spanish(resident_member.resident)
    response = portal(resident_member).submit("/portal/rules/", {"signature": resident.legal_name}, button=SIGN)
    assert response.status_code == 302
    assert RuleAcknowledgement.objects.get(resident=resident).language == "es"


def test_where_spanish_is_missing_a_spanish_reader_gets_the_english_and_a_notice_in_spanish(
    operator, house, resident_member
):
    publish_defaults(operator)
    reads_spanish(resident_member.resident)  # the page itself in English: the notice is in Spanish all the same
    body = portal(resident_member).get("/portal/rules/").content.decode()
    assert "No alcohol or drugs on the property or in your body." in body
    assert "Estas reglas todavía no están en español." in body
    assert 'id="language-missing" lang="es"' in body


def test_signing_where_spanish_is_missing_records_english_and_says_so(operator, house, resident_member):
    publish_defaults(operator)
    resident = reads_spanish(resident_member.resident)
    response = portal(resident_member).submit(
        "/portal/rules/", {"signature": resident.legal_name}, button=SIGN_ENGLISH, follow=True
    )
    assert RuleAcknowledgement.objects.get(resident=resident).language == "en"
    assert (
        f"Thank you. You signed version 1 of the {house.name} rules in English, because the Spanish text is not "
        "ready yet." in response.content.decode()
    )


def test_signing_where_spanish_is_missing_says_so_in_spanish(operator, house, resident_member):
    publish_defaults(operator)
    resident = reads_spanish(resident_member.resident, ui="es")
    response = portal(resident_member).submit(
        "/portal/rules/", {"signature": resident.legal_name}, button="Firmar las reglas en inglés", follow=True
    )
    assert "en inglés, porque el texto en español todavía no está listo." in response.content.decode()


def test_nobody_is_recorded_as_signing_spanish_text_that_does_not_exist(operator, house, resident_member):
    publish_defaults(operator)
    resident = reads_spanish(resident_member.resident)
    with pytest.raises(Invalid) as refused:
        services.rule_set_acknowledge(
            resident=resident, rule_set=current_set(house), signature=resident.legal_name, ip_address=None,
            language="es",
        )  # fmt: skip
    assert refused.value.field == "language"
    assert not RuleAcknowledgement.objects.exists()


def test_a_spanish_signature_through_the_api_is_refused_where_spanish_is_missing(api, operator, house, resident_member):
    publish_defaults(operator)
    resident = reads_spanish(resident_member.resident)
    body = {"rule_set": current_set(house).pk, "signature": resident.legal_name, "language": "es"}
    response = api(resident_member).post("/api/v1/rule-acknowledgements/", body, format="json")
    assert response.status_code == 400
    assert "language" in response.json()


def test_staff_see_the_language_signed_beside_the_signature(page, api, operator, house, resident_member):
    publish_defaults(operator)
    give_spanish(operator)
    resident = reads_spanish(resident_member.resident)
    services.rule_set_acknowledge(
        resident=resident, rule_set=current_set(house), signature=resident.legal_name, ip_address=None, language="es"
    )
    body = page(operator).get(f"/dashboard/residents/{resident.pk}/").content.decode()
    assert "· in Spanish" in body
    signatures = api(operator).get("/api/v1/rule-acknowledgements/").json()["results"]
    assert [s["language"] for s in signatures] == ["es"]


# The unsigned list -------------------------------------------------------------------------------------------------


def test_the_unsigned_list_flags_a_spanish_reader_when_the_rules_have_no_spanish(page, manager, operator, house):
    publish_defaults(operator)
    spanish = reads_spanish(admit(house, on=date(2026, 1, 10), actor=operator).resident)
    admit(house, on=date(2026, 1, 10), actor=operator)
    flagged = [r.pk for r in unsigned_residents(viewer=manager, house=house) if r.language_missing]
    assert flagged == [spanish.pk]
    body = page(manager).get(f"/dashboard/houses/{house.pk}/rules/").content.decode()
    assert body.count('<span class="badge warn" title="This resident reads Spanish') == 1


def test_the_unsigned_api_flags_a_spanish_reader_when_the_rules_have_no_spanish(api, manager, operator, house):
    publish_defaults(operator)
    spanish = reads_spanish(admit(house, on=date(2026, 1, 10), actor=operator).resident)
    admit(house, on=date(2026, 1, 10), actor=operator)
    rows = api(manager).get(f"/api/v1/houses/{house.pk}/rule-set/unsigned/").json()["results"]
    assert {row["id"]: row["language_missing"] for row in rows if row["language_missing"]} == {spanish.pk: True}
    only = api(manager).get(f"/api/v1/houses/{house.pk}/rule-set/unsigned/?language_missing=true").json()["results"]
    assert [row["id"] for row in only] == [spanish.pk]


def test_the_unsigned_list_does_not_flag_a_spanish_reader_once_the_rules_have_spanish(manager, operator, house):
    publish_defaults(operator)
    reads_spanish(admit(house, on=date(2026, 1, 10), actor=operator).resident)
    give_spanish(operator)
    assert [r.language_missing for r in unsigned_residents(viewer=manager, house=house)] == [False]


def test_the_staff_rules_page_says_how_many_rules_have_no_spanish(page, manager, operator, house):
    rules = publish_defaults(operator)
    give_spanish(operator, rules[:2])
    body = page(manager).get(f"/dashboard/houses/{house.pk}/rules/").content.decode()
    assert "One rule has no Spanish text yet." in body


def _unsigned_spanish_readers(operator, house, count):
    for _ in range(count):
        reads_spanish(admit(house, on=date(2026, 1, 10), actor=operator).resident)
        sign(admit(house, on=date(2026, 1, 10), actor=operator).resident, house)


@pytest.mark.parametrize("where", ["page", "api"])
def test_the_unsigned_list_runs_a_constant_number_of_queries_with_spanish_readers(
    page, api, manager, operator, house, where, django_assert_max_num_queries
):
    publish_defaults(operator)
    if where == "page":
        client, url = page(manager), f"/dashboard/houses/{house.pk}/rules/"
    else:
        client, url = api(manager), f"/api/v1/houses/{house.pk}/rule-set/unsigned/?page_size=200"
    _unsigned_spanish_readers(operator, house, 1)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    _unsigned_spanish_readers(operator, house, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
