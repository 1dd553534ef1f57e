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
from django.db.models import QuerySet
from django.utils import timezone

from accounts.closing import MonthClosed, closed_through, lock_books, refuse_closed_day
from accounts.exceptions import Conflict, DomainError
from accounts.models import User
from houses.models import House
from residents.models import DrugTest, DrugTestSubstance, Resident, Stay, Substance, TestReason, TestRequest
from residents.testing.selectors import residence_on

FULFILMENT_GRACE_DAYS = 3
CLOCK_SKEW = timedelta(minutes=5)  # a phone clock slightly ahead of the server is not "the future"

Result = DrugTest.Result


def local_date(moment: datetime, organization) -> date:
    """The organization's calendar date at an aware moment."""
    return timezone.localtime(moment, organization.tzinfo).date()


def check_moment(moment: datetime, *, field: str) -> None:
    if timezone.is_naive(moment):
        raise DomainError("Give a time zone with the time (for example 2026-03-01T09:30:00-06:00).", field=field)
    if moment > timezone.now() + CLOCK_SKEW:
        raise DomainError("This cannot be in the future.", field=field)


def check_choice(value: str, choices, *, field: str) -> None:
    if value not in choices.values:
        raise DomainError(f"“{value}” is not a valid choice.", field=field)


def _clean_panel(method: str, panel: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(panel))  # drops repeats, keeps order
    if not codes:
        raise DomainError("Name at least one substance the test screens for.", field="panel")
    unknown = [code for code in codes if code not in Substance.values]
    if unknown:
        raise DomainError(f"Unknown substance: {', '.join(unknown)}.", field="panel")
    if method == DrugTest.Method.BREATH and codes != [Substance.ALCOHOL]:
        raise DomainError("A breath test screens for alcohol only.", field="panel")
    return codes


def _clean_positives(result: str, panel: list[str], positive_substances: Iterable[str]) -> set[str]:
    positives = set(positive_substances)
    if result != Result.POSITIVE:
        if positives:
            raise DomainError("Only a positive result names substances.", field="positive_substances")
        return positives
    if not positives:
        raise DomainError(
            "A positive result must name the substances it was positive for.", field="positive_substances"
        )
    off_panel = sorted(positives - set(panel))
    if off_panel:
        raise DomainError(f"Not on this test's panel: {', '.join(off_panel)}.", field="positive_substances")
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
    actor: User,
    resident: Resident,
    collected_at: datetime,
    method: str,
    reason: str,
    panel: Iterable[str],
    result: str,
    positive_substances: Iterable[str] = (),
    lab_reference: str = "",
    notes: str = "",
    houses: QuerySet[House] | None = None,
) -> DrugTest:
    """Records a test collected from ``resident`` at ``collected_at`` and fulfils their oldest due request.

    ``houses``, when given (the caller's visible houses), is where the resident must have been on that date.
    """
    check_moment(collected_at, field="collected_at")
    check_choice(method, DrugTest.Method, field="method")
    check_choice(reason, TestReason, field="reason")
    check_choice(result, Result, field="result")
    codes = _clean_panel(method, panel)
    if result == Result.PENDING_LAB and method == DrugTest.Method.BREATH:
        raise DomainError("A breath test is read on the spot; it cannot be pending a lab.", field="result")
    positives = _clean_positives(result, codes, positive_substances)
    day = local_date(collected_at, resident.organization)
    refuse_closed_day(organization_id=resident.organization_id, on=day, field="collected_at", what="a drug test")
    residence = residence_on(resident=resident, day=day, houses=houses)
    if residence is None:
        if not Stay.objects.filter(resident=resident).exists():
            raise DomainError(f"{resident} has never lived in a house.", field="resident")
        where = "one of your houses" if houses is not None else "a house"
        raise DomainError(f"{resident} was not living in {where} on {day:%b %-d, %Y}.", field="collected_at")
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
        collected_by=actor,
        result_recorded_at=None if result == Result.PENDING_LAB else timezone.now(),
        result_recorded_by=None if result == Result.PENDING_LAB else actor,
    )
    DrugTestSubstance.objects.bulk_create(
        DrugTestSubstance(test=test, substance=code, positive=code in positives) for code in codes
    )
    _fulfil_oldest_request(test, day)
    return test


