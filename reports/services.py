"""Monthly reports: asked for through the API or the page, generated in the background, kept in storage.

Month close: an operator closes a month that is over, and months close in order (the first close may be any month
that is over; each later one is the month right after the latest closed month). What is closed is therefore every
day up to the last day of the latest closed month: billing refuses or carries forward any entry dated there
(``billing.services.closing``), since an entry before a closed month would change its opening balance. Closing
stores the month's organization report, made once by the worker; asking for a closed month's report returns the
stored one. Only the latest closed month can be reopened (so closed months stay one unbroken run), by an operator
with a reason; its stored reports are then marked superseded, and closing it again makes a new one.
"""

import hashlib
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.calendar import local_date
from accounts.closing import lock_books
from accounts.exceptions import Conflict, Invalid, NotAllowed
from accounts.models import Membership, Organization, Role
from accounts.queue import enqueue_on_commit
from accounts.replica import reporting_reads
from accounts.tenancy import organization_clock
from houses.models import House

from .audit import month_close_audit
from .metrics import Month, fingerprint, monthly_metrics
from .models import MonthClose, MonthCloseReminder, Report


def _new_report(
    *, actor: Membership | None, organization: Organization, month: Month, house, audience, metrics
) -> Report:
    report = Report.objects.create(
        organization=organization,
        month=month.first,
        house=house,
        audience=audience,
        fingerprint=fingerprint(metrics),
        requested_by=actor.user if actor is not None else None,
        progress_total=len(metrics["houses"]),
    )
    enqueue_on_commit(generate_report, report.pk)
    return report


def close_in_force(*, organization: Organization, month: Month) -> MonthClose | None:
    """The close that keeps ``month`` closed now, or None when the month is open."""
    return MonthClose.objects.in_force().filter(organization=organization, month=month.first).first()


