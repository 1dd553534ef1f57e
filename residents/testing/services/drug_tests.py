"""Recording drug tests and their results, and the requests that say a resident must be tested.

Rules:
- A test belongs to the stay and house where the resident was on the collection date (the organization's date).
- The panel is a non-empty set from the fixed vocabulary; a breath test screens for alcohol only.
- A positive result names at least one substance, all of them on the panel; any other result names none.
- A pending lab result is completed later with the final result (``drug_test_complete``), exactly once.
- Nothing is dated into a closed month: neither a test collected then nor the final result of one (the month's
  figures count tests by result).
- Fulfilment: recording a test (whatever its result: a refusal, a dilute or an invalid sample is itself the answer,
  and a retest is a new request) fulfils the resident's oldest open request of the same stay that is due on or
  before the collection date plus ``FULFILMENT_GRACE_DAYS``. So a test a few days ahead of a due date counts, a
  late test closes the overdue request, and a test never answers a request due well after it.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import audit
from accounts.calendar import local_date
from accounts.closing import MonthClosed, closed_through, lock_books, refuse_closed_day
from accounts.exceptions import Conflict, Invalid
from accounts.input_checks import check_choice, check_moment
from accounts.models import Membership
from houses.models import House
from residents.core.selectors.nights import residence_on_day
from residents.core.services.roles import require_staff
from residents.models import (
    DrugTest,
    DrugTestPolicy,
    DrugTestSubstance,
    OvernightPass,
    Resident,
    Stay,
    Substance,
    TestReason,
    TestRequest,
)

FULFILMENT_GRACE_DAYS = 3
Result = DrugTest.Result


def _clean_panel(method: str, panel: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(panel))  # drops repeats, keeps order
    if not codes:
        raise Invalid(_("Name at least one substance the test screens for."), field="panel")
    unknown = [code for code in codes if code not in Substance.values]
    if unknown:
        raise Invalid(_("Unknown substance: %(join)s.") % {"join": ", ".join(unknown)}, field="panel")
    if method == DrugTest.Method.BREATH and codes != [Substance.ALCOHOL]:
        raise Invalid(_("A breath test screens for alcohol only."), field="panel")
    return codes


def _clean_positives(result: str, panel: list[str], positive_substances: Iterable[str]) -> set[str]:
    positives = set(positive_substances)
    if result != Result.POSITIVE:
        if positives:
            raise Invalid(_("Only a positive result names substances."), field="positive_substances")
        return positives
    if not positives:
        raise Invalid(_("A positive result must name the substances it was positive for."), field="positive_substances")
    off_panel = sorted(positives - set(panel))
    if off_panel:
        raise Invalid(
            _("Not on this test's panel: %(join)s.") % {"join": ", ".join(off_panel)}, field="positive_substances"
        )
    return positives


def _fulfil_oldest_request(test: DrugTest, day: date) -> TestRequest | None:
    request = (
        TestRequest.objects.select_for_update()
        .filter(stay=test.stay, status=TestRequest.Status.OPEN, due_on__lte=day + timedelta(days=FULFILMENT_GRACE_DAYS))
        .order_by("due_on", "pk")
        .first()
    )
    if request is None:
        return None
    request.status = TestRequest.Status.FULFILLED
    request.fulfilled_by = test
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "fulfilled_by", "closed_at"])
    return request


@transaction.atomic
def drug_test_record(
    *,
    actor: Membership,
    resident: Resident,
    collected_at: datetime,
    method: str,
    reason: str,
    panel: Iterable[str],
    result: str,
    positive_substances: Iterable[str] = (),
    lab_reference: str = "",
    notes: str = "",
) -> DrugTest:
    """Records a test collected from ``resident`` at ``collected_at`` and fulfils their oldest due request.

    Staff only (``NotAllowed`` otherwise); the resident must have been living in one of the actor's houses on that date.
    """
    require_staff(actor, organization_id=resident.organization_id)
    check_moment(collected_at, field="collected_at")
    check_choice(method, DrugTest.Method, field="method")
    check_choice(reason, TestReason, field="reason")
    check_choice(result, Result, field="result")
    codes = _clean_panel(method, panel)
    if result == Result.PENDING_LAB and method == DrugTest.Method.BREATH:
        raise Invalid(_("A breath test is read on the spot; it cannot be pending a lab."), field="result")
    positives = _clean_positives(result, codes, positive_substances)
    day = local_date(collected_at, resident.organization)
    refuse_closed_day(organization_id=resident.organization_id, on=day, field="collected_at", what=_("a drug test"))
    residence = residence_on_day(resident=resident, day=day, houses=House.objects.visible_to(actor))
    if residence is None:
        if not Stay.objects.filter(resident=resident).exists():
            raise Invalid(_("%(resident)s has never lived in a house.") % {"resident": resident}, field="resident")
        raise Invalid(
            _("%(resident)s was not living in one of your houses on %(day)s.")
            % {"resident": resident, "day": date_format(day, _("M j, Y"))},
            field="collected_at",
        )
    # Serializes tests of one stay, so two staff recording at once cannot both fulfil the same request.
    stay = Stay.objects.select_for_update().get(pk=residence.stay_id)
    test = DrugTest.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        stay=stay,
        house=residence.bed.house,
        collected_at=collected_at,
        method=method,
        reason=reason,
        result=result,
        lab_reference=lab_reference,
        notes=notes,
        collected_by=actor.user,
        result_recorded_at=None if result == Result.PENDING_LAB else timezone.now(),
        result_recorded_by=None if result == Result.PENDING_LAB else actor.user,
    )
    DrugTestSubstance.objects.bulk_create(
        DrugTestSubstance(test=test, substance=code, positive=code in positives) for code in codes
    )
    _fulfil_oldest_request(test, day)
    audit.changed(actor=actor, action=audit.Action.CREATE, instance=test)
    return test


@transaction.atomic
def drug_test_complete(
    *,
    actor: Membership,
    test: DrugTest,
    result: str,
    positive_substances: Iterable[str] = (),
    lab_reference: str | None = None,
    notes: str | None = None,
) -> DrugTest:
    """Records the lab's final result of a test that was pending (staff of its house only). A test's final result
    is recorded once."""
    require_staff(actor, organization_id=test.organization_id, house=test.house)
    lock_books(test.organization_id)  # the organization first: the lock order of every dated write
    test = DrugTest.objects.select_for_update().select_related("organization").get(pk=test.pk)
    through, day = closed_through(test.organization_id), local_date(test.collected_at, test.organization)
    if through is not None and day <= through:
        raise MonthClosed(
            _(
                "%(day)s is closed; the result of a test collected %(day2)s cannot change now. Ask "
                "an operator to reopen %(through)s to record it."
            )
            % {
                "day": date_format(day, _("F Y")),
                "day2": date_format(day, _("M j, Y")),
                "through": date_format(through, _("F Y")),
            },
            field="result",
        )
    if test.result != Result.PENDING_LAB:
        raise Conflict(
            _("This test already has its final result (%(get_result_display)s).")
            % {"get_result_display": test.get_result_display()},
            field="result",
        )
    check_choice(result, Result, field="result")
    if result == Result.PENDING_LAB:
        raise Invalid(_("Give the final result."), field="result")
    panel = list(test.substances.values_list("substance", flat=True))
    positives = _clean_positives(result, panel, positive_substances)
    test.substances.update(positive=False)
    if positives:
        test.substances.filter(substance__in=positives).update(positive=True)
    test.result = result
    test.result_recorded_at = timezone.now()
    test.result_recorded_by = actor.user
    fields = ["result", "result_recorded_at", "result_recorded_by", "updated_at"]
    if lab_reference is not None:
        test.lab_reference = lab_reference
        fields.append("lab_reference")
    if notes is not None:
        test.notes = notes
        fields.append("notes")
    test.save(update_fields=fields)
    audit.changed(actor=actor, action=audit.Action.UPDATE, instance=test, detail=f"completed: result={result}")
    return test


@transaction.atomic
def drug_test_annotate(*, actor: Membership, test: DrugTest, lab_reference: str | None = None,
                       notes: str | None = None) -> DrugTest:  # fmt: skip
    """Corrects a recorded test's lab reference or notes (staff of its house); its result changes only through
    ``drug_test_complete``. A value left None stays as it was."""
    require_staff(actor, organization_id=test.organization_id, house=test.house)
    test = DrugTest.objects.select_for_update().get(pk=test.pk)
    fields = ["updated_at"]
    if lab_reference is not None:
        if len(lab_reference) > 80:
            raise Invalid(_("Ensure this field has no more than 80 characters."), field="lab_reference")
        test.lab_reference = lab_reference
        fields.append("lab_reference")
    if notes is not None:
        test.notes = notes
        fields.append("notes")
    test.save(update_fields=fields)
    changed = audit.changed_fields(name for name in fields if name != "updated_at")
    audit.changed(actor=actor, action=audit.Action.UPDATE, instance=test, detail=changed)
    return test


@transaction.atomic
def test_request_create(
    *,
    actor: Membership | None,
    resident: Resident,
    reason: str,
    due_on: date,
    note: str = "",  # noqa: PT028 - a service named for test requests, not a pytest test
) -> TestRequest:
    """Asks for a test of a current resident by ``due_on`` (today or later, in the organization's date).

    Staff ask for tests of residents living in their houses (``NotAllowed`` for anyone else); ``actor`` None is the
    system acting for the house (no one's houses narrow it).
    """
    if actor is not None:
        require_staff(actor, organization_id=resident.organization_id)
    check_choice(reason, TestReason, field="reason")
    stay = _open_stay(resident)
    if actor is not None:
        require_staff(actor, organization_id=resident.organization_id, house=stay.house)
    return _request_open(
        created_by=actor.user if actor is not None else None, stay=stay, reason=reason, due_on=due_on, note=note
    )


@transaction.atomic
def test_request_after_pass(*, actor: Membership, pass_: OvernightPass) -> TestRequest | None:
    """The house's policy may ask for a test of a resident back from an overnight pass, due the day they return
    (today at the earliest). Returns the request, or None when the policy does not ask.

    The request is the policy's: whoever recorded the return (the resident or staff, as ``pass_return`` allows) is
    its author, with no role of their own needed.
    """
    stay = pass_.stay
    policy = DrugTestPolicy.objects.filter(house_id=stay.house_id).first()
    if policy is not None and not policy.test_after_pass:
        return None
    returned_on = local_date(pass_.returned_at, stay.organization)
    return _request_open(
        created_by=actor.user, stay=_open_stay(stay.resident), reason=TestReason.RETURN_FROM_PASS,
        due_on=max(returned_on, stay.organization.today()), note=f"Back from an overnight pass to {pass_.destination}",
    )  # fmt: skip


def _open_stay(resident: Resident) -> Stay:
    """The resident's open stay: a test is asked of someone living in a house now."""
    stay = Stay.objects.filter(resident=resident, move_out__isnull=True).select_related("house", "resident").first()
    if stay is None:
        raise Invalid(_("%(resident)s is not living in a house now.") % {"resident": resident}, field="resident")
    return stay


def _request_open(*, created_by, stay: Stay, reason: str, due_on: date, note: str) -> TestRequest:
    resident = stay.resident
    today = resident.organization.today()
    if due_on < today:
        raise Invalid(_("The due date cannot be in the past."), field="due_on")
    return TestRequest.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        stay=stay,
        house=stay.house,
        reason=reason,
        requested_on=today,
        due_on=due_on,
        note=note,
        created_by=created_by,
    )


@transaction.atomic
def test_request_cancel(*, actor: Membership, request: TestRequest, reason: str) -> TestRequest:
    """Cancels an open request, saying why (it stays on record). Staff of its house only."""
    require_staff(actor, organization_id=request.organization_id, house=request.house)
    if not reason.strip():
        raise Invalid(_("Say why the request is cancelled."), field="reason")
    lock_books(request.organization_id)  # the organization first: the lock order of drug_test_record
    through = closed_through(request.organization_id)
    if through is not None and request.due_on <= through:  # its month counts it as requested, and overdue
        raise MonthClosed(
            _(
                "%(due_on)s is closed, and this request was due %(due_on2)s: it stays as it was. Ask "
                "an operator to reopen %(through)s to cancel it."
            )
            % {
                "due_on": date_format(request.due_on, _("F Y")),
                "due_on2": date_format(request.due_on, _("M j, Y")),
                "through": date_format(through, _("F Y")),
            },
            field="status",
        )
    request = TestRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TestRequest.Status.OPEN:
        raise Conflict(
            _("This request is already %(lower)s.") % {"lower": request.get_status_display().lower()}, field="status"
        )
    request.status = TestRequest.Status.CANCELLED
    request.cancel_reason = reason.strip()
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "cancel_reason", "closed_at"])
    return request


# Named by the domain ("test request"), not tests: keep pytest from collecting them where they are imported.
test_request_create.__test__ = False
test_request_cancel.__test__ = False
test_request_after_pass.__test__ = False
