"""The rules of house rules: versions, defaults and overrides, publication, and signatures."""

from datetime import date

import pytest

from accounts.exceptions import Conflict, DomainError, NotAllowed
from residents.core.services import stays as stay_services
from residents.house_rules import services
from residents.house_rules.selectors import unsigned_residents
from residents.models import HouseRule, HouseRuleVersion, RuleAcknowledgement, RuleSet
from tests.factories import admit

from .rules_factories import current_set, house_rule, publish_defaults, sign


def _texts(rule_set):
    return sorted(version.text for version in rule_set.rules.all())


def test_an_organization_default_applies_to_every_house(operator, house, other_house, foreign_house):
    publish_defaults(operator)
    assert len(_texts(current_set(house))) == 3
    assert _texts(current_set(house)) == _texts(current_set(other_house))
    assert not RuleSet.objects.filter(house=foreign_house).exists()


def test_a_house_rule_overrides_the_default_in_that_house_only(operator, manager, house, other_house):
    curfew = publish_defaults(operator)[1]
    house_rule(manager, house, text="Be inside by 11 pm every night.", category="curfew", overrides=curfew)
    assert "Be inside by 11 pm every night." in _texts(current_set(house))
    assert curfew.current_version.text not in _texts(current_set(house))
    assert curfew.current_version.text in _texts(current_set(other_house))
    assert "Be inside by 11 pm every night." not in _texts(current_set(other_house))


def test_a_house_rule_that_overrides_nothing_is_added_to_the_defaults(operator, manager, house):
    publish_defaults(operator)
    house_rule(manager, house)
    assert len(_texts(current_set(house))) == 4


def test_editing_a_rule_publishes_a_new_version_and_keeps_the_old_one(operator, house):
    rule = publish_defaults(operator)[0]
    first = current_set(house)
    services.rule_revise(actor=operator, rule=rule, text="No alcohol, drugs or kratom, anywhere, any time.")
    rule.refresh_from_db()
    assert list(rule.versions.values_list("number", flat=True)) == [1, 2]
    assert rule.versions.get(number=1).text == "No alcohol or drugs on the property or in your body."
    assert rule.current_version.number == 2
    second = current_set(house)
    assert second.number == first.number + 1
    assert "No alcohol or drugs on the property or in your body." in _texts(first)
    assert "No alcohol, drugs or kratom, anywhere, any time." in _texts(second)


def test_a_revision_keeps_the_fields_it_does_not_change(operator, house):
    rule = publish_defaults(operator)[0]
    services.rule_revise(actor=operator, rule=rule, consequence="Discharge the same day.")
    rule.refresh_from_db()
    assert rule.current_version.text == "No alcohol or drugs on the property or in your body."
    assert rule.current_version.category == "substances"


def test_a_published_rule_version_is_never_changed_in_place(operator, house):
    version = publish_defaults(operator)[0].current_version
    version.text = "Edited"
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        HouseRuleVersion.objects.filter(pk=version.pk).update(text="Edited")


def test_only_one_rule_set_is_current_per_house_and_versions_count_up(operator, house):
    rules = publish_defaults(operator)
    services.rule_revise(actor=operator, rule=rules[0], text="Sober, always.")
    services.rule_retire(actor=operator, rule=rules[2])
    assert list(RuleSet.objects.filter(house=house).order_by("number").values_list("number", "is_current")) == [
        (1, False),
        (2, False),
        (3, True),
    ]


def test_revising_a_default_a_house_overrides_does_not_republish_that_house(operator, manager, house, other_house):
    curfew = publish_defaults(operator)[1]
    house_rule(manager, house, text="Inside by 11 pm.", category="curfew", overrides=curfew)
    before = current_set(house).number
    services.rule_revise(actor=operator, rule=curfew, text="Inside by 9 pm on weeknights.")
    assert current_set(house).number == before
    assert "Inside by 9 pm on weeknights." in _texts(current_set(other_house))


def test_changing_a_house_rule_republishes_only_that_house(operator, manager, house, other_house):
    publish_defaults(operator)
    other_before = current_set(other_house).number
    rule = house_rule(manager, house)
    services.rule_revise(actor=manager, rule=rule, text="Quiet hours from 11 pm to 7 am.")
    assert current_set(house).number == 3
    assert current_set(other_house).number == other_before


def test_retiring_a_rule_removes_it_from_the_next_version_only(operator, house):
    chores = publish_defaults(operator)[2]
    first = current_set(house)
    services.rule_retire(actor=operator, rule=chores)
    assert chores.current_version.text in _texts(first)
    assert chores.current_version.text not in _texts(current_set(house))
    assert HouseRule.objects.filter(pk=chores.pk, retired_at__isnull=False).exists()


def test_a_retired_rule_cannot_be_revised(operator, house):
    chores = publish_defaults(operator)[2]
    services.rule_retire(actor=operator, rule=chores)
    with pytest.raises(Conflict):
        services.rule_revise(actor=operator, rule=chores, text="Changed")