@transaction.atomic
def drug_test_complete(
    *,
    actor: User,
    test: DrugTest,
    result: str,
    positive_substances: Iterable[str] = (),
    lab_reference: str | None = None,
    notes: str | None = None,
) -> DrugTest:
    """Records the lab's final result of a test that was pending. A test's final result is recorded once."""
    lock_books(test.organization_id)  # the organization first: the lock order of every dated write
    test = DrugTest.objects.select_for_update().select_related("organization").get(pk=test.pk)
    through, day = closed_through(test.organization_id), local_date(test.collected_at, test.organization)
    if through is not None and day <= through:
        raise MonthClosed(
            f"{day:%B %Y} is closed; the result of a test collected {day:%b %-d, %Y} cannot change now. Ask an "
            f"operator to reopen {through:%B %Y} to record it.",
            field="result",
        )
    if test.result != Result.PENDING_LAB:
        raise Conflict(f"This test already has its final result ({test.get_result_display()}).", field="result")
    check_choice(result, Result, field="result")
    if result == Result.PENDING_LAB:
        raise DomainError("Give the final result.", field="result")
    panel = list(test.substances.values_list("substance", flat=True))
    positives = _clean_positives(result, panel, positive_substances)
    test.substances.update(positive=False)
    if positives:
        test.substances.filter(substance__in=positives).update(positive=True)
    test.result = result
    test.result_recorded_at = timezone.now()
    test.result_recorded_by = actor
    fields = ["result", "result_recorded_at", "result_recorded_by", "updated_at"]
    if lab_reference is not None:
        test.lab_reference = lab_reference
        fields.append("lab_reference")
    if notes is not None:
        test.notes = notes
        fields.append("notes")
    test.save(update_fields=fields)
    return test


@transaction.atomic
def test_request_create(
    *,
    actor: User | None,
    resident: Resident,
    reason: str,
    due_on: date,
    note: str = "",  # noqa: PT028 - a service named for test requests, not a pytest test
    houses: QuerySet[House] | None = None,  # noqa: PT028
) -> TestRequest:
    """Asks for a test of a current resident by ``due_on`` (today or later, in the organization's date).

    Other modules call this too (a return from an overnight pass asks for a test). ``houses``, when given, is
    where the resident must live now.
    """
    check_choice(reason, TestReason, field="reason")
    stay = Stay.objects.filter(resident=resident, move_out__isnull=True).select_related("house").first()
    if stay is None or (houses is not None and not houses.filter(pk=stay.house_id).exists()):
        where = "one of your houses" if houses is not None else "a house"
        raise DomainError(f"{resident} is not living in {where} now.", field="resident")
    today = resident.organization.today()
    if due_on < today:
        raise DomainError("The due date cannot be in the past.", field="due_on")
    return TestRequest.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        stay=stay,
        house=stay.house,
        reason=reason,
        requested_on=today,
        due_on=due_on,
        note=note,
        created_by=actor,
    )


@transaction.atomic
def test_request_cancel(*, actor: User, request: TestRequest, reason: str) -> TestRequest:
    """Cancels an open request, saying why (it stays on record)."""
    if not reason.strip():
        raise DomainError("Say why the request is cancelled.", field="reason")
    lock_books(request.organization_id)  # the organization first: the lock order of drug_test_record
    through = closed_through(request.organization_id)
    if through is not None and request.due_on <= through:  # its month counts it as requested, and overdue
        raise MonthClosed(
            f"{request.due_on:%B %Y} is closed, and this request was due {request.due_on:%b %-d, %Y}: it stays as it "
            f"was. Ask an operator to reopen {through:%B %Y} to cancel it.",
            field="status",
        )
    request = TestRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TestRequest.Status.OPEN:
        raise Conflict(f"This request is already {request.get_status_display().lower()}.", field="status")
    request.status = TestRequest.Status.CANCELLED
    request.cancel_reason = reason.strip()
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "cancel_reason", "closed_at"])
    return request


# Named by the domain ("test request"), not tests: keep pytest from collecting them where they are imported.
test_request_create.__test__ = False
test_request_cancel.__test__ = False