def _stored_for_closed_month(close: MonthClose, *, house: House | None, audience: str) -> Report | None:
    if house is None and audience == Report.Audience.INTERNAL:
        report = close.report
        return report if report is not None and report.status != Report.Status.FAILED else None
    return (
        Report.objects.filter(
            organization_id=close.organization_id,
            kind=Report.Kind.MONTHLY,
            month=close.month,
            house=house,
            audience=audience,
            superseded_at__isnull=True,
            created_at__gte=close.closed_at,
        )
        .exclude(status=Report.Status.FAILED)
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def report_request(
    *,
    actor: Membership | None,
    organization: Organization,
    month: Month,
    house: House | None = None,
    refresh: bool = False,
    audience: str = Report.Audience.INTERNAL,
) -> tuple[Report, bool]:
    """Returns the report for this month, scope and audience, queuing a new one only when none shows the current
    figures (or ``refresh`` is asked). The second value says whether a new report was queued. ``actor`` is the staff
    member asking (None for the month-end job): an operator for any scope, a manager for one of their houses.

    A closed month's report is made once: while the month stays closed the stored one is returned, whatever
    ``refresh`` says (only a report that failed is made again)."""
    if actor is not None:
        _require_staff(actor, organization)
        if not actor.is_operator:
            if house is None:
                raise Invalid(_("Managers ask for one of their houses."), field="house")
            if not House.objects.visible_to(actor).filter(pk=house.pk).exists():
                raise NotAllowed(_("Only the house's managers and the operators may ask for its report."))
    # Serialize requests for one organization so two clicks cannot queue two identical reports.
    Organization.objects.select_for_update().get(pk=organization.pk)
    close = close_in_force(organization=organization, month=month)
    if close is not None:
        stored = _stored_for_closed_month(close, house=house, audience=audience)
        if stored is not None:
            return stored, False
    metrics = monthly_metrics(organization=organization, month=month, house=house)
    if not refresh and close is None:
        existing = (
            Report.objects.filter(
                organization=organization,
                kind=Report.Kind.MONTHLY,
                month=month.first,
                house=house,
                fingerprint=fingerprint(metrics),
                audience=audience,
                superseded_at__isnull=True,
            )
            .exclude(status=Report.Status.FAILED)
            .first()
        )
        if existing is not None:
            return existing, False
    report = _new_report(
        actor=actor, organization=organization, month=month, house=house, audience=audience, metrics=metrics
    )
    if close is not None and house is None and audience == Report.Audience.INTERNAL:
        close.report = report
        close.save(update_fields=["report"])
    return report, True


def _require_staff(actor: Membership, organization: Organization) -> None:
    if actor.organization_id != organization.pk or not actor.is_staff_member:
        raise NotAllowed(_("Only the organization's staff may ask for its reports."))


def _require_operator(actor: Membership, organization_id: int) -> None:
    if actor.organization_id != organization_id or not actor.is_operator:
        raise NotAllowed(_("Only an operator may close or reopen a month."))


def closed_through(organization_id: int) -> date | None:
    """The last day of the organization's latest closed month (None when none is closed). Billing reads it, through
    ``register_closed_through``, before every entry it writes."""
    latest = (
        MonthClose.objects.in_force()
        .filter(organization_id=organization_id)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return Month.of(latest).last if latest is not None else None


def _latest_close(organization: Organization) -> MonthClose | None:
    return MonthClose.objects.in_force().filter(organization=organization).order_by("-month").first()


def month_to_close(*, organization: Organization) -> Month | None:
    """The month the organization closes next: the one after its latest closed month once it is over (before any
    close, the month just over); None when the books are closed through last month."""
    last_over = Month.of(organization.today()).previous()
    latest = _latest_close(organization)
    following = Month.of(Month.of(latest.month).next_first) if latest is not None else last_over
    return following if following.first <= last_over.first else None


@transaction.atomic
def month_close(*, actor: Membership, organization: Organization, month: Month, request=None) -> MonthClose:
    """Closes ``month`` for the organization (see the module docstring); ``actor`` is one of its operators. Refuses a
    month not over yet, one already closed and one out of order; queues the month's organization report, stored for
    good. The audit entry is written in the same transaction (``request``, when there is one, gives its address and
    path)."""
    _require_operator(actor, organization.pk)
    lock_books(organization.pk)  # every posting takes this lock too: none slips into the month while it closes
    month = Month(month.year, month.month)
    if organization.today() <= month.last:
        raise Invalid(
            _("%(month)s is not over yet: it can be closed from %(next_first)s.")
            % {"month": month.label, "next_first": date_format(month.next_first, _("M j, Y"))},
            field="month",
        )
    latest = _latest_close(organization)
    if latest is not None:
        latest_month = Month.of(latest.month)
        if month.first <= latest_month.first:
            raise Conflict(
                _("The books are already closed through %(latest_month)s.") % {"latest_month": latest_month.label},
                field="month",
            )
        following = Month.of(latest_month.next_first)
        if month != following:
            raise Invalid(
                _("Months close in order: close %(following)s first (the books are closed through %(latest_month)s).")
                % {"following": following.label, "latest_month": latest_month.label},
                field="month",
            )
    closed_at = timezone.now()
    report = _new_report(
        actor=actor,
        organization=organization,
        month=month,
        house=None,
        audience=Report.Audience.INTERNAL,
        metrics=monthly_metrics(organization=organization, month=month),
    )
    close = MonthClose.objects.create(
        organization=organization, month=month.first, closed_by=actor.user, closed_at=closed_at, report=report
    )
    month_close_audit(close, actor=actor, reopened=False, request=request)
    return close


@transaction.atomic
def month_reopen(*, actor: Membership, close: MonthClose, reason: str, request=None) -> MonthClose:
    """Reopens a closed month, the latest one: entries can be dated into it again, and every stored report of the
    month is marked superseded (its figures may change now). ``actor`` is one of the organization's operators. Needs
    a reason, kept with the close and in the audit log."""
    _require_operator(actor, close.organization_id)
    lock_books(close.organization_id)
    close = MonthClose.objects.get(pk=close.pk)
    label = Month.of(close.month).label
    if close.reopened_at is not None:
        raise Conflict(
            _("%(label)s was already reopened on %(reopened_at)s.")
            % {"label": label, "reopened_at": date_format(close.reopened_at, _("M j, Y"))},
            field="month",
        )
    latest = _latest_close(close.organization)
    if latest.pk != close.pk:
        raise Invalid(
            _("Months reopen from the latest: reopen %(month)s first.") % {"month": Month.of(latest.month).label},
            field="month",
        )
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the month is reopened."), field="reason")
    now = timezone.now()
    close.reopened_by, close.reopened_at, close.reopen_reason = actor.user, now, reason[:300]
    close.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
    Report.objects.filter(organization_id=close.organization_id, month=close.month, superseded_at__isnull=True).update(
        superseded_at=now
    )
    month_close_audit(close, actor=actor, reopened=True, request=request)
    return close


class _Superseded(Exception):
    """The run lost its claim: the reaper gave the report to a newer run."""


def report_generate(*, report_id: int) -> Report:
    """Renders a queued report to PDF and stores it, recording progress (and a heartbeat) as houses are done. Safe
    to run twice: a report already done or running elsewhere is left alone.

    Claiming the report stamps ``started_at`` and counts an attempt, the run's token: every later write of the run
    is conditional on it, so a run the reaper gave up on (and queued again) cannot overwrite the newer run's file;
    its own file is deleted."""
    token = timezone.now()
    claimed = Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
        status=Report.Status.RUNNING, started_at=token, heartbeat_at=token, attempts=F("attempts") + 1
    )
    report = Report.objects.select_related("organization", "house").get(pk=report_id)
    if not claimed:
        return report
    from .pdf import render_monthly

    # The claim's time and count together: two claims within one clock tick still differ by their count.
    ours = Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, started_at=token, attempts=report.attempts)
    if report.house_id is None and report.progress_total > CHUNK_HOUSES:
        return _report_generate_in_parts(report, ours)

    def progress(done, total):
        if not ours.update(progress_done=done, progress_total=total, heartbeat_at=timezone.now()):
            raise _Superseded

    try:
        # The figures as they were asked for: a month to date runs through the night before the request.
        asked_on = local_date(report.created_at, report.organization)
        month = Month.of(report.month).as_of(max(asked_on, report.month + timedelta(days=1)))
        with reporting_reads():
            pdf, pages = render_monthly(
                organization=report.organization, month=month, house=report.house, on_house_done=progress,
                audience=report.audience, digest=report.fingerprint,
            )  # fmt: skip
    except _Superseded:
        return Report.objects.select_related("organization", "house").get(pk=report_id)
    except Exception as error:
        ours.update(status=Report.Status.FAILED, error=str(error)[:2000])
        raise
    report.file.save(report.filename, ContentFile(pdf), save=False)  # a name of its own: storage never overwrites
    stored = ours.update(
        file=report.file.name, sha256=hashlib.sha256(pdf).hexdigest(), pages=pages, status=Report.Status.DONE,
        finished_at=timezone.now(), heartbeat_at=timezone.now(), progress_done=F("progress_total"),
    )  # fmt: skip
    if not stored:
        report.file.storage.delete(report.file.name)  # superseded: the newer run's file is the report's
    report.refresh_from_db()
    return report