def test_several_changes_published_together_make_one_new_version(operator, house):
    rules = publish_defaults(operator)
    services.rules_publish(
        actor=operator,
        changes=[
            services.RuleChange(rule=rules[0], text="Sober, always."),
            services.RuleChange(rule=rules[1], consequence="Restricted to the house for a week."),
            services.RuleChange(category="fees", text="Rent is due every Friday.", consequence="A $10 late fee."),
        ],
        note="Spring revision",
    )
    assert current_set(house).number == 2
    assert current_set(house).note == "Spring revision"
    assert len(_texts(current_set(house))) == 4


def test_an_error_in_a_batch_names_the_change_and_writes_nothing(operator, house):
    rule = publish_defaults(operator)[0]
    with pytest.raises(DomainError) as error:
        services.rules_publish(
            actor=operator,
            changes=[services.RuleChange(rule=rule, text="Sober."), services.RuleChange(category="fees", text=" ")],
        )
    assert error.value.field == "changes[1].text"
    assert rule.versions.count() == 1
    assert current_set(house).number == 1


def test_a_revision_that_changes_nothing_is_refused(operator, house):
    rule = publish_defaults(operator)[0]
    with pytest.raises(DomainError) as error:
        services.rule_revise(actor=operator, rule=rule, text=rule.current_version.text)
    assert error.value.field == "text"


def test_a_manager_cannot_change_organization_wide_rules(operator, manager, house):
    rule = publish_defaults(operator)[0]
    with pytest.raises(DomainError) as error:
        services.rule_revise(actor=manager, rule=rule, text="Mine now")
    assert error.value.status_code == 403
    with pytest.raises(DomainError):
        services.rule_add(actor=manager, house=None, category="other", text="No pets.", consequence="Warning.")


def test_a_manager_cannot_change_another_houses_rules(operator, manager, other_house):
    with pytest.raises(DomainError) as error:
        house_rule(manager, other_house)
    assert error.value.status_code == 403


def test_a_house_cannot_override_the_same_default_twice(operator, manager, house):
    curfew = publish_defaults(operator)[1]
    house_rule(manager, house, text="Inside by 11 pm.", category="curfew", overrides=curfew)
    with pytest.raises(Conflict) as error:
        house_rule(manager, house, text="Inside by midnight.", category="curfew", overrides=curfew)
    assert error.value.field == "overrides"


def test_only_a_default_can_be_overridden(operator, manager, house):
    publish_defaults(operator)
    own = house_rule(manager, house)
    with pytest.raises(DomainError) as error:
        house_rule(manager, house, text="Other", overrides=own)
    assert error.value.field == "overrides"


def test_a_new_house_gets_its_first_rule_set_when_published_by_name(operator, house):
    from tests.factories import HouseFactory

    publish_defaults(operator)
    new_house = HouseFactory(organization=house.organization, name="Cedar House")
    assert not RuleSet.objects.filter(house=new_house).exists()
    _rules, published = services.rules_publish(actor=operator, houses=[new_house])
    assert [rule_set.house for rule_set in published] == [new_house]
    assert len(_texts(current_set(new_house))) == 3


def test_republishing_unchanged_rules_publishes_nothing(operator, house):
    publish_defaults(operator)
    _rules, published = services.rules_publish(actor=operator, houses=[house])
    assert published == []
    assert current_set(house).number == 1


# Signatures


def test_signing_records_the_signature_time_and_address(operator, house, resident_member):
    publish_defaults(operator)
    resident = resident_member.resident
    acknowledgement = sign(resident, house)
    assert acknowledgement.signature == resident.legal_name
    assert acknowledgement.ip_address == "203.0.113.9"
    assert acknowledgement.signed_at is not None
    assert acknowledgement.rule_set == current_set(house)


def test_a_signature_matches_the_legal_name_ignoring_case_and_spacing(operator, house, resident_factory):
    publish_defaults(operator)
    resident = admit(
        house,
        on=date(2026, 1, 10),
        resident=resident_factory(legal_first_name="Mary Ann", legal_last_name="O'Neil"),
        actor=operator,
    ).resident
    services.rule_set_acknowledge(
        resident=resident, rule_set=current_set(house), signature="  mary   ann o'NEIL ", ip_address=None
    )
    assert RuleAcknowledgement.objects.get(resident=resident).signature == "mary   ann o'NEIL"


@pytest.mark.parametrize("typed", ["Mary O'Neil", "Mary Ann", "Marcus Manager", ""])
def test_a_signature_that_is_not_the_full_legal_name_is_refused(operator, house, resident_factory, typed):
    publish_defaults(operator)
    resident = admit(
        house,
        on=date(2026, 1, 10),
        resident=resident_factory(legal_first_name="Mary Ann", legal_last_name="O'Neil"),
        actor=operator,
    ).resident
    with pytest.raises(DomainError) as error:
        services.rule_set_acknowledge(resident=resident, rule_set=current_set(house), signature=typed, ip_address=None)
    assert error.value.field == "signature"
    assert not RuleAcknowledgement.objects.exists()


