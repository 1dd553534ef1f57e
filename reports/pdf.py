"""Monthly report PDFs: WeasyPrint from an HTML template, tagged for accessibility (PDF/UA)."""

from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from accounts.models import Organization
from houses.models import House

from . import charts
from .metrics import Month, monthly_metrics
from .metrics import occupancy as occupancy_metrics


def occupancy_trend(*, organization: Organization, month: Month, house: House | None = None) -> list[tuple[str, float]]:
    """Occupancy % for the twelve months ending with ``month``, for the house or the whole organization."""
    houses = House.objects.filter(organization=organization)
    if house is not None:
        houses = houses.filter(pk=house.pk)
    months = [month]
    for _ in range(11):
        months.insert(0, months[0].previous())
    trend = []
    for each in months:
        per_house = occupancy_metrics.by_house(houses=houses, month=each)
        figures = occupancy_metrics.total(per_house, month=each)
        trend.append((each.first.strftime("%b"), float(figures["occupancy_pct"])))
    return trend


def _house_section(house_metrics: dict, daily: dict, month: Month) -> dict:
    census = daily.get(house_metrics["id"], {"census": [], "in_service": []})
    return {
        **house_metrics,
        "census_chart": mark_safe(  # noqa: S308 - our own SVG, every label escaped in charts.py
            charts.daily_census(
                census["census"], census["in_service"], title=f"{house_metrics['name']}: residents each night"
            )
        ),
    }


def render_monthly(
    *,
    organization: Organization,
    month: Month,
    house: House | None = None,
    metrics: dict | None = None,
    on_house_done: Callable[[int, int], None] | None = None,
) -> tuple[bytes, int]:
    """The monthly report as PDF bytes and its page count. ``on_house_done(done, total)`` reports progress."""
    metrics = metrics or monthly_metrics(organization=organization, month=month, house=house)
    houses = House.objects.filter(pk__in=[row["id"] for row in metrics["houses"]])
    daily = occupancy_metrics.daily(houses=houses, month=month)
    sections = []
    total = len(metrics["houses"])
    for index, house_metrics in enumerate(metrics["houses"], start=1):
        sections.append(_house_section(house_metrics, daily, month))
        if on_house_done:
            on_house_done(index, total)
    trend = occupancy_trend(organization=organization, month=month, house=house)
    org_daily = {"census": [0] * month.days, "in_service": [0] * month.days}
    for values in daily.values():
        for key in org_daily:
            org_daily[key] = [a + b for a, b in zip(org_daily[key], values[key], strict=True)]
    context = {
        "organization": organization,
        "currency": organization.currency,
        "house": house,
        "month": month,
        "metrics": metrics,
        "totals": metrics["totals"],
        "sections": sections,
        "generated_at": timezone.localtime(timezone=organization.tzinfo),
        "trend_chart": mark_safe(  # noqa: S308 - our own SVG
            charts.bars(trend, title="Occupancy, last 12 months", unit="%", top=100)
        ),
        "census_chart": mark_safe(  # noqa: S308 - our own SVG
            charts.daily_census(org_daily["census"], org_daily["in_service"], title="Residents each night")
        ),
    }
    html = render_to_string("reports/monthly.html", context)
    return _to_pdf(html)


def _to_pdf(html: str) -> tuple[bytes, int]:
    from weasyprint import HTML  # imported late: Pango is needed only when a PDF is made

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)
