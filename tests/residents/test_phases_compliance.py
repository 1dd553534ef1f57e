"""Weekly phase compliance: each requirement met or missed and by how much, computed in bulk, and its API."""

from datetime import date, timedelta

import pytest

from accounts.exceptions import DomainError
from residents.models import PhaseChange, RecoveryMeetingAttendance
from residents.program.selectors import phase_compliance as compliance
from tests.clock import local_moment, module_clock
from tests.factories import admit

from .drug_tests_factories import record_test
from .phases_factories import approved_pass, local, log_out, make_phases

MONDAY = date(2026, 3, 2)

# The dates here run from March to June 2026: the clock is after them all, on a Wednesday mid-month (June 10),
# so each week and month looked at is over, or still running mid-way, whatever day the suite runs.
_clock = module_clock(local_moment(2026, 6, 10))


@pytest.fixture
def phases(organization):
    return make_phases(organization)


@pytest.fixture
def late_stay(phases, house, operator, organization, manager):
    """Stabilization since Mar 1; back after curfew on Tuesday and Wednesday nights."""
    stay = admit(house, actor=operator, on=date(2026, 3, 1), legal_first_name="Al", legal_last_name="Avery")
    for night in (date(2026, 3, 3), date(2026, 3, 4)):
        log_out(stay, actor=manager, out_at=local(organization, night, 19), back_at=local(organization, night, 23))
    return stay


@pytest.fixture
def steady_stay(phases, house, operator, manager, organization):
    """Accountability since Feb 1, one approved pass in March, in on time."""
    stay = admit(house, actor=operator, on=date(2026, 1, 1), legal_first_name="Bo", legal_last_name="Baker")
    PhaseChange.objects.create(
        organization=organization, stay=stay, phase=phases[1], kind="promotion", effective_on=date(2026, 2, 1)
    )
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 6), return_on=date(2026, 3, 8))
    for day in range(phases[1].meetings_per_week):
        _attend(stay, MONDAY + timedelta(days=day), f"Meeting {day}")
    log_out(stay, actor=manager, out_at=local(organization, MONDAY, 19), back_at=local(organization, MONDAY, 22, 45))
    return stay


def rows_by_name(viewer, **kwargs):
    rows = compliance.phase_compliance(viewer=viewer, week_start=kwargs.pop("week_start", MONDAY), **kwargs)
    return {row.stay.resident.legal_last_name: row for row in rows}


def requirement(row, name):
    return next(r for r in row.requirements if r.requirement == name)


def test_curfew_violations_of_the_week_are_counted_against_none_allowed(late_stay, steady_stay, manager):
    rows = rows_by_name(manager)
    curfew = requirement(rows["Avery"], "curfew")
    assert {k: getattr(curfew, k) for k in ("required", "actual", "met", "missed_by", "status")} == {
        "required": 0, "actual": 2, "met": False, "missed_by": 2, "status": "missed",
    }  # fmt: skip
    assert curfew.nights == [date(2026, 3, 3), date(2026, 3, 4)]
    assert requirement(rows["Baker"], "curfew").met is True


def test_a_resident_with_a_missed_requirement_is_behind(late_stay, steady_stay, manager):
    rows = rows_by_name(manager)
    assert rows["Avery"].behind is True
    assert rows["Baker"].behind is False


def test_passes_used_this_month_are_compared_with_the_phase_allowance(steady_stay, manager):
    passes = requirement(rows_by_name(manager)["Baker"], "overnight_passes")
    assert (passes.required, passes.actual, passes.met) == (2, 1, True)


def test_passes_approved_beyond_the_allowance_show_as_missed(steady_stay, manager):
    approved_pass(steady_stay, actor=manager, leave_on=date(2026, 3, 10), return_on=date(2026, 3, 11))
    approved_pass(
        steady_stay, actor=manager, leave_on=date(2026, 3, 20), return_on=date(2026, 3, 21), override=True,
        reason="Court date",
    )  # fmt: skip
    passes = requirement(rows_by_name(manager, week_start=date(2026, 3, 23))["Baker"], "overnight_passes")
    assert (passes.actual, passes.met, passes.missed_by) == (3, False, 1)


