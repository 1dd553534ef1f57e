"""Phase history: the first phase on admission, promotions (minimum days, top phase) and demotions."""

from datetime import date, timedelta

import pytest

from accounts.exceptions import DomainError
from residents.core.services import stays as stay_services
from residents.models import PhaseChange, Stay
from residents.program.selectors.phases import current_phases, with_current_phase
from residents.program.services import phases as services
from tests.clock import local_moment, module_clock
from tests.factories import admit

from .phases_factories import make_phases

ADMITTED = date(2026, 1, 5)

# Phase changes may not be dated in the future, and the dates here run to June 1, 2026: the clock is after them
# (June 10, 2026), whatever day the suite runs.
_clock = module_clock(local_moment(2026, 6, 10))


@pytest.fixture
def phases(organization):
    return make_phases(organization)


@pytest.fixture
def stay(phases, house, operator):
    return admit(house, actor=operator, on=ADMITTED)


def test_admission_puts_a_resident_in_the_lowest_phase_from_move_in(phases, house, operator):
    stay = admit(house, actor=operator, on=ADMITTED, phase=False)
    change = services.phase_set_initial(actor=operator, stay=stay)
    assert (change.phase, change.kind, change.effective_on) == (phases[0], "initial", ADMITTED)
    assert change.changed_by == operator.user


def test_an_admission_booked_ahead_starts_its_phase_on_move_in(phases, house, operator, organization):
    move_in = organization.today() + timedelta(days=10)
    stay = admit(house, actor=operator, on=move_in, phase=False)
    assert services.phase_set_initial(actor=operator, stay=stay).effective_on == move_in


def test_admission_sets_no_phase_when_the_organization_has_none(house, operator):
    stay = admit(house, actor=operator, on=ADMITTED, phase=False)
    assert services.phase_set_initial(actor=operator, stay=stay) is None
    assert not PhaseChange.objects.exists()


def test_a_stay_gets_its_first_phase_only_once(stay, operator):
    with pytest.raises(DomainError) as error:
        services.phase_set_initial(actor=operator, stay=stay)
    assert error.value.status_code == 409


def test_staff_can_start_the_phase_of_a_resident_admitted_before_phases_existed(house, operator, manager):
    stay = admit(house, actor=operator, on=ADMITTED, phase=False)
    phases = make_phases(house.organization)
    change = services.phase_start(actor=manager, stay=stay, on=date(2026, 2, 1))
    assert (change.phase, change.effective_on) == (phases[0], date(2026, 2, 1))


def test_starting_a_phase_before_any_is_defined_says_so(house, operator):
    stay = admit(house, actor=operator, on=ADMITTED, phase=False)
    with pytest.raises(DomainError, match="no phases yet"):
        services.phase_start(actor=operator, stay=stay)


def test_promotion_before_the_minimum_days_is_refused_with_the_first_possible_date(stay, manager):
    with pytest.raises(DomainError) as error:
        services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 3), reason="Doing well")
    assert error.value.field == "on"
    assert "29 of the 30 days" in error.value.message
    assert "Feb 4, 2026" in error.value.message
    assert stay.phase_changes.count() == 1


def test_promotion_once_the_minimum_days_are_served_moves_up_one_phase(stay, manager, phases):
    change = services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 4), reason="Thirty clean days")
    assert (change.phase, change.kind, change.reason, change.changed_by) == (
        phases[1], "promotion", "Thirty clean days", manager.user,
    )  # fmt: skip


def test_promotion_counts_days_in_the_current_phase_not_since_move_in(stay, manager):
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 4))
    with pytest.raises(DomainError, match="60 days"):
        services.phase_promote(actor=manager, stay=stay, on=date(2026, 3, 1))


def test_promotion_in_the_top_phase_is_refused(stay, manager):
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 4))
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 4, 5))
    with pytest.raises(DomainError, match="already in the top phase, Independence") as error:
        services.phase_promote(actor=manager, stay=stay, on=date(2026, 6, 1))
    assert error.value.field == "stay"


def test_promotion_without_a_date_is_dated_today(stay, manager, organization):
    assert services.phase_promote(actor=manager, stay=stay).effective_on == organization.today()


