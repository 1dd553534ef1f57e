"""Monthly reports: asked for through the API or the page, generated in the background, kept in storage."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Membership, Organization, Role, User
from houses.models import House

from .metrics import Month, fingerprint, monthly_metrics
from .models import Report


@transaction.atomic
def report_request(
    *, actor: User | None, organization: Organization, month: Month, house: House | None = None, refresh: bool = False
) -> tuple[Report, bool]:
    """Returns the report for this month and scope, queuing a new one only when none shows the current figures
    (or ``refresh`` is asked). The second value says whether a new report was queued."""
    # Serialize requests for one organization so two clicks cannot queue two identical reports.
    Organization.objects.select_for_update().get(pk=organization.pk)
    metrics = monthly_metrics(organization=organization, month=month, house=house)
    digest = fingerprint(metrics)
    if not refresh:
        existing = (
            Report.objects.filter(
                organization=organization, kind=Report.Kind.MONTHLY, month=month.first, house=house, fingerprint=digest
            )
            .exclude(status=Report.Status.FAILED)
            .first()
        )
        if existing is not None:
            return existing, False
    report = Report.objects.create(
        organization=organization,
        month=month.first,
        house=house,
        fingerprint=digest,
        requested_by=actor,
        progress_total=len(metrics["houses"]),
    )
    from . import tasks  # the task module imports this one

    transaction.on_commit(lambda: tasks.generate_report.delay(report.pk))
    return report, True


def report_generate(*, report_id: int) -> Report:
    """Renders a queued report to PDF and stores it, recording progress as houses are done. Safe to run twice: a
    report already done or running elsewhere is left alone."""
    claimed = Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(status=Report.Status.RUNNING)
    report = Report.objects.select_related("organization", "house").get(pk=report_id)
    if not claimed:
        return report
    from .pdf import render_monthly

    def progress(done, total):
        Report.objects.filter(pk=report_id).update(progress_done=done, progress_total=total)

    try:
        pdf, pages = render_monthly(
            organization=report.organization, month=Month.of(report.month), house=report.house, on_house_done=progress
        )
    except Exception as error:
        Report.objects.filter(pk=report_id).update(status=Report.Status.FAILED, error=str(error)[:2000])
        raise
    report.file.save(report.filename, ContentFile(pdf), save=False)
    Report.objects.filter(pk=report_id).update(
        file=report.file.name, pages=pages, status=Report.Status.DONE, finished_at=timezone.now(),
        progress_done=F("progress_total"),
    )  # fmt: skip
    report.refresh_from_db()
    return report


def month_end_reports(*, on=None) -> list[Report]:
    """On the 1st: last month's organization report for every organization, and an e-mail to its operators.
    Idempotent: a report already made for those figures is reused and nobody is e-mailed twice for it."""
    reports = []
    for organization in Organization.objects.all():
        # "Last month" on each operator's own calendar.
        month = Month.of(on or organization.today()).previous()
        report, created = report_request(actor=None, organization=organization, month=month)
        if created:
            from . import tasks

            transaction.on_commit(lambda r=report: tasks.email_report_ready.delay(r.pk))
        reports.append(report)
    return reports


def report_email_operators(*, report_id: int, base_url: str) -> int:
    from django.core.mail import send_mail
    from django.urls import reverse

    report = Report.objects.select_related("organization").get(pk=report_id)
    operators = Membership.objects.active().filter(organization=report.organization, role=Role.OPERATOR)
    recipients = list(operators.values_list("user__email", flat=True))
    if not recipients:
        return 0
    link = base_url.rstrip("/") + reverse("reports")
    send_mail(
        subject=f"{report.organization.name}: monthly report for {report.month:%B %Y}",
        message=(
            f"The monthly report for {report.month:%B %Y} is being prepared and will be ready to download here:\n"
            f"{link}\n\nIt covers occupancy, compliance and money for every house."
        ),
        from_email=None,
        recipient_list=recipients,
    )
    return len(recipients)
