"""Curfew violations: weeknights and weekends, curfews after midnight, time zones, residents not back, passes."""

from datetime import date, time

import pytest

from residents.models import PhaseChange
from residents.program.selectors.signouts import curfew_violations
from residents.program.services import signouts as signout_services
from tests.factories import admit

from .phases_factories import approved_pass, local, log_out, make_phases

TUESDAY = date(2026, 3, 3)
FRIDAY = date(2026, 3, 6)
SATURDAY = date(2026, 3, 7)  # the night US clocks spring forward (Sunday Mar 8, 02:00)
SUNDAY = date(2026, 3, 1)


@pytest.fixture
def phases(organization):
    return make_phases(organization)


@pytest.fixture
def stay(phases, house, operator):
    """In Stabilization: 22:00 on weeknights, 23:00 on Friday and Saturday nights."""
    return admit(house, actor=operator, on=SUNDAY, legal_first_name="Sam", legal_last_name="Adams")


def put_in(stay, phase, on=SUNDAY):
    PhaseChange.objects.create(
        organization=stay.organization, stay=stay, phase=phase, kind="promotion", effective_on=on
    )


def violations(manager, house, night, **kwargs):
    return curfew_violations(viewer=manager, house=house, night=night, **kwargs)


def test_signing_in_after_the_weeknight_curfew_is_a_violation(stay, manager, house, organization):
    log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, TUESDAY, 22, 30))
    [violation] = violations(manager, house, TUESDAY)
    assert (violation.stay, violation.kind, violation.curfew, violation.minutes_late) == (
        stay, "signed_in_late", time(22, 0), 30,
    )  # fmt: skip


def test_signing_in_before_curfew_is_no_violation(stay, manager, house, organization):
    log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, TUESDAY, 21, 50))
    assert violations(manager, house, TUESDAY) == []


def test_signing_in_exactly_at_curfew_is_on_time(stay, manager, house, organization):
    log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, TUESDAY, 22))
    assert violations(manager, house, TUESDAY) == []


def test_friday_night_follows_the_later_weekend_curfew(stay, manager, house, organization):
    log_out(stay, actor=manager, out_at=local(organization, FRIDAY, 19), back_at=local(organization, FRIDAY, 22, 30))
    assert violations(manager, house, FRIDAY) == []


def test_sunday_night_follows_the_weeknight_curfew(stay, manager, house, organization):
    log_out(stay, actor=manager, out_at=local(organization, SUNDAY, 19), back_at=local(organization, SUNDAY, 22, 30))
    [violation] = violations(manager, house, SUNDAY)
    assert violation.curfew == time(22, 0)


def test_a_sign_in_after_midnight_is_a_violation_of_the_night_before(stay, manager, house, organization):
    log_out(
        stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, date(2026, 3, 4), 1)
    )
    assert [v.night for v in violations(manager, house, TUESDAY)] == [TUESDAY]
    assert violations(manager, house, date(2026, 3, 4)) == []


def test_a_curfew_after_midnight_falls_on_the_next_morning(stay, phases, manager, house, organization):
    put_in(stay, phases[1])  # Accountability: Friday curfew 00:30
    log_out(stay, actor=manager, out_at=local(organization, FRIDAY, 20), back_at=local(organization, SATURDAY, 0, 20))
    assert violations(manager, house, FRIDAY) == []


def test_signing_in_after_an_after_midnight_curfew_is_a_violation(stay, phases, manager, house, organization):
    put_in(stay, phases[1])
    log_out(stay, actor=manager, out_at=local(organization, FRIDAY, 20), back_at=local(organization, SATURDAY, 0, 45))
    [violation] = violations(manager, house, FRIDAY)
    assert violation.deadline == local(organization, SATURDAY, 0, 30)
    assert violation.minutes_late == 15


def test_a_resident_not_back_by_curfew_is_a_violation_once_it_has_passed(stay, manager, house, organization):
    log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19))
    assert violations(manager, house, TUESDAY, now=local(organization, TUESDAY, 21, 59)) == []
    [violation] = violations(manager, house, TUESDAY, now=local(organization, TUESDAY, 23))
    assert (violation.kind, violation.minutes_late, violation.sign_out.signed_in_at) == ("not_signed_in", 60, None)


def test_a_resident_out_for_days_violates_every_night(stay, manager, house, organization):
    log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, FRIDAY, 12))
    for night in (TUESDAY, date(2026, 3, 4), date(2026, 3, 5)):
        assert len(violations(manager, house, night)) == 1, night
    assert violations(manager, house, FRIDAY) == []


def test_leaving_after_curfew_is_a_violation(stay, manager, house, organization):
    log_out(
        stay, actor=manager, out_at=local(organization, TUESDAY, 23, 30), back_at=local(organization, TUESDAY, 23, 50)
    )
    [violation] = violations(manager, house, TUESDAY)
    assert violation.kind == "signed_out_after_curfew"


