"""The NARR evidence map judged for a house: each evidence type, rule statuses, the API, constant queries."""

from dataclasses import asdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from compliance.models import CorrectiveAction, Drill, SafetyPolicy
from compliance.selectors.certification import certification_overview, certification_status
from compliance.services import inspections as inspection_services
from compliance.services import safety as safety_services
from compliance.services.drills import drill_log
from houses.models import House
from tests.factories import HouseFactory

from .conftest import aware, upload


def _rule(viewer, house, rule_id, **kwargs):
    status = certification_status(viewer=viewer, house=house, **kwargs)
    return next(rule for rule in status.rules if rule.rule == rule_id)


def _inspect(actor, house, on, *, fail=None):
    inspection = inspection_services.inspection_start(actor=actor, house=house, inspected_on=on)
    for line in inspection.lines.order_by("position"):
        extra = {}
        if line.item == "fire_extinguisher":
            extra = {"location": "Kitchen", "last_serviced_on": on}
        if line.item == "naloxone_kit":
            extra = {"location": "Hall", "quantity": 2, "expires_on": on + timedelta(days=200)}
        result = "fail" if line.item == fail else "pass"
        inspection_services.inspection_line_record(actor=actor, line=line, result=result, note="seen", **extra)
    return inspection_services.inspection_complete(actor=actor, inspection=inspection)


# Documents


def test_a_missing_document_makes_its_rule_missing(operator, level_two):
    rule = _rule(operator, level_two, "1.A.3.c")
    assert rule.status == "missing"
    assert rule.evidence[0].note == "No refund policy on file."


def test_a_document_without_expiry_meets_its_rule_with_links_to_it(operator, level_two):
    document = upload(operator, level_two, "refund_policy", title="Refunds")
    rule = _rule(operator, level_two, "1.A.3.c")
    assert rule.status == "met"
    urls = [link["url"] for link in rule.evidence[0].links]
    assert urls == [
        f"/dashboard/houses/{level_two.pk}/certification/#document-{document.pk}",
        f"/dashboard/documents/{document.pk}/download/",
    ]


@pytest.mark.parametrize(("expires_in", "status"), [(31, "met"), (30, "expiring"), (0, "expiring"), (-1, "expired")])
def test_a_document_is_expiring_within_thirty_days_and_expired_after(operator, level_two, today, expires_in, status):
    upload(operator, level_two, "liability_insurance", expires_on=today + timedelta(days=expires_in))
    assert _rule(operator, level_two, "1.A.2.b").status == status


def test_an_organization_wide_document_counts_for_every_house(operator, level_two, other_house):
    other_house.narr_level = 3
    other_house.save()
    upload(operator, None, "code_of_ethics")
    assert _rule(operator, level_two, "1.A.2.i").status == "met"
    assert _rule(operator, other_house, "1.A.2.i").status == "met"


def test_a_current_house_copy_wins_over_a_lapsed_organization_copy(operator, level_two, today):
    upload(operator, None, "liability_insurance", expires_on=today - timedelta(days=3))
    upload(operator, level_two, "liability_insurance", expires_on=today + timedelta(days=300))
    assert _rule(operator, level_two, "1.A.2.b").status == "met"


def test_a_superseded_version_no_longer_counts(operator, level_two, today):
    upload(operator, level_two, "liability_insurance", expires_on=today + timedelta(days=300))
    upload(operator, level_two, "liability_insurance", expires_on=today - timedelta(days=1))
    assert _rule(operator, level_two, "1.A.2.b").status == "expired"


def test_an_inspection_report_older_than_a_year_has_expired(operator, level_two, today):
    upload(operator, level_two, "occupancy_certificate", issued_on=today - timedelta(days=366))
    assert _rule(operator, level_two, "2.F.17.b").status == "expired"


def test_the_fee_schedule_rule_says_it_is_published_to_residents(operator, level_two):
    upload(operator, level_two, "fee_schedule")
    rule = _rule(operator, level_two, "1.A.3.a")
    assert rule.status == "met"
    assert "portal" in rule.evidence[0].note


# Inspections and drills


def test_no_inspection_means_the_inspection_rules_are_missing(operator, level_two):
    assert _rule(operator, level_two, "2.F.17.a").status == "missing"


