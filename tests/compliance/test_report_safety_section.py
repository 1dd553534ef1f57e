from datetime import date, timedelta

from compliance.models import SafetyEquipment
from reports.metrics import Month, monthly_metrics


def test_the_monthly_report_has_a_safety_section(organization, house):
    figures = monthly_metrics(organization=organization, month=Month(2026, 3))["totals"]
    assert set(figures["safety"]) == {
        "inspections_done", "failed_lines_open", "drills", "naloxone_expired", "naloxone_expiring",
        "extinguishers_service_due",
    }  # fmt: skip


def test_naloxone_kits_expired_or_expiring_are_counted_at_month_end(organization, house):
    end = date(2026, 3, 31)
    for days, location in [(-1, "Kitchen"), (10, "Office"), (90, "Hall")]:
        SafetyEquipment.objects.create(
            organization=organization, house=house, kind="naloxone_kit", location=location,
            expires_on=end + timedelta(days=days),
        )  # fmt: skip
    safety = monthly_metrics(organization=organization, month=Month(2026, 3))["houses"][0]["safety"]
    assert (safety["naloxone_expired"], safety["naloxone_expiring"]) == (1, 1)
