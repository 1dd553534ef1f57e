"""Sign-out log and overnight passes: one open sign-out, sign-ins, requests, decisions, allowance, returns."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.exceptions import Conflict, DomainError, NotAllowed
from residents.models import OvernightPass, PhaseChange, SignOut
from residents.program.services import signouts as services
from residents.signals import pass_returned
from tests.factories import admit

from .phases_factories import approved_pass, local, log_out, make_phases

MARCH = date(2026, 3, 2)


@pytest.fixture
def phases(organization):
    return make_phases(organization)


@pytest.fixture
def stay(phases, house, operator):
    """In Accountability (two passes a month) since Feb 1."""
    stay = admit(house, actor=operator, on=date(2026, 1, 1))
    PhaseChange.objects.create(
        organization=stay.organization, stay=stay, phase=phases[1], kind="promotion", effective_on=date(2026, 2, 1)
    )
    return stay


@pytest.fixture
def resident_stay(phases, resident_member):
    return resident_member.resident.stays.get()


def ask(stay, actor, leave_on, nights=1, **kwargs):
    return services.pass_request(
        actor=actor, stay=stay, leave_on=leave_on, return_on=leave_on + timedelta(days=nights),
        destination=kwargs.pop("destination", "Sister's house"), contact_phone="(555) 010-3000", **kwargs,
    )  # fmt: skip


# Sign-outs -----------------------------------------------------------------------------------------------------------


def test_a_resident_signs_out_and_back_in_at_the_present_time(resident_stay, resident_member):
    before = timezone.now()
    sign_out = services.signout_create(
        actor=resident_member, stay=resident_stay, destination="NA meeting",
        expected_return_at=before + timedelta(hours=2),
    )  # fmt: skip
    assert sign_out.signed_out_at >= before
    assert sign_out.is_open
    sign_out = services.signout_sign_in(actor=resident_member, stay=resident_stay)
    assert sign_out.signed_in_at >= sign_out.signed_out_at
    assert sign_out.signed_in_by == resident_member.user


def test_a_second_open_sign_out_is_a_conflict(stay, manager, organization):
    log_out(stay, actor=manager, out_at=local(organization, MARCH, 9))
    with pytest.raises(Conflict, match="already signed out"):
        log_out(stay, actor=manager, out_at=local(organization, MARCH, 10))
    assert SignOut.objects.count() == 1


def test_signing_in_with_no_open_sign_out_is_refused_clearly(stay, manager):
    with pytest.raises(DomainError, match="not signed out, so there is nothing to sign in") as error:
        services.signout_sign_in(actor=manager, stay=stay)
    assert error.value.status_code == 400


def test_the_expected_return_must_be_after_leaving(stay, manager, organization):
    with pytest.raises(DomainError) as error:
        services.signout_create(
            actor=manager, stay=stay, destination="Work", signed_out_at=local(organization, MARCH, 9),
            expected_return_at=local(organization, MARCH, 8),
        )  # fmt: skip
    assert error.value.field == "expected_return_at"


def test_a_sign_in_cannot_be_before_the_sign_out(stay, manager, organization):
    log_out(stay, actor=manager, out_at=local(organization, MARCH, 9))
    with pytest.raises(DomainError) as error:
        services.signout_sign_in(actor=manager, stay=stay, signed_in_at=local(organization, MARCH, 8))
    assert error.value.field == "signed_in_at"


def test_a_resident_cannot_backdate_their_own_sign_out(resident_stay, resident_member, organization):
    with pytest.raises(DomainError) as error:
        services.signout_create(
            actor=resident_member, stay=resident_stay, destination="Work",
            signed_out_at=local(organization, MARCH, 9), expected_return_at=local(organization, MARCH, 17),
        )  # fmt: skip
    assert error.value.field == "signed_out_at"


def test_staff_cannot_record_a_time_in_the_future(stay, manager):
    later = timezone.now() + timedelta(hours=1)
    with pytest.raises(DomainError, match="future"):
        services.signout_create(
            actor=manager, stay=stay, destination="Work", signed_out_at=later,
            expected_return_at=later + timedelta(hours=1),
        )  # fmt: skip


def test_a_sign_out_cannot_overlap_an_earlier_one(stay, manager, organization):
    log_out(stay, actor=manager, out_at=local(organization, MARCH, 9), back_at=local(organization, MARCH, 12))
    with pytest.raises(DomainError, match="overlaps"):
        log_out(stay, actor=manager, out_at=local(organization, MARCH, 11))


def test_a_resident_cannot_sign_out_someone_else(resident_member, stay):
    with pytest.raises(NotAllowed):
        services.signout_create(
            actor=resident_member, stay=stay, destination="Work",
            expected_return_at=timezone.now() + timedelta(hours=1),
        )  # fmt: skip


def test_a_manager_cannot_sign_out_a_resident_of_another_house(phases, other_house, operator, manager):
    elsewhere = admit(other_house, actor=operator, on=date(2026, 1, 1))
    with pytest.raises(NotAllowed):
        services.signout_create(
            actor=manager, stay=elsewhere, destination="Work", expected_return_at=timezone.now() + timedelta(hours=1)
        )


def test_the_database_allows_one_open_sign_out_per_stay(stay, manager, organization):
    from django.db import IntegrityError, transaction

    log_out(stay, actor=manager, out_at=local(organization, MARCH, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOut.objects.create(
            organization=organization, house=stay.house, stay=stay, destination="Twice",
            signed_out_at=local(organization, MARCH, 10), expected_return_at=local(organization, MARCH, 11),
        )  # fmt: skip


# Passes --------------------------------------------------------------------------------------------------------------


def test_a_pass_must_return_after_it_leaves(stay, manager):
    with pytest.raises(DomainError) as error:
        ask(stay, manager, MARCH, nights=0)
    assert error.value.field == "return_on"
    assert not OvernightPass.objects.exists()


def test_a_resident_cannot_ask_for_a_pass_in_the_past(resident_stay, resident_member, organization):
    with pytest.raises(DomainError) as error:
        ask(resident_stay, resident_member, organization.today() - timedelta(days=1))
    assert error.value.field == "leave_on"


def test_a_resident_asks_for_their_own_pass(resident_stay, resident_member, organization):
    pass_ = ask(resident_stay, resident_member, organization.today() + timedelta(days=3), nights=2)
    assert (pass_.status, pass_.nights, pass_.resident, pass_.house) == (
        "requested", 2, resident_stay.resident, resident_stay.house,
    )  # fmt: skip


def test_overlapping_passes_are_a_conflict(stay, manager):
    ask(stay, manager, MARCH, nights=3)
    with pytest.raises(Conflict) as error:
        ask(stay, manager, MARCH + timedelta(days=2))
    assert error.value.field == "leave_on"


def test_approval_within_the_allowance_records_the_decision(stay, manager):
    pass_ = services.pass_approve(actor=manager, pass_=ask(stay, manager, MARCH))
    assert (pass_.status, pass_.decided_by, pass_.allowance_overridden) == ("approved", manager.user, False)
    assert pass_.decided_at is not None


def test_approval_beyond_the_phases_allowance_is_refused_and_says_so(stay, manager):
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 6), return_on=date(2026, 3, 8))
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 13), return_on=date(2026, 3, 15))
    third = ask(stay, manager, date(2026, 3, 20))
    with pytest.raises(DomainError) as error:
        services.pass_approve(actor=manager, pass_=third, reason="Family wedding")
    assert "used 2 of the 2 overnight passes Accountability allows in March 2026" in error.value.message
    assert "override=true" in error.value.message
    third.refresh_from_db()
    assert third.status == "requested"


def test_approval_beyond_the_allowance_with_an_override_and_a_reason_is_recorded(stay, manager):
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 6), return_on=date(2026, 3, 8))
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 13), return_on=date(2026, 3, 15))
    third = services.pass_approve(
        actor=manager, pass_=ask(stay, manager, date(2026, 3, 20)), override=True, reason="Sister's wedding"
    )
    assert (third.status, third.allowance_overridden, third.decision_reason) == (
        "approved", True, "Sister's wedding",
    )  # fmt: skip


def test_an_override_needs_a_reason(stay, manager):
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 6), return_on=date(2026, 3, 8))
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 13), return_on=date(2026, 3, 15))
    with pytest.raises(DomainError) as error:
        services.pass_approve(actor=manager, pass_=ask(stay, manager, date(2026, 3, 20)), override=True)
    assert error.value.field == "reason"


def test_the_allowance_counts_passes_by_the_month_they_leave(stay, manager):
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 6), return_on=date(2026, 3, 8))
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 30), return_on=date(2026, 4, 2))
    assert services.pass_approve(actor=manager, pass_=ask(stay, manager, date(2026, 4, 10))).status == "approved"


def test_cancelled_and_denied_passes_do_not_count_against_the_allowance(stay, manager):
    services.pass_cancel(actor=manager, pass_=approved_pass(stay, actor=manager, leave_on=date(2099, 3, 6),
                                                           return_on=date(2099, 3, 7)))  # fmt: skip
    services.pass_deny(actor=manager, pass_=ask(stay, manager, date(2099, 3, 8)), reason="Curfew last week")
    approved_pass(stay, actor=manager, leave_on=date(2099, 3, 13), return_on=date(2099, 3, 14))
    assert services.pass_approve(actor=manager, pass_=ask(stay, manager, date(2099, 3, 20))).status == "approved"


def test_the_first_phase_allows_no_passes_without_an_override(phases, house, operator, manager):
    newcomer = admit(house, actor=operator, on=date(2026, 3, 1))
    with pytest.raises(DomainError, match="0 of the 0"):
        services.pass_approve(actor=manager, pass_=ask(newcomer, manager, date(2026, 3, 6)))


def test_a_denial_needs_a_reason(stay, manager):
    pass_ = ask(stay, manager, MARCH)
    with pytest.raises(DomainError) as error:
        services.pass_deny(actor=manager, pass_=pass_, reason=" ")
    assert error.value.field == "reason"
    pass_.refresh_from_db()
    assert pass_.status == "requested"


def test_a_denial_records_who_and_why(stay, manager):
    pass_ = services.pass_deny(actor=manager, pass_=ask(stay, manager, MARCH), reason="Missed curfew twice")
    assert (pass_.status, pass_.decided_by, pass_.decision_reason) == ("denied", manager.user, "Missed curfew twice")


def test_a_decided_pass_cannot_be_decided_again(stay, manager):
    pass_ = services.pass_deny(actor=manager, pass_=ask(stay, manager, MARCH), reason="No")
    with pytest.raises(Conflict, match="already denied"):
        services.pass_approve(actor=manager, pass_=pass_)


def test_a_manager_of_another_house_cannot_decide(phases, other_house, operator, manager):
    elsewhere = admit(other_house, actor=operator, on=date(2026, 1, 1))
    pass_ = ask(elsewhere, operator, MARCH)
    with pytest.raises(NotAllowed):
        services.pass_approve(actor=manager, pass_=pass_)


def test_an_operator_decides_for_any_house(stay, operator):
    assert services.pass_approve(actor=operator, pass_=ask(stay, operator, MARCH)).status == "approved"


def test_a_begun_pass_cannot_be_cancelled(stay, manager):
    pass_ = approved_pass(stay, actor=manager, leave_on=MARCH, return_on=MARCH + timedelta(days=1))
    with pytest.raises(Conflict, match="has begun"):
        services.pass_cancel(actor=manager, pass_=pass_)


def test_a_resident_cancels_their_own_waiting_pass(resident_stay, resident_member, organization):
    pass_ = ask(resident_stay, resident_member, organization.today() + timedelta(days=5))
    assert services.pass_cancel(actor=resident_member, pass_=pass_).status == "cancelled"


def test_returning_from_a_pass_is_recorded_and_signalled(stay, manager, organization):
    pass_ = approved_pass(stay, actor=manager, leave_on=MARCH, return_on=MARCH + timedelta(days=2))
    received = []

    def receiver(sender, pass_, actor, **kwargs):
        received.append((sender, pass_.pk, pass_.returned_at, actor))

    pass_returned.connect(receiver)
    try:
        back = local(organization, MARCH + timedelta(days=2), 10)
        services.pass_return(actor=manager, pass_=pass_, returned_at=back)
    finally:
        pass_returned.disconnect(receiver)
    assert received == [(OvernightPass, pass_.pk, back, manager)]
    pass_.refresh_from_db()
    assert (pass_.returned_at, pass_.return_recorded_by) == (back, manager.user)


def test_a_return_is_recorded_once(stay, manager):
    pass_ = approved_pass(stay, actor=manager, leave_on=MARCH, return_on=MARCH + timedelta(days=1))
    services.pass_return(actor=manager, pass_=pass_)
    with pytest.raises(Conflict, match="already recorded"):
        services.pass_return(actor=manager, pass_=pass_)


def test_only_an_approved_pass_has_a_return_and_no_signal_is_sent_otherwise(stay, manager):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs["pass_"])

    pass_returned.connect(receiver)
    try:
        with pytest.raises(DomainError, match="Only an approved pass"):
            services.pass_return(actor=manager, pass_=ask(stay, manager, MARCH))
    finally:
        pass_returned.disconnect(receiver)
    assert received == []


def test_a_return_cannot_be_before_the_pass_began(stay, manager, organization):
    pass_ = approved_pass(stay, actor=manager, leave_on=MARCH, return_on=MARCH + timedelta(days=1))
    with pytest.raises(DomainError) as error:
        services.pass_return(actor=manager, pass_=pass_, returned_at=local(organization, MARCH - timedelta(days=1), 9))
    assert error.value.field == "returned_at"


def test_returning_from_a_pass_asks_for_a_test_when_the_house_says_so(phases, house, operator, manager, organization):
    from residents.models import TestRequest
    from residents.program.services.signouts import pass_return

    today = organization.today()
    stay = admit(house, actor=operator, on=today - timedelta(days=40))
    overnight = approved_pass(
        stay, actor=manager, leave_on=today - timedelta(days=2), return_on=today, override=True, reason="Family"
    )
    pass_return(actor=manager, pass_=overnight, returned_at=timezone.now())
    request = TestRequest.objects.get(stay=stay)
    assert (request.reason, request.due_on) == ("return_from_pass", today)


def test_a_house_that_does_not_test_after_passes_asks_for_nothing(phases, house, operator, manager, organization):
    from residents.models import DrugTestPolicy, TestRequest
    from residents.program.services.signouts import pass_return

    DrugTestPolicy.objects.create(organization=organization, house=house, test_after_pass=False)
    today = organization.today()
    stay = admit(house, actor=operator, on=today - timedelta(days=40))
    overnight = approved_pass(
        stay, actor=manager, leave_on=today - timedelta(days=2), return_on=today, override=True, reason="Family"
    )
    pass_return(actor=manager, pass_=overnight, returned_at=timezone.now())
    assert not TestRequest.objects.filter(stay=stay).exists()
