"""One answer to "who slept in which bed of which house on night D", and every reader sees the same residents.

Maple and Willow are two houses of one organization. Ann was admitted to Maple on Aug 10 and moved to Willow from
Sep 12. Ben lived in Maple from Aug 1 and was discharged on Sep 20 (his last night: Sep 19).
"""

import importlib
from datetime import date

import pytest
from django.apps import apps

from compliance.evidence.evaluators import load_current_residents
from compliance.evidence.external import load_rule_signatures
from houses.models import House
from reports.metrics.compliance import by_house as compliance
from reports.metrics.occupancy import by_house as occupancy
from reports.metrics.occupancy import public
from reports.metrics.period import Month
from residents.chores.services import chore_rotation_generate
from residents.core.selectors import nights
from residents.core.services.stays import stay_admit, stay_discharge, stay_transfer
from residents.dashboard.selectors.dashboard import house_life_today
from residents.house_rules.selectors import unsigned_residents
from residents.models import ChoreAssignment, Stay
from residents.testing.services.drug_test_draws import drug_test_draw
from tests.clock import local_moment, module_clock
from tests.factories import MembershipFactory, ResidentFactory
from tests.residents.chores_factories import ChoreFactory
from tests.residents.rules_factories import publish_defaults

_clock = module_clock(local_moment(2026, 10, 15))

MOVE = date(2026, 9, 12)
BEN_LEAVES = date(2026, 9, 20)


@pytest.fixture
def beds(house, other_house):
    return list(house.beds.order_by("pk")), list(other_house.beds.order_by("pk"))


@pytest.fixture
def ann(operator, house, other_house, beds, organization):
    stay = stay_admit(
        actor=operator, resident=ResidentFactory(organization=organization, legal_first_name="Ann"),
        bed=beds[0][0], on=date(2026, 8, 10),
    )  # fmt: skip
    stay_transfer(actor=operator, stay=stay, bed=beds[1][0], on=MOVE)
    return Stay.objects.get(pk=stay.pk)


@pytest.fixture
def ben(operator, house, beds, organization):
    stay = stay_admit(
        actor=operator, resident=ResidentFactory(organization=organization, legal_first_name="Ben"),
        bed=beds[0][1], on=date(2026, 8, 1),
    )  # fmt: skip
    stay_discharge(actor=operator, stay=stay, on=BEN_LEAVES, reason="completed")
    return stay


def names(rows):
    return sorted((row.stay.resident.legal_first_name, row.bed.house.name) for row in rows)


def test_the_night_before_the_move_the_resident_sleeps_in_the_old_house(ann, ben, house, other_house):
    assert names(nights.occupants(night=MOVE.replace(day=11), houses=[house.pk, other_house.pk])) == [
        ("Ann", "Maple House"),
        ("Ben", "Maple House"),
    ]


def test_from_the_night_of_the_move_the_resident_sleeps_in_the_new_house(ann, ben, house, other_house):
    assert names(nights.occupants(night=MOVE, houses=[house.pk, other_house.pk])) == [
        ("Ann", "Willow House"),
        ("Ben", "Maple House"),
    ]


def test_a_discharged_resident_is_there_on_the_last_night_and_gone_on_the_move_out_night(ben, house):
    assert nights.residents_of(house=house, night=date(2026, 9, 19)) == {ben.resident_id: ben.pk}
    assert nights.residents_of(house=house, night=BEN_LEAVES) == {}


def test_the_stays_of_a_night_carry_the_house_of_that_night_not_the_current_house(ann, house):
    stay = nights.stays_on_night(night=date(2026, 8, 20), houses=[house.pk]).get()
    assert stay.pk == ann.pk
    assert stay.night_house_id == house.pk
    assert stay.house_id != house.pk  # the current house moved on with the transfer


def test_a_stay_remembers_the_house_it_was_admitted_into_after_a_transfer(ann, house, other_house):
    assert ann.admitted_to == house
    assert ann.house == other_house


def test_a_stay_made_without_the_service_is_admitted_into_its_house(house, organization):
    stay = Stay.objects.create(
        organization=organization, resident=ResidentFactory(organization=organization), house=house,
        move_in=date(2026, 9, 1),
    )  # fmt: skip
    assert stay.admitted_to == house


def test_the_migration_fills_in_the_admitted_house_from_the_first_bed(ann, house, other_house):
    Stay.objects.filter(pk=ann.pk).update(admitted_to=other_house)
    migration = importlib.import_module("residents.migrations.0003_stay_admitted_to")
    migration.backfill_admitted_to(apps, None)
    assert Stay.objects.get(pk=ann.pk).admitted_to == house