# An organization report of more houses than this is rendered in parts, this many houses a part, by parallel tasks
# (a WeasyPrint run's time and memory grow faster than its pages); a smaller one in one run. A part of 100 houses
# (about 490 pages) took a worker near 800 MB; 50 keeps each well under 1 GB.
CHUNK_HOUSES = 50


def _report_month(report: Report) -> Month:
    # The figures as they were asked for: a month to date runs through the night before the request.
    asked_on = local_date(report.created_at, report.organization)
    return Month.of(report.month).as_of(max(asked_on, report.month + timedelta(days=1)))


def _part_name(report_id: int, attempt: int, index: int) -> str:
    return f"reports/parts/{report_id}-{attempt}/{index:05d}.pdf"


def _run(report_id: int, attempt: int):
    """The report while this run (its attempt) still holds it."""
    return Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, attempts=attempt)


def _discard_parts(report_id: int, attempt: int, count: int) -> None:
    for index in range(count):
        default_storage.delete(_part_name(report_id, attempt, index))


def _report_generate_in_parts(report: Report, ours) -> Report:
    """An organization's report in parts: the houses a chunk at a time by ``render_report_part`` tasks (queued
    first, so the workers start on them), then the head (cover and summary) and the tail (definitions) here. Each
    part is stored as it is done; the one that completes the set queues ``assemble_report``. Progress counts houses."""
    from .pdf import HEAD, TAIL, render_part

    attempt, count = report.attempts, 0
    try:
        month = _report_month(report)
        with reporting_reads():
            metrics = monthly_metrics(organization=report.organization, month=month)
        ids = [row["id"] for row in metrics["houses"]]
        chunks = [ids[start : start + CHUNK_HOUSES] for start in range(0, len(ids), CHUNK_HOUSES)]
        count = len(chunks) + 2
        ours.update(progress_done=0, progress_total=len(ids), heartbeat_at=timezone.now())
        for index, chunk in enumerate(chunks, start=1):
            enqueue_on_commit(render_report_part, report.pk, attempt, index, count, chunk)
        for index, part in ((0, HEAD), (count - 1, TAIL)):
            if not _run(report.pk, attempt).exists():
                break  # a part failed, or the run was given away
            with reporting_reads():
                pdf, _pages = render_part(
                    organization=report.organization, month=month, part=part, metrics=metrics,
                    audience=report.audience, digest=report.fingerprint,
                )  # fmt: skip
            _part_done(report.pk, attempt, index, count, pdf, houses=0)
    except Exception as error:
        _fail(report.pk, attempt, count, error)
        raise
    return Report.objects.select_related("organization", "house").get(pk=report.pk)