def test_days_in_phase_says_whether_promotion_is_possible_and_never_makes_anyone_behind(
    late_stay, steady_stay, manager
):
    rows = rows_by_name(manager)
    newcomer = requirement(rows["Avery"], "days_in_phase")
    assert (newcomer.required, newcomer.actual, newcomer.met, newcomer.informational) == (
        30,
        7,
        False,
        True,
    )
    assert newcomer.eligible_for_promotion is False
    assert newcomer.eligible_on == date(2026, 3, 31)
    steady = requirement(rows["Baker"], "days_in_phase")
    assert (steady.actual, steady.status) == (35, "not yet eligible")


def _attend(stay, day, name):
    RecoveryMeetingAttendance.objects.create(
        organization=stay.organization, resident=stay.resident, stay=stay, attended_on=day, meeting_type="aa", name=name
    )


def test_outside_meetings_of_the_week_are_counted_against_the_phase(late_stay, manager):
    _attend(late_stay, date(2026, 3, 3), "Tuesday Big Book")
    _attend(late_stay, date(2026, 3, 7), "Saturday Step Study")
    _attend(late_stay, date(2026, 3, 9), "Next Monday, not this week")
    meetings = requirement(rows_by_name(manager)["Avery"], "outside_meetings")
    assert (meetings.required, meetings.actual, meetings.met, meetings.missed_by) == (5, 2, False, 2 + 1)


def test_drug_tests_of_the_month_are_counted_whatever_their_result(late_stay, manager, operator, organization):
    resident = late_stay.resident
    record_test(operator, resident, on=date(2026, 5, 4))
    record_test(operator, resident, on=date(2026, 5, 18), result="dilute")
    record_test(operator, resident, on=date(2026, 6, 1))
    # May 31, 2026 is a Sunday: the week of May 25 closes the month.
    tests = requirement(rows_by_name(manager, week_start=date(2026, 5, 25))["Avery"], "drug_tests")
    assert (tests.required, tests.actual, tests.met, tests.missed_by) == (4, 2, False, 2)


def test_drug_tests_short_of_the_minimum_mid_month_are_not_missed_yet(late_stay, manager, operator):
    record_test(operator, late_stay.resident, on=date(2026, 3, 4))
    tests = requirement(rows_by_name(manager)["Avery"], "drug_tests")
    assert (tests.actual, tests.met, tests.status) == (1, None, "so far")


def test_a_minimum_not_reached_while_the_week_runs_is_not_missed_yet(phases, house, operator, manager, organization):
    today = organization.today()
    stay = admit(house, actor=operator, on=today - timedelta(days=20), legal_last_name="Now")
    week_start = today - timedelta(days=today.weekday())  # a Wednesday's week: it runs until Sunday
    meetings = requirement(rows_by_name(manager, week_start=week_start)["Now"], "outside_meetings")
    assert (meetings.met, meetings.status) == (None, "so far")
    assert rows_by_name(manager, week_start=week_start)["Now"].behind is False
    assert stay.pk


def test_every_requirement_is_answered_in_order(late_stay, manager):
    row = rows_by_name(manager)["Avery"]
    assert [r.requirement for r in row.requirements] == [
        "outside_meetings", "drug_tests", "curfew", "overnight_passes", "days_in_phase",
    ]  # fmt: skip


def test_a_resident_with_no_phase_has_no_requirements(phases, house, operator, manager):
    admit(house, actor=operator, on=date(2026, 3, 1), legal_last_name="Cole", phase=False)
    row = rows_by_name(manager)["Cole"]
    assert (row.phase, row.requirements, row.behind) == (None, [], False)


def test_any_date_of_a_week_means_that_monday_to_sunday(late_stay, manager):
    row = rows_by_name(manager, week_start=date(2026, 3, 5))["Avery"]
    assert (row.week_start, row.week_end) == (MONDAY, date(2026, 3, 8))


def test_a_week_that_has_not_begun_is_refused(phases, manager, organization):
    with pytest.raises(DomainError) as error:
        compliance.phase_compliance(viewer=manager, week_start=organization.today() + timedelta(days=8))
    assert error.value.field == "week"


def test_residents_who_left_before_the_week_are_not_listed(late_stay, manager, operator):
    from residents.core.services.stays import stay_discharge

    stay_discharge(actor=operator, stay=late_stay, on=date(2026, 3, 2), reason="voluntary")
    assert "Avery" not in rows_by_name(manager, week_start=date(2026, 3, 9))


def test_a_manager_sees_only_residents_of_their_houses(late_stay, phases, other_house, operator, manager):
    admit(other_house, actor=operator, on=date(2026, 3, 1), legal_last_name="Dunn")
    assert set(rows_by_name(manager)) == {"Avery"}
    assert set(rows_by_name(operator)) == {"Avery", "Dunn"}