def test_leaving_after_the_curfew_ends_in_the_morning_is_not_a_violation(stay, manager, house, organization):
    wednesday = date(2026, 3, 4)
    log_out(
        stay, actor=manager, out_at=local(organization, wednesday, 6, 30), back_at=local(organization, wednesday, 9)
    )
    assert violations(manager, house, TUESDAY) == []


def test_curfews_are_read_in_the_organizations_time_zone(stay, manager, house, organization):
    # 03:30 UTC on Mar 4 is 21:30 in Chicago (on time) but 22:30 in New York (late).
    from datetime import UTC, datetime

    back = datetime(2026, 3, 4, 3, 30, tzinfo=UTC)
    log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=back)
    assert violations(manager, house, TUESDAY) == []
    organization.timezone = "America/New_York"
    organization.save()
    manager.organization.refresh_from_db()
    assert len(violations(manager, house, TUESDAY)) == 1


def test_lateness_counts_real_minutes_across_the_change_to_daylight_time(stay, phases, manager, house, organization):
    put_in(stay, phases[2])  # Independence: Saturday curfew 01:30, and 02:00 that night is 03:00
    log_out(
        stay,
        actor=manager,
        out_at=local(organization, SATURDAY, 20),
        back_at=local(organization, date(2026, 3, 8), 3, 10),
    )
    [violation] = violations(manager, house, SATURDAY)
    assert violation.minutes_late == 40


def test_an_approved_pass_excuses_its_nights(stay, phases, manager, house, organization):
    put_in(stay, phases[1])
    approved_pass(stay, actor=manager, leave_on=TUESDAY, return_on=date(2026, 3, 5))
    log_out(
        stay, actor=manager, out_at=local(organization, TUESDAY, 18), back_at=local(organization, date(2026, 3, 5), 10)
    )
    assert violations(manager, house, TUESDAY) == []
    assert violations(manager, house, date(2026, 3, 4)) == []


def test_the_night_a_pass_returns_is_not_excused(stay, phases, manager, house, organization):
    put_in(stay, phases[1])
    approved_pass(stay, actor=manager, leave_on=TUESDAY, return_on=date(2026, 3, 4))
    log_out(
        stay, actor=manager, out_at=local(organization, TUESDAY, 18), back_at=local(organization, date(2026, 3, 5), 1)
    )
    assert violations(manager, house, TUESDAY) == []
    assert len(violations(manager, house, date(2026, 3, 4))) == 1


def test_a_pass_waiting_for_a_decision_excuses_nothing(stay, manager, house, organization):
    signout_services.pass_request(
        actor=manager, stay=stay, leave_on=TUESDAY, return_on=date(2026, 3, 4), destination="Home",
        contact_phone="555",
    )  # fmt: skip
    log_out(
        stay, actor=manager, out_at=local(organization, TUESDAY, 18), back_at=local(organization, date(2026, 3, 4), 10)
    )
    assert len(violations(manager, house, TUESDAY)) == 1


def test_the_phase_in_force_that_night_sets_the_curfew(stay, phases, manager, house, organization):
    put_in(stay, phases[1], on=date(2026, 3, 4))  # 23:00 on weeknights from Wednesday
    log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, TUESDAY, 22, 30))
    wednesday = date(2026, 3, 4)
    log_out(
        stay, actor=manager, out_at=local(organization, wednesday, 19), back_at=local(organization, wednesday, 22, 30)
    )
    assert len(violations(manager, house, TUESDAY)) == 1
    assert violations(manager, house, wednesday) == []


def test_a_phase_without_a_curfew_has_no_violations(stay, phases, manager, house, organization):
    phases[0].weeknight_curfew = None
    phases[0].save()
    log_out(
        stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, date(2026, 3, 4), 3)
    )
    assert violations(manager, house, TUESDAY) == []


def test_a_house_list_shows_only_its_residents_of_that_night(
    stay, phases, manager, operator, house, other_house, organization
):
    elsewhere = admit(other_house, actor=operator, on=SUNDAY)
    later = admit(house, actor=operator, on=date(2026, 3, 10))
    for someone in (stay, elsewhere):
        log_out(
            someone, actor=operator, out_at=local(organization, TUESDAY, 19), back_at=local(organization, TUESDAY, 23)
        )
    log_out(
        later,
        actor=operator,
        out_at=local(organization, date(2026, 3, 10), 19),
        back_at=local(organization, date(2026, 3, 10), 23),
    )
    assert [v.stay for v in violations(operator, house, TUESDAY)] == [stay]


def test_a_resident_without_a_phase_has_no_curfew(phases, manager, operator, house, organization):
    stay = admit(house, actor=operator, on=SUNDAY, phase=False)
    log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, TUESDAY, 23))
    assert violations(manager, house, TUESDAY) == []