class TestEveryReaderSeesTheSameResidentsTonight:
    """Tonight (Oct 15): Dee sleeps in Maple but moves to Willow from tomorrow (her stay's current house is already
    Willow); Eli sleeps in Maple and leaves tomorrow; Fay is admitted to Maple from the day after."""

    TONIGHT = date(2026, 10, 15)

    @pytest.fixture
    def tonight(self, operator, organization, house, other_house, beds):
        actor = operator
        dee_member = MembershipFactory(organization=organization, role="resident")
        dee = stay_admit(
            actor=actor, resident=ResidentFactory(organization=organization, membership=dee_member),
            bed=beds[0][0], on=date(2026, 9, 1),
        )  # fmt: skip
        stay_transfer(actor=actor, stay=dee, bed=beds[1][0], on=date(2026, 10, 16))
        eli = stay_admit(
            actor=actor, resident=ResidentFactory(organization=organization), bed=beds[0][1], on=date(2026, 9, 1)
        )
        stay_discharge(actor=actor, stay=eli, on=date(2026, 10, 16), reason="voluntary")
        fay = stay_admit(
            actor=actor, resident=ResidentFactory(organization=organization), bed=beds[0][2], on=date(2026, 10, 17)
        )
        return {"dee": dee, "eli": eli, "fay": fay, "dee_member": dee_member}

    def test_the_selector_answers_maple_with_dee_and_eli(self, tonight, house):
        assert nights.current_residents(house=house) == {
            tonight["dee"].resident_id: tonight["dee"].pk,
            tonight["eli"].resident_id: tonight["eli"].pk,
        }

    def test_the_drug_test_draw_draws_from_the_same_residents(self, tonight, house, operator):
        draw, _ = drug_test_draw(actor=operator, house=house, week_start=date(2026, 10, 12), seed=7)
        assert draw.population == sorted([tonight["dee"].resident_id, tonight["eli"].resident_id])

    def test_todays_chores_go_to_the_same_residents(self, tonight, house, operator):
        ChoreFactory(house=house)
        chore_rotation_generate(actor=operator, house=house, week_start=date(2026, 10, 12))
        today = ChoreAssignment.objects.get(house=house, due_date=self.TONIGHT)
        assert today.resident_id in {tonight["dee"].resident_id, tonight["eli"].resident_id}
        assert not ChoreAssignment.objects.filter(resident=tonight["fay"].resident, due_date__lte=self.TONIGHT)

    def test_a_resident_sees_the_house_she_sleeps_in_tonight(self, tonight, house):
        assert list(House.objects.visible_to(tonight["dee_member"])) == [house]

    def test_the_certification_evidence_lists_the_same_residents(self, tonight, house, other_house):
        found = load_current_residents([house, other_house], self.TONIGHT)
        assert sorted(resident.pk for resident in found[house.pk]) == sorted(
            [tonight["dee"].resident_id, tonight["eli"].resident_id]
        )
        assert found[other_house.pk] == []

    def test_the_unsigned_rules_list_names_the_same_residents(self, tonight, house, operator):
        publish_defaults(operator)
        unsigned = unsigned_residents(viewer=operator, house=house)
        assert sorted(resident.pk for resident in unsigned) == sorted(
            [tonight["dee"].resident_id, tonight["eli"].resident_id]
        )

    def test_the_portal_asks_the_same_residents_to_sign(self, tonight, house, operator):
        from residents.portal.selectors import rules_standing

        publish_defaults(operator)
        dee = tonight["dee"]
        standing = rules_standing(viewer=tonight["dee_member"], stay=dee)
        assert (standing.rule_set.house, standing.needs_signing) == (house, True)

    def test_the_dashboard_counts_the_same_unsigned_residents(self, tonight, house, operator):
        # It counted open stays by their current house: Dee at Willow already, and Eli (leaving tomorrow) nowhere.
        publish_defaults(operator)
        unsigned = house_life_today(viewer=operator)["unsigned"]
        assert [(row["house"], row["count"]) for row in unsigned] == [(house, 2)]

    def test_the_certification_evidence_names_the_same_unsigned_residents(self, tonight, house, other_house, operator):
        publish_defaults(operator)
        found = load_rule_signatures([house, other_house], self.TONIGHT)
        assert sorted(found[house.pk]["unsigned"]) == sorted(
            [tonight["dee"].resident.display_name, tonight["eli"].resident.display_name]
        )
        assert (found[house.pk]["residents"], found[other_house.pk]["unsigned"]) == (2, [])

    def test_the_compliance_report_counts_the_same_unsigned_residents(self, tonight, house, other_house, operator):
        publish_defaults(operator)
        month = Month(2026, 10, through=self.TONIGHT)
        figures = compliance(houses=House.objects.filter(pk__in=[house.pk, other_house.pk]), month=month,
                             organization=house.organization)  # fmt: skip
        assert (figures[house.pk]["unsigned_rules"], figures[other_house.pk]["unsigned_rules"]) == (2, 0)

    def test_the_report_census_counts_the_same_residents(self, tonight, house, other_house):
        month = Month(2026, 10, through=self.TONIGHT)
        figures = occupancy(houses=House.objects.filter(pk__in=[house.pk, other_house.pk]), month=month)
        assert public(figures[house.pk])["census_at_month_end"] == 2
        assert public(figures[other_house.pk])["census_at_month_end"] == 0
