"""Monthly report PDFs: WeasyPrint from an HTML template, tagged for accessibility (PDF/UA).

A house's report is one WeasyPrint run (``render_monthly``). An organization's is rendered in parts
(``render_part``): the head (cover and summary), the houses a chunk at a time, and the tail (definitions), each
without page numbers; ``reports.pdf_assembly`` joins them and numbers the pages. The page breaks fall between parts
(every section starts a page), so the joined pages are those of one run.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.money import money_words
from houses.models import House

from . import charts
from .audience import FUNDER, INTERNAL, for_audience
from .definitions import figure_definitions
from .metrics import SECTIONS, Month, fingerprint, monthly_metrics, reportable
from .metrics import occupancy as occupancy_metrics
from .templatetags.report_tags import discharge_reason


def occupancy_trend(*, organization: Organization, month: Month, house: House | None = None) -> list[tuple[str, float]]:
    """Occupancy % for the twelve months ending with ``month``, for the house or the whole organization."""
    houses = House.objects.filter(organization=organization)
    if house is not None:
        houses = houses.filter(pk=house.pk)
    months = [month]
    for _step in range(11):
        months.insert(0, months[0].previous())
    trend = []
    for each in months:
        per_house = occupancy_metrics.by_house(houses=houses, month=each)
        figures = occupancy_metrics.total(per_house, month=each)
        trend.append((date_format(each.first, "M"), float(figures.occupancy_pct)))
    return trend


def _is_number(value) -> bool:
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)


def _written(value, kind: str, currency: str, empty: str = "none") -> str:
    if value is None:
        return empty
    if not _is_number(value):
        return str(value)  # a funder report's "<5"
    if kind == "money":
        return money_words(value, currency)
    if kind == "pct":
        return f"{value}%"
    return f"{value}"


def _change(now, before, kind: str, currency: str) -> str:
    """The change from the previous month as a reader says it: "+1.5 points", "-$120.00", "+3". A figure hidden in
    either month (a funder report's "<5") or missing in one of them has no change to show."""
    if not (_is_number(now) and _is_number(before)):
        return "—"
    difference = Decimal(str(now)) - Decimal(str(before))
    if difference == 0:
        return _("no change")
    sign = "+" if difference > 0 else "-"
    if kind == "money":
        return sign + money_words(abs(difference), currency)
    if kind == "pct":
        return _("%(change)s points") % {"change": f"{sign}{abs(difference)}"}
    return f"{sign}{abs(difference)}"


def headline(*, totals: dict, previous: dict, currency: str) -> list[dict]:
    """The cover's figures, each with last month's value and the change: occupancy, census, admissions, discharges
    by reason, test compliance, and charged against collected."""
    occupancy, before = totals["occupancy"], previous["occupancy"]
    rows = [
        (_("Occupancy"), "occupancy", "occupancy_pct", "pct"),
        (_("Average nightly census"), "occupancy", "average_daily_census", "count"),
        (_("Residents on the last night"), "occupancy", "census_at_month_end", "count"),
        (_("Admissions"), "occupancy", "admissions", "count"),
        (_("Discharges"), "occupancy", "discharges", "count"),
    ]
    lines = [{"label": label, "section": section, "key": key, "kind": kind} for label, section, key, kind in rows]
    reasons = sorted({*occupancy.get("discharges_by_reason", {}), *before.get("discharges_by_reason", {})})
    for reason in reasons:
        lines.append(
            {
                "label": _("Discharges: %(reason)s") % {"reason": str(discharge_reason(reason)).lower()},
                "now": occupancy["discharges_by_reason"].get(reason, 0),
                "before": before["discharges_by_reason"].get(reason, 0),
                "kind": "count",
                "detail": True,
            }
        )
    lines += [
        {
            "label": _("Drug-test compliance"), "section": "compliance", "key": "test_compliance_pct", "kind": "pct",
            "empty": _("no tests asked"),
        },
        {"label": _("Charged"), "section": "money", "key": "charged", "kind": "money"},
        {"label": _("Collected"), "section": "money", "key": "collected", "kind": "money"},
        {
            "label": _("Collection rate"), "section": "money", "key": "collection_rate_pct", "kind": "pct",
            "empty": _("nothing charged"),
        },
    ]  # fmt: skip
    result = []
    for line in lines:
        if "section" in line:
            now = totals.get(line["section"], {}).get(line["key"])
            then = previous.get(line["section"], {}).get(line["key"])
        else:
            now, then = line["now"], line["before"]
        result.append(
            {
                "label": line["label"],
                "value": _written(now, line["kind"], currency, line.get("empty", _("none"))),
                "previous": _written(then, line["kind"], currency, line.get("empty", _("none"))),
                "change": _change(now, then, line["kind"], currency),
                "detail": line.get("detail", False),
            }
        )
    return result


# The parts of an organization's report, in order: the whole report is one run of every part.
WHOLE, HEAD, HOUSES, TAIL = "whole", "head", "houses", "tail"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, every character but letters, digits and spaces escaped (no quote or "<" can
    end the string or the style element); the space after each escape ends it and is not printed."""
    return mark_safe(  # noqa: S308 - every other character is a hex escape
        '"' + "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):06x} " for ch in text) + '"'
    )


def _house_section(house_metrics: dict, daily: dict | None, *, funder: bool) -> dict:
    """A house's figures; without ``daily`` (the head's table of houses) no chart is drawn."""
    if daily is None:
        return {"id": house_metrics["id"], "name": house_metrics["name"], "occupancy": house_metrics["occupancy"]}
    census = daily.get(house_metrics["id"], {"census": [], "in_service": []})
    if funder:
        title = _("%(house)s: beds occupied each night") % {"house": house_metrics["name"]}
    else:
        title = _("%(house)s: residents each night") % {"house": house_metrics["name"]}
    return {
        "id": house_metrics["id"],
        "name": house_metrics["name"],
        "occupancy": house_metrics["occupancy"],
        "parts": [(name, house_metrics[name]) for name, _module in SECTIONS if name != "occupancy"],
        "census_chart": mark_safe(  # noqa: S308 - our own SVG, every label escaped in charts.py
            charts.daily_census(census["census"], census["in_service"], title=title, as_percent=funder)
        ),
    }


def _through(metrics: dict, month: Month) -> date | None:
    """The last night counted when the month is still running, else None (the JSON may carry it as text)."""
    partial = metrics.get("partial", month.is_partial)
    if not partial:
        return None
    through = metrics.get("through") or month.through
    return date.fromisoformat(through) if isinstance(through, str) else through


def render_monthly(**options) -> tuple[bytes, int]:
    """The monthly report as PDF bytes and its page count (``monthly_html`` takes the options)."""
    return _to_pdf(monthly_html(**options))


def render_part(**options) -> tuple[bytes, int]:
    """One part of an organization's report (``part_html`` takes the options), unnumbered: the assembly numbers
    the pages."""
    return _to_pdf(part_html(**options))


def houses_metrics(*, organization: Organization, month: Month, house_ids: list[int]) -> list[dict]:
    """The per-house rows of ``monthly_metrics`` for these houses only (a chunk of the organization's report),
    in the report's order."""
    month = reportable(organization=organization, month=month)
    houses = House.objects.filter(organization=organization, pk__in=house_ids).order_by("name", "pk")
    per_section = {
        name: module.by_house(houses=houses, month=month, organization=organization) for name, module in SECTIONS
    }
    return [
        {
            "id": row["pk"],
            "name": row["name"],
            **{name: module.public(per_section[name][row["pk"]]) for name, module in SECTIONS},
        }
        for row in houses.values("pk", "name")
    ]


def monthly_html(
    *,
    organization: Organization,
    month: Month,
    house: House | None = None,
    metrics: dict | None = None,
    audience: str = INTERNAL,
    digest: str | None = None,
    on_house_done: Callable[[int, int], None] | None = None,
) -> str:
    """The monthly report's HTML. ``audience`` is "internal" (names residents) or "funder" (no names, small counts
    of people shown as "<5"); ``digest`` is the figures' SHA-256 printed on the cover (by default, that of the
    figures rendered). ``on_house_done(done, total)`` reports progress."""
    return part_html(
        organization=organization, month=month, house=house, metrics=metrics, audience=audience, digest=digest,
        on_house_done=on_house_done,
    )  # fmt: skip


def part_html(
    *,
    organization: Organization,
    month: Month,
    part: str = WHOLE,
    house: House | None = None,
    metrics: dict | None = None,
    house_ids: list[int] | None = None,
    audience: str = INTERNAL,
    digest: str | None = None,
    on_house_done: Callable[[int, int], None] | None = None,
) -> str:
    """The HTML of the whole report or of one part: HEAD (cover and summary; ``metrics`` are the whole month's),
    HOUSES (the sections of ``house_ids``, their figures computed here) or TAIL (definitions)."""
    funder = audience == FUNDER
    context = {
        "organization": organization,
        "currency": organization.currency,
        "house": house,
        "month": month,
        "audience": audience,
        "funder": funder,
        "definitions": figure_definitions(),
        "part": part,
        "show_front": part in (WHOLE, HEAD),
        "show_houses": part in (WHOLE, HOUSES) and house is None,
        "show_definitions": part in (WHOLE, TAIL),
        # A part has no cover to take the running heads from, and its page numbers are the assembly's.
        "numbered": part == WHOLE,
        "running_organization": css_string(organization.name),
        "running_period": css_string(_("Monthly report · %(month)s") % {"month": month.label}),
    }
    if part == HOUSES:
        rows = for_audience({"totals": {}, "houses": houses_metrics(
            organization=organization, month=month, house_ids=house_ids)}, audience)["houses"]  # fmt: skip
        daily = occupancy_metrics.daily(houses=House.objects.filter(pk__in=house_ids), month=month)
        context["through"] = _through({}, reportable(organization=organization, month=month))
        context["sections"] = [_house_section(row, daily, funder=funder) for row in rows]
    elif part in (WHOLE, HEAD):
        context.update(
            _front(
                organization=organization,
                month=month,
                house=house,
                metrics=metrics,
                audience=audience,
                digest=digest,
                on_house_done=on_house_done,
                charts_per_house=part == WHOLE,
            )
        )
    # Dates and times print on the organization's clock, whatever zone the worker runs in.
    with timezone.override(organization.tzinfo):
        return render_to_string("reports/monthly.html", context)


def _front(*, organization, month, house, metrics, audience, digest, on_house_done, charts_per_house: bool) -> dict:
    """The cover's and summary's context (and, for the whole report, every house's section)."""
    metrics = metrics or monthly_metrics(organization=organization, month=month, house=house)
    funder = audience == FUNDER
    shown = for_audience(metrics, audience)
    previous_month = Month.of(month.first).previous()
    previous = for_audience(monthly_metrics(organization=organization, month=previous_month, house=house), audience)
    houses = House.objects.filter(pk__in=[row["id"] for row in metrics["houses"]])
    daily = occupancy_metrics.daily(houses=houses, month=month)
    sections = []
    total = len(shown["houses"])
    for index, house_metrics in enumerate(shown["houses"], start=1):
        sections.append(_house_section(house_metrics, daily if charts_per_house else None, funder=funder))
        if on_house_done:
            on_house_done(index, total)
    trend = occupancy_trend(organization=organization, month=month, house=house)
    org_daily = {"census": [0] * month.days, "in_service": [0] * month.days}
    for values in daily.values():
        for key in org_daily:
            org_daily[key] = [a + b for a, b in zip(org_daily[key], values[key], strict=True)]
    totals = shown["totals"]
    return {
        "through": _through(metrics, month),
        "metrics": shown,
        "totals": totals,
        "parts": [(name, totals[name]) for name, _module in SECTIONS if name != "occupancy"],
        "sections": sections,
        "headline": headline(totals=totals, previous=previous["totals"], currency=organization.currency),
        "previous_month": previous_month,
        "digest": digest or fingerprint(metrics),
        "generated_at": timezone.localtime(timezone=organization.tzinfo),
        "trend_chart": mark_safe(  # noqa: S308 - our own SVG
            charts.bars(
                trend,
                title=_("Occupancy, last 12 months"),
                unit="%",
                top=100,
                x_label=_("Month"),
                y_label=_("Occupancy (%)"),
            )
        ),
        "census_chart": mark_safe(  # noqa: S308 - our own SVG
            charts.daily_census(
                org_daily["census"],
                org_daily["in_service"],
                title=_("Beds occupied each night") if funder else _("Residents each night"),
                as_percent=funder,
            )
        ),
    }


def _to_pdf(html: str) -> tuple[bytes, int]:
    from weasyprint import HTML  # imported late: Pango is needed only when a PDF is made

    from . import pdf_patches

    pdf_patches.apply()

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)