def _fail(report_id: int, attempt: int, count: int, error: Exception) -> None:
    if _run(report_id, attempt).update(status=Report.Status.FAILED, error=str(error)[:2000]):
        _discard_parts(report_id, attempt, count)


def _part_done(report_id: int, attempt: int, index: int, count: int, pdf: bytes, *, houses: int) -> None:
    """Stores a part and counts its houses, under the report's row lock, so exactly one part completes the set and
    queues the assembly. A part delivered twice (its worker lost before acknowledging) is counted once."""
    with transaction.atomic():
        if _run(report_id, attempt).select_for_update().first() is None:
            return  # failed meanwhile, or given to a newer run
        name = _part_name(report_id, attempt, index)
        if default_storage.exists(name):
            return
        default_storage.save(name, ContentFile(pdf))
        _run(report_id, attempt).update(progress_done=F("progress_done") + houses, heartbeat_at=timezone.now())
        if all(default_storage.exists(_part_name(report_id, attempt, other)) for other in range(count)):
            enqueue_on_commit(assemble_report, report_id, attempt, count)


def report_render_part(*, report_id: int, attempt: int, index: int, count: int, house_ids: list[int]) -> None:
    """Renders one chunk of houses of an organization report (a part of ``_report_generate_in_parts``)."""
    from .pdf import HOUSES, render_part

    report = Report.objects.select_related("organization").get(pk=report_id)
    if not _run(report_id, attempt).exists():
        return
    try:
        with reporting_reads():
            pdf, _pages = render_part(
                organization=report.organization, month=_report_month(report), part=HOUSES, house_ids=house_ids,
                audience=report.audience,
            )  # fmt: skip
        _part_done(report_id, attempt, index, count, pdf, houses=len(house_ids))
    except Exception as error:
        _fail(report_id, attempt, count, error)
        raise