def test_compliance_costs_the_same_queries_for_any_number_of_residents(
    phases, house, operator, manager, organization, django_assert_max_num_queries
):
    def grow(count):
        for _ in range(count):
            stay = admit(house, actor=operator, on=date(2026, 3, 1))
            log_out(
                stay, actor=manager, out_at=local(organization, MONDAY, 19), back_at=local(organization, MONDAY, 23)
            )
            approved_pass(
                stay, actor=operator, leave_on=date(2026, 3, 4), return_on=date(2026, 3, 5), override=True, reason="x"
            )

    grow(1)
    with django_assert_max_num_queries(10) as small:
        compliance.phase_compliance(viewer=manager, week_start=MONDAY)
    grow(2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = compliance.phase_compliance(viewer=manager, week_start=MONDAY)
    assert len(rows) == 3


# API -----------------------------------------------------------------------------------------------------------------


def test_the_api_lists_residents_falling_behind(api, late_stay, steady_stay, manager, house):
    response = api(manager).get(f"/api/v1/phase-compliance/?house={house.pk}&week=2026-03-04&behind=true")
    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    assert (row["resident_name"], row["behind"], row["week_start"]) == ("Al Avery", True, "2026-03-02")
    curfew = next(r for r in row["requirements"] if r["requirement"] == "curfew")
    assert (curfew["required"], curfew["actual"], curfew["met"]) == (0, 2, False)


def test_the_api_shows_each_requirement_with_only_the_fields_it_has(api, late_stay, manager):
    [row] = api(manager).get("/api/v1/phase-compliance/?week=2026-03-02").json()["results"]
    by_name = {r["requirement"]: r for r in row["requirements"]}
    common = {"requirement", "label", "unit", "required", "actual", "met", "missed_by", "status", "informational"}
    assert {name: set(r) - common for name, r in by_name.items()} == {
        "outside_meetings": set(), "drug_tests": set(), "curfew": {"nights"}, "overnight_passes": set(),
        "days_in_phase": {"eligible_for_promotion", "eligible_on"},
    }  # fmt: skip
    assert (by_name["curfew"]["nights"], by_name["curfew"]["status"]) == (["2026-03-03", "2026-03-04"], "missed")
    days = by_name["days_in_phase"]
    assert (days["status"], days["label"]) == ("not yet eligible", "Days in phase")


def test_the_api_lists_everyone_without_the_behind_filter(api, late_stay, steady_stay, manager):
    body = api(manager).get("/api/v1/phase-compliance/?week=2026-03-02").json()
    assert [row["resident_name"] for row in body["results"]] == ["Al Avery", "Bo Baker"]
    assert body["results"][1]["phase"]["name"] == "Accountability"


def test_the_api_can_list_only_residents_on_track(api, late_stay, steady_stay, manager):
    body = api(manager).get("/api/v1/phase-compliance/?week=2026-03-02&behind=false").json()
    assert [row["resident_name"] for row in body["results"]] == ["Bo Baker"]


def test_a_resident_reads_only_their_own_compliance(api, phases, resident_member, late_stay):
    PhaseChange.objects.get_or_create(
        stay=resident_member.resident.stays.get(),
        defaults={"organization": resident_member.organization, "phase": phases[0], "kind": "initial",
                  "effective_on": date(2026, 1, 5)},
    )  # fmt: skip
    body = api(resident_member).get("/api/v1/phase-compliance/?week=2026-03-02").json()
    assert [row["resident"] for row in body["results"]] == [resident_member.resident.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [("week=2026-13-01", "week"), ("behind=maybe", "behind"), ("house=abc", "house"), ("colour=red", "colour")],
)
def test_bad_compliance_queries_are_a_400_naming_the_parameter(api, manager, phases, query, field):
    response = api(manager).get(f"/api/v1/phase-compliance/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_a_house_the_manager_does_not_run_is_not_a_choice(api, manager, phases, other_house):
    response = api(manager).get(f"/api/v1/phase-compliance/?house={other_house.pk}")
    assert response.status_code == 400
    assert "house" in response.json()


def test_a_future_week_is_a_400_naming_week(api, manager, phases):
    response = api(manager).get("/api/v1/phase-compliance/?week=2099-01-05")
    assert response.status_code == 400
    assert "week" in response.json()
