"""The demo's house rules in Spanish: every house but one can be read and signed in Spanish, the Spanish-speaking demo
resident has a Spanish rule set to sign, and the house left without Spanish flags its Spanish reader."""

from accounts.models import Membership
from houses.models import House
from residents.house_rules.selectors import has_language, unsigned_residents
from residents.models import Resident, RuleSet


def _houses():
    operator = Membership.objects.get(user__email="operator@example.com")
    return operator, list(House.objects.filter(organization=operator.organization).order_by("pk"))


def _current(house):
    return RuleSet.objects.prefetch_related("rules").get(house=house, is_current=True)


def test_every_house_but_the_last_has_its_current_rules_in_spanish(demo_db):
    _operator, houses = _houses()
    readable = {house.name: has_language(_current(house).rules.all(), "es") for house in houses}
    assert readable == {house.name: house != houses[-1] for house in houses}


def test_the_spanish_demo_resident_has_spanish_rules_to_sign(demo_db):
    resident = Resident.objects.get(membership__user__email="residente@example.com")
    stay = resident.stays.get(move_out__isnull=True)
    rule_set = _current(stay.house)
    assert resident.preferred_language == "es"
    assert has_language(rule_set.rules.all(), "es")
    assert not rule_set.acknowledgements.filter(stay=stay).exists()


def test_the_house_without_spanish_flags_its_spanish_reader_on_the_unsigned_list(demo_db):
    operator, houses = _houses()
    unsigned = list(unsigned_residents(viewer=operator, house=houses[-1]))
    assert [r.preferred_language for r in unsigned if r.language_missing] == ["es"]


def test_residents_who_had_signed_signed_the_spanish_version_again(demo_db):
    _operator, houses = _houses()
    maple = _current(houses[0])
    assert maple.note == "Spanish text for every rule"
    assert maple.house.stays.filter(move_out__isnull=True).count() == maple.acknowledgements.count()