def report_assemble(*, report_id: int, attempt: int, count: int) -> Report:
    """Joins the stored parts into the report's file (``reports.pdf_assembly``), numbered and tagged; the parts
    are deleted. Memory holds one part at a time; the parts and the result pass through a temporary directory."""
    from .pdf_assembly import assemble

    report = Report.objects.select_related("organization", "house").get(pk=report_id)
    ours = _run(report_id, attempt)
    if not ours.exists():
        return report

    def beat(done, total):
        ours.update(heartbeat_at=timezone.now())

    try:
        with tempfile.TemporaryDirectory(prefix="hearth-report-") as directory:
            paths = []
            for index in range(count):
                path = Path(directory) / f"{index:05d}.pdf"
                with default_storage.open(_part_name(report_id, attempt, index), "rb") as part, path.open("wb") as out:
                    shutil.copyfileobj(part, out)
                paths.append(path)
            result = Path(directory) / "report.pdf"
            with result.open("wb") as out:
                pages = assemble(paths, out, on_part_done=beat)
            digest = hashlib.sha256()
            with result.open("rb") as done:
                for block in iter(lambda: done.read(1 << 20), b""):
                    digest.update(block)
                done.seek(0)
                report.file.save(report.filename, File(done), save=False)
    except Exception as error:
        _fail(report_id, attempt, count, error)
        raise
    stored = ours.update(
        file=report.file.name, sha256=digest.hexdigest(), pages=pages, status=Report.Status.DONE,
        finished_at=timezone.now(), heartbeat_at=timezone.now(), progress_done=F("progress_total"),
    )  # fmt: skip
    if not stored:
        report.file.storage.delete(report.file.name)  # superseded: the newer run's file is the report's
    _discard_parts(report_id, attempt, count)
    report.refresh_from_db()
    return report


# A report runs for seconds to a few minutes and beats at every house; one silent far longer lost its worker (killed,
# the machine gone). After MAX_ATTEMPTS runs that stopped, it fails instead of going round again.
STUCK_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 3


def reports_requeue_stuck(*, older_than: timedelta = STUCK_AFTER) -> list[int]:
    """Queues again every report "running" whose run gave no sign of life (heartbeat, else its start) for
    ``older_than``: its worker died mid-report. Tasks are not redelivered when their worker is lost, so this sweep is
    what retries them. The report starts over from scratch (progress reset; a new file). One whose runs stopped
    MAX_ATTEMPTS times is marked failed instead (an operator asks again). Returns the ids queued again.

    Each change is conditional on the run seen, so a run that beats in between keeps its report."""
    cutoff = timezone.now() - older_than
    silent = (
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)  # claimed before runs beat
    )
    stuck = list(
        Report.objects.filter(silent, status=Report.Status.RUNNING).values_list("pk", "started_at", "heartbeat_at")
    )
    requeued = []
    for report_id, started_at, heartbeat_at in stuck:
        seen = Report.objects.filter(
            pk=report_id, status=Report.Status.RUNNING, started_at=started_at, heartbeat_at=heartbeat_at
        )
        with transaction.atomic():
            attempts = seen.values_list("attempts", flat=True).first()
            if attempts is None:
                continue
            if attempts >= MAX_ATTEMPTS:
                seen.update(status=Report.Status.FAILED, error=f"Rendering stopped {attempts} times; ask again.")
            elif seen.update(status=Report.Status.QUEUED, progress_done=0):
                enqueue_on_commit(generate_report, report_id, robust=True)
                requeued.append(report_id)
    return requeued


# The tasks sit beside the services they run (as pretix's do), so this module never imports ``reports.tasks``;
# their names stay those of the ``reports.tasks`` module, where the worker finds them.


@shared_task(name="reports.tasks.generate_report")
def generate_report(report_id: int) -> str:
    # The PDF's times (its "generated at" stamp) are on the organization's clock, not the worker's UTC.
    organization = Organization.objects.get(reports__pk=report_id)
    with organization_clock(organization):
        return report_generate(report_id=report_id).status


@shared_task(name="reports.tasks.render_report_part")
def render_report_part(report_id: int, attempt: int, index: int, count: int, house_ids: list[int]) -> None:
    with organization_clock(Organization.objects.get(reports__pk=report_id)):
        report_render_part(report_id=report_id, attempt=attempt, index=index, count=count, house_ids=house_ids)