@pytest.mark.parametrize(("days_ago", "status"), [(10, "met"), (30, "expiring"), (36, "expired")])
def test_the_last_inspection_must_be_within_35_days(operator, level_two, today, days_ago, status):
    _inspect(operator, level_two, today - timedelta(days=days_ago))
    assert _rule(operator, level_two, "2.F.17.a").status == status


def test_an_open_corrective_action_makes_inspections_expiring_and_an_overdue_one_expired(operator, level_two, today):
    drill_log(
        actor=operator, house=level_two, held_at=timezone.now(), residents_present=5, evacuation_minutes=Decimal(2)
    )
    _inspect(operator, level_two, today - timedelta(days=3), fail="exits_clear")
    evidence = _rule(operator, level_two, "2.F.17.c").evidence
    assert [e.status for e in evidence] == ["expiring", "met"]
    action = CorrectiveAction.objects.get()
    page = f"/dashboard/houses/{level_two.pk}/certification/"
    assert evidence[0].links[-1]["url"] == f"{page}#corrective-action-{action.pk}"
    later = _rule(operator, level_two, "2.F.17.c", on=today + timedelta(days=6))
    assert later.status == "expired"
    assert "overdue" in later.evidence[0].note


def test_an_inspection_in_progress_is_not_evidence(operator, level_two):
    inspection_services.inspection_start(actor=operator, house=level_two)
    assert _rule(operator, level_two, "2.F.17.a").status == "missing"


def test_drills_follow_the_house_interval(operator, level_two, today):
    drill_log(
        actor=operator, house=level_two, held_at=aware(today - timedelta(days=100)), residents_present=5,
        evacuation_minutes=Decimal(2),
    )  # fmt: skip
    drills = _rule(operator, level_two, "2.F.17.c").evidence[1]
    assert (drills.type, drills.status) == ("drills", "expired")
    page = f"/dashboard/houses/{level_two.pk}/certification/"
    assert drills.links[0]["url"] == f"{page}#drill-{Drill.objects.get().pk}"


def test_drills_are_not_applicable_at_level_one_unless_configured(operator, house):
    house.narr_level = 1
    house.save()
    assert _rule(operator, house, "2.F.17.c").evidence[1].status == "not_applicable"
    SafetyPolicy.objects.create(organization=house.organization, house=house, drills_at_level_one=True)
    assert _rule(operator, house, "2.F.17.c").evidence[1].status == "missing"


# Naloxone and emergency contacts


@pytest.mark.parametrize(("expires_in", "status"), [(60, "met"), (20, "expiring"), (-1, "expired")])
def test_naloxone_must_be_in_date(operator, level_two, today, expires_in, status):
    safety_services.safety_equipment_add(
        actor=operator, house=level_two, kind="naloxone_kit", location="Office", quantity=2,
        expires_on=today + timedelta(days=expires_in),
    )  # fmt: skip
    assert _rule(operator, level_two, "2.F.19.d").status == status


def test_no_naloxone_kit_is_missing(operator, level_two):
    assert _rule(operator, level_two, "2.F.19.d").status == "missing"


def test_a_resident_without_an_emergency_contact_is_named(operator, level_two, resident_member):
    rule = _rule(operator, level_two, "2.F.19.b")
    assert rule.status == "missing"
    assert rule.evidence[0].links[0]["url"] == f"/dashboard/residents/{resident_member.resident.pk}/#profile"


def test_emergency_contacts_are_met_when_every_resident_has_one(operator, level_two, resident_member):
    resident = resident_member.resident
    resident.emergency_contact_name, resident.emergency_contact_phone = "Ana Ruiz", "(555) 010-9999"
    resident.save()
    assert _rule(operator, level_two, "2.F.19.b").status == "met"


# Rules, levels, summary


def test_a_house_that_held_no_meetings_is_missing_that_evidence(operator, level_two):
    rule = _rule(operator, level_two, "1.C.7.a")
    assert [asdict(item) for item in rule.evidence] == [
        {
            "type": "house_meetings_weekly",
            "status": "missing",
            "note": "No house meeting in the last 4 weeks.",
            "valid_until": None,
            "links": [],
        }
    ]


def test_a_house_without_a_level_has_every_rule_not_applicable(operator, house):
    status = certification_status(viewer=operator, house=house)
    assert status.level is None
    assert status.summary["not_applicable"] == len(status.rules)