def test_signing_an_old_version_is_refused(operator, house, resident_member):
    rule = publish_defaults(operator)[0]
    old = current_set(house)
    services.rule_revise(actor=operator, rule=rule, text="Sober, always.")
    with pytest.raises(Conflict) as error:
        sign(resident_member.resident, rule_set=old)
    assert error.value.field == "rule_set"
    assert "replaced by version 2" in error.value.message
    assert not RuleAcknowledgement.objects.exists()


def test_signing_the_same_version_twice_keeps_the_first_signature(operator, house, resident_member):
    publish_defaults(operator)
    first = sign(resident_member.resident, house)
    again, created = services.rule_set_acknowledge(
        resident=resident_member.resident,
        rule_set=current_set(house),
        signature=resident_member.resident.legal_name,
        ip_address="198.51.100.1",
    )
    assert not created
    assert again == first
    assert RuleAcknowledgement.objects.count() == 1


def test_a_resident_cannot_sign_another_houses_rules(operator, house, other_house, resident_member):
    publish_defaults(operator)
    with pytest.raises(DomainError) as error:
        sign(resident_member.resident, other_house)
    assert error.value.field == "rule_set"


def test_a_returning_resident_signs_again_in_the_new_stay(operator, house, resident_member):
    publish_defaults(operator)
    resident = resident_member.resident
    sign(resident, house)
    stay = resident.stays.get()
    stay_services.stay_discharge(actor=operator, stay=stay, on=date(2026, 2, 1), reason="voluntary")
    admit(house, on=date(2026, 3, 1), resident=resident, actor=operator)
    assert list(unsigned_residents(viewer=operator, house=house)) == [resident]
    sign(resident, house)
    assert RuleAcknowledgement.objects.filter(resident=resident).count() == 2


# Who has not signed


def test_the_unsigned_list_shrinks_when_a_resident_signs(operator, manager, house, resident_member):
    publish_defaults(operator)
    neighbour = admit(house, on=date(2026, 1, 10), actor=operator).resident
    assert set(unsigned_residents(viewer=manager, house=house)) == {resident_member.resident, neighbour}
    sign(neighbour, house)
    assert list(unsigned_residents(viewer=manager, house=house)) == [resident_member.resident]


def test_a_new_version_makes_signers_unsigned_again_and_shows_what_they_signed(operator, house, resident_member):
    rule = publish_defaults(operator)[0]
    sign(resident_member.resident, house)
    assert not unsigned_residents(viewer=operator, house=house).exists()
    services.rule_revise(actor=operator, rule=rule, text="Sober, always.")
    row = unsigned_residents(viewer=operator, house=house).get()
    assert row == resident_member.resident
    assert row.last_signed_version == 1
    assert row.move_in == date(2026, 1, 5)


def test_a_discharged_resident_is_not_listed_as_unsigned(operator, house, resident_member):
    publish_defaults(operator)
    stay = resident_member.resident.stays.get()
    stay_services.stay_discharge(actor=operator, stay=stay, on=date(2026, 2, 1), reason="completed")
    assert not unsigned_residents(viewer=operator, house=house).exists()


def test_a_house_with_no_published_rules_has_no_one_unsigned(operator, house, resident_member):
    assert not unsigned_residents(viewer=operator, house=house).exists()


def test_the_unsigned_list_is_empty_for_those_who_may_not_see_it(
    operator, manager, other_house, outsider, resident_member, house
):
    publish_defaults(operator)
    admit(other_house, on=date(2026, 1, 10), actor=operator)
    assert unsigned_residents(viewer=operator, house=other_house).count() == 1
    assert not unsigned_residents(viewer=manager, house=other_house).exists()
    assert not unsigned_residents(viewer=outsider, house=other_house).exists()
    assert not unsigned_residents(viewer=resident_member, house=house).exists()


def test_a_transferred_resident_must_sign_the_new_houses_rules(operator, house, other_house, resident_member):
    publish_defaults(operator)
    resident = resident_member.resident
    sign(resident, house)
    bed = other_house.beds.order_by("pk").first()
    stay_services.stay_transfer(actor=operator, stay=resident.stays.get(), bed=bed, on=date(2026, 2, 1))
    row = unsigned_residents(viewer=operator, house=other_house).get()
    assert row == resident
    assert row.last_signed_version is None
    assert not unsigned_residents(viewer=operator, house=house).exists()


def test_nobody_signs_the_rules_for_another_resident(operator, house, resident_member):
    publish_defaults(operator)
    resident = resident_member.resident
    with pytest.raises(NotAllowed):
        services.rule_set_acknowledge(
            actor=operator, resident=resident, rule_set=current_set(house), signature=resident.legal_name,
            ip_address=None,
        )  # fmt: skip
    assert not RuleAcknowledgement.objects.exists()