@shared_task(name="reports.tasks.assemble_report")
def assemble_report(report_id: int, attempt: int, count: int) -> str:
    with organization_clock(Organization.objects.get(reports__pk=report_id)):
        return report_assemble(report_id=report_id, attempt=attempt, count=count).status


@shared_task(name="reports.tasks.email_report_ready")
def email_report_ready(report_id: int, announce: bool = True, remind: bool = False) -> int:
    # The e-mail's dates ("close it from ...") are the organization's.
    with organization_clock(Organization.objects.get(reports__pk=report_id)):
        return report_email_operators(report_id=report_id, base_url=settings.SITE_URL, announce=announce, remind=remind)


def month_end_reports(*, on=None) -> list[Report]:
    """On the 1st: last month's organization report for every organization, and an e-mail to its operators that
    also reminds them to close last month while it is not closed. Idempotent: a report already made for those
    figures is reused, nobody is e-mailed twice for it, and a month's close reminder goes once."""
    reports = []
    for organization in Organization.objects.order_by("pk"):
        # "Last month" on each operator's own calendar, its figures read on the organization's clock.
        with organization_clock(organization):
            month = Month.of(on or organization.today()).previous()
            report, created = report_request(actor=None, organization=organization, month=month)
            remind = _claim_close_reminder(organization=organization, month=month)
        if created or remind:
            enqueue_on_commit(email_report_ready, report.pk, announce=created, remind=remind)
        reports.append(report)
    return reports


def _claim_close_reminder(*, organization: Organization, month: Month) -> bool:
    """True the first time it is asked for a month that is not closed: the reminder row is inserted before the
    e-mail is queued, and its unique key lets one job through however many run."""
    through = closed_through(organization.pk)
    if through is not None and through >= month.last:
        return False
    try:
        with transaction.atomic():
            MonthCloseReminder.objects.create(organization=organization, month=month.first)
    except IntegrityError:
        return False
    return True


def _close_reminder_words(organization: Organization, month: Month, link: str) -> str:
    through = closed_through(organization.pk)
    if through is not None and through >= month.last:
        return ""  # closed since the reminder was queued
    if through is None:
        state = "No month is closed yet."
    else:
        following = Month.of(through + timedelta(days=1))
        state = f"The books are closed through {through:%B %Y}; close {following.label} first."
    return (
        f"{month.label} is over and not closed yet. {state} Close it on the reports page once its entries are in:\n"
        f"{link}\n\nAfter the close nothing can be dated into the month, and its report is stored for good."
    )


def report_email_operators(*, report_id: int, base_url: str, announce: bool = True, remind: bool = False) -> int:
    """E-mails the organization's operators that the report is on its way (``announce``) and, with ``remind``, that
    its month is waiting to be closed. Returns the number of recipients."""
    from django.core.mail import send_mail
    from django.urls import reverse

    report = Report.objects.select_related("organization").get(pk=report_id)
    organization, month = report.organization, Month.of(report.month)
    operators = Membership.objects.active().filter(organization=organization, role=Role.OPERATOR)
    recipients = list(operators.values_list("user__email", flat=True))
    link = base_url.rstrip("/") + reverse("reports")
    reminder = _close_reminder_words(organization, month, link) if remind else ""
    parts, topics = [], []
    if announce:
        parts.append(
            f"The monthly report for {month.label} is being prepared and will be ready to download here:\n"
            f"{link}\n\nIt covers occupancy, compliance, money and referrals for every house."
        )
        topics.append(f"monthly report for {month.label}")
    if reminder:
        parts.append(reminder)
        topics.append(f"close {month.label}")
    if not recipients or not parts:
        return 0
    subject = f"{organization.name}: " + "; ".join(topics)
    send_mail(subject=subject, message="\n\n".join(parts), from_email=None, recipient_list=recipients)
    return len(recipients)