def test_the_summary_counts_rules_by_status(operator, level_two):
    upload(operator, level_two, "refund_policy")
    status = certification_status(viewer=operator, house=level_two)
    assert sum(status.summary.values()) == len(status.rules)
    assert status.summary["met"] >= 2
    assert set(status.summary) == {"met", "expiring", "expired", "missing", "not_applicable"}


def test_a_manager_cannot_judge_a_house_they_do_not_run(manager, other_house):
    with pytest.raises(House.DoesNotExist):
        certification_status(viewer=manager, house=other_house)


# API


def test_the_certification_endpoint_answers_in_the_documented_shape(api, manager, level_two):
    upload(manager, level_two, "refund_policy")
    response = api(manager).get(f"/api/v1/houses/{level_two.pk}/certification/")
    assert response.status_code == 200
    body = response.json()
    assert {"house", "level", "summary", "rules"} <= set(body)
    assert body["house"] == level_two.pk
    assert body["level"] == 2
    rule = next(r for r in body["rules"] if r["rule"] == "1.A.3.c")
    assert {"rule", "title", "status", "evidence"} <= set(rule)
    assert rule["status"] == "met"


def test_the_certification_endpoint_keeps_its_exact_keys(api, manager, level_two):
    upload(manager, level_two, "refund_policy")
    body = api(manager).get(f"/api/v1/houses/{level_two.pk}/certification/").json()
    assert set(body) == {"house", "house_name", "level", "on", "map_version", "summary", "rules"}
    assert set(body["summary"]) == {"met", "expiring", "expired", "missing", "not_applicable"}
    rule = next(r for r in body["rules"] if r["rule"] == "1.A.3.c")
    assert set(rule) == {"rule", "domain", "title", "description", "status", "evidence"}
    assert set(rule["evidence"][0]) == {"type", "status", "note", "valid_until", "links"}
    assert set(rule["evidence"][0]["links"][0]) == {"label", "url"}


def test_the_certification_endpoint_judges_as_of_a_date(api, operator, level_two, today):
    upload(operator, level_two, "liability_insurance", expires_on=today + timedelta(days=40))
    url = f"/api/v1/houses/{level_two.pk}/certification/?on={today + timedelta(days=41)}"
    rule = next(r for r in api(operator).get(url).json()["rules"] if r["rule"] == "1.A.2.b")
    assert rule["status"] == "expired"


def test_a_bad_as_of_date_is_named(api, operator, level_two):
    response = api(operator).get(f"/api/v1/houses/{level_two.pk}/certification/?on=soon")
    assert response.status_code == 400
    assert "on" in response.json()


def _fill(operator, house, today, size):
    """Evidence of every kind, ``size`` times over."""
    for n in range(size):
        upload(operator, house, "other", title=f"Extra paper {n}")
        safety_services.safety_equipment_add(
            actor=operator, house=house, kind="naloxone_kit", location=f"Room {n}", quantity=1,
            expires_on=today + timedelta(days=100),
        )  # fmt: skip
        drill_log(
            actor=operator, house=house, held_at=aware(today - timedelta(days=n + 1)), residents_present=4,
            evacuation_minutes=Decimal(2),
        )  # fmt: skip
    for kind in ("refund_policy", "liability_insurance", "fee_schedule"):
        upload(operator, house, kind)
    _inspect(operator, house, today - timedelta(days=size), fail="exits_clear")


def test_certification_costs_a_constant_number_of_queries(
    api, operator, level_two, today, django_assert_max_num_queries
):
    client = api(operator)
    _fill(operator, level_two, today, 1)
    with django_assert_max_num_queries(20) as small:
        assert client.get(f"/api/v1/houses/{level_two.pk}/certification/").status_code == 200
    _fill(operator, level_two, today, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/api/v1/houses/{level_two.pk}/certification/").status_code == 200


def test_the_overview_costs_the_same_queries_for_one_house_or_many(
    operator, level_two, today, django_assert_max_num_queries
):
    _fill(operator, level_two, today, 2)
    with django_assert_max_num_queries(20) as small:
        certification_overview(viewer=operator)
    for n in range(6):
        house = HouseFactory(organization=operator.organization, beds=4, narr_level=3, name=f"Extra {n}")
        _fill(operator, house, today, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        overview = certification_overview(viewer=operator)
    assert len(overview.houses) == 7
