"""Demo exports: the operator's Export page shows one finished export of the organization's data, and the demo
resident's "Download my record" page one finished copy of their record, both ready to download, below an older copy
whose zip has expired (deleted by the nightly job after EXPORT_KEEP_DAYS; the row stays, with no link).

Runs last, after the month closes, so the zips hold every other demo step's rows. The real job runs in this process
(``apply``), whatever broker is configured, so the seed leaves them done. Idempotent: nothing is added once the
organization has a finished export.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import Organization, Role
from exports.models import DataExport
from exports.services import export_request, exports_expire, generate_export, resident_export_request

RESIDENT_LOGIN = "resident@example.com"


def seed(organization: Organization) -> None:
    if DataExport.objects.filter(organization=organization, status=DataExport.Status.DONE).exists():
        return
    operator = organization.memberships.filter(role=Role.OPERATOR).order_by("pk").first()
    export, _created = export_request(actor=operator, organization=organization)
    generate_export.apply(args=[export.pk])
    member = organization.memberships.filter(role=Role.RESIDENT, user__email=RESIDENT_LOGIN).first()
    if member is not None:
        older, _created = resident_export_request(actor=member)
        generate_export.apply(args=[older.pk])
        # Asked for a month ago: past its kept days, so the nightly job has deleted its zip.
        back = timezone.now() - timedelta(days=30)
        DataExport.objects.filter(pk=older.pk).update(
            created_at=back, started_at=back, heartbeat_at=back, finished_at=back,
            expires_at=back + timedelta(days=settings.EXPORT_KEEP_DAYS),
        )  # fmt: skip
        exports_expire()
        record, _created = resident_export_request(actor=member)
        generate_export.apply(args=[record.pk])