def test_a_change_cannot_be_dated_in_the_future(stay, manager, organization):
    with pytest.raises(DomainError, match="future"):
        services.phase_promote(actor=manager, stay=stay, on=date(2099, 1, 1))


def test_a_change_cannot_be_dated_before_the_current_phase_began(stay, manager):
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 10))
    with pytest.raises(DomainError, match="cannot be dated before") as error:
        services.phase_demote(actor=manager, stay=stay, on=date(2026, 2, 9), reason="Missed curfew")
    assert error.value.field == "on"


def test_demotion_moves_down_one_phase_with_its_reason(stay, manager, phases):
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 4))
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 4, 5))
    change = services.phase_demote(actor=manager, stay=stay, on=date(2026, 4, 20), reason="Two curfew violations")
    assert (change.phase, change.kind, change.reason) == (phases[1], "demotion", "Two curfew violations")


def test_demotion_can_go_to_a_chosen_lower_phase(stay, manager, phases):
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 4))
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 4, 5))
    change = services.phase_demote(actor=manager, stay=stay, reason="Relapse", to_phase=phases[0])
    assert change.phase == phases[0]


def test_demotion_to_a_phase_that_is_not_lower_is_refused(stay, manager, phases):
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 4))
    with pytest.raises(DomainError) as error:
        services.phase_demote(actor=manager, stay=stay, reason="Curfew", to_phase=phases[2])
    assert error.value.field == "to_phase"


def test_demotion_needs_a_reason(stay, manager):
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 4))
    with pytest.raises(DomainError) as error:
        services.phase_demote(actor=manager, stay=stay, reason="  ")
    assert error.value.field == "reason"


def test_demotion_in_the_first_phase_is_refused(stay, manager):
    with pytest.raises(DomainError, match="first phase"):
        services.phase_demote(actor=manager, stay=stay, reason="Curfew")


def test_the_history_keeps_every_change_in_order(stay, manager, phases):
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 4))
    services.phase_demote(actor=manager, stay=stay, on=date(2026, 3, 1), reason="Curfew")
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 4, 1))
    history = list(stay.phase_changes.values_list("kind", "phase__order", "effective_on"))
    assert history == [
        ("initial", 1, ADMITTED),
        ("promotion", 2, date(2026, 2, 4)),
        ("demotion", 1, date(2026, 3, 1)),
        ("promotion", 2, date(2026, 4, 1)),
    ]


def test_a_stay_with_no_phase_cannot_be_promoted_and_is_told_why(phases, house, operator, manager):
    stay = admit(house, actor=operator, on=ADMITTED, phase=False)
    with pytest.raises(DomainError, match="no phase yet"):
        services.phase_promote(actor=manager, stay=stay)


def test_a_discharged_resident_cannot_be_promoted(stay, manager, operator):
    stay_services.stay_discharge(actor=operator, stay=stay, on=date(2026, 3, 1), reason="completed")
    with pytest.raises(DomainError, match="current resident"):
        services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 20))


def test_a_manager_cannot_change_phases_in_a_house_they_do_not_run(phases, other_house, operator, manager):
    stay = admit(other_house, actor=operator, on=ADMITTED)
    with pytest.raises(services.NotAllowed):
        services.phase_promote(actor=manager, stay=stay)


def test_the_current_phase_is_the_latest_change(stay, manager, phases):
    services.phase_promote(actor=manager, stay=stay, on=date(2026, 2, 4))
    row = with_current_phase(Stay.objects.filter(pk=stay.pk)).get()
    assert (row.current_phase_id, row.current_phase_name, row.current_phase_since) == (
        phases[1].pk, "Accountability", date(2026, 2, 4),
    )  # fmt: skip
    assert row.current_phase_is_top is False


def test_current_phases_reads_any_number_of_residents_in_one_query(phases, house, operator, django_assert_num_queries):
    for _ in range(3):
        admit(house, actor=operator, on=ADMITTED)
    with django_assert_num_queries(1):
        rows = list(current_phases(viewer=operator, house=house))
    assert [row.current_phase_order for row in rows] == [1, 1, 1]
