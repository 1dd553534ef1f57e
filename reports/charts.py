"""Small SVG charts for the PDF reports: no plotting library, just shapes a screen reader can name.

Each chart is an accessible ``<svg role="img">`` with a title and a description that states the numbers, and shows
its title and both axis labels (with their units) on the page.
"""

from html import escape

from django.utils.translation import gettext as _

INK = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"
BRAND = "#2f5d50"
ACCENT = "#b3541e"
PALETTE = ["#2f5d50", "#b3541e", "#5a6ea8", "#8a6d1d", "#7a3e6b", "#3f7f8c", "#6b6b6b"]


def _frame(width, height, title, description, body, *, x_label: str, y_label: str):
    """The chart's outline: its title written at the top (and as the SVG's accessible name), the x axis label under
    the plot and the y axis label turned along the left edge."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="9">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        f'<text class="chart-title" x="{width / 2:g}" y="11" text-anchor="middle" font-size="10.5" '
        f'font-weight="bold" fill="{INK}">{escape(title)}</text>'
        f'<text class="axis-label x-axis" x="{width / 2:g}" y="{height - 3}" text-anchor="middle" '
        f'fill="{MUTED}">{escape(x_label)}</text>'
        f'<text class="axis-label y-axis" x="0" y="0" transform="translate(10 {height / 2:g}) rotate(-90)" '
        f'text-anchor="middle" fill="{MUTED}">{escape(y_label)}</text>'
        f"{body}</svg>"
    )


def _nice_max(value):
    if value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return step
    magnitude = 10 ** (len(str(int(value))) - 1)
    return ((int(value) // magnitude) + 1) * magnitude


def daily_census(
    census: list[int],
    capacity: list[int],
    *,
    title: str,
    x_label: str | None = None,
    y_label: str | None = None,
    as_percent: bool = False,
    width=480,
    height=200,
) -> str:
    """Residents each night (filled line) against beds in service (dashed), day by day through the month. With
    ``as_percent`` the line is the share of beds in service occupied each night, which counts no one (a funder
    report's chart)."""
    x_label = x_label or _("Day of the month")
    y_label = y_label or _("People or beds")
    if as_percent:
        census = [round(c * 100 / b, 1) if b else 0 for c, b in zip(census, capacity, strict=True)]
        capacity = []
        y_label = _("Beds occupied (%)")
    days = len(census)
    top = 100 if as_percent else _nice_max(max([*census, *capacity, 1]))
    left, right, upper, lower = 44, 10, 30, 32
    plot_w, plot_h = width - left - right, height - upper - lower

    def x(i):
        return left + (plot_w * i / max(days - 1, 1))

    def y(v):
        return upper + plot_h * (1 - v / top)

    body = []
    for tick in (0, top / 2, top):
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 4}" y="{y(tick) + 3:.1f}" text-anchor="end" fill="{MUTED}">{tick:g}</text>')
    for i in range(0, days, 7):
        body.append(
            f'<text x="{x(i):.1f}" y="{upper + plot_h + 11}" text-anchor="middle" fill="{MUTED}">{i + 1}</text>'
        )
    if days:
        area = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(census))
        body.append(
            f'<polygon points="{x(0):.1f},{y(0):.1f} {area} {x(days - 1):.1f},{y(0):.1f}" fill="{BRAND}" '
            f'fill-opacity="0.18" stroke="none"/>'
        )
        body.append(f'<polyline points="{area}" fill="none" stroke="{BRAND}" stroke-width="1.6"/>')
    if days and capacity:
        cap = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(capacity))
        body.append(
            f'<polyline points="{cap}" fill="none" stroke="{ACCENT}" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
    if as_percent:
        share = escape(_("— share of beds in service occupied"))
        body.append(f'<text x="{left}" y="24" fill="{BRAND}">{share}</text>')
        description = _("%(x_label)s against %(y_label)s: lowest %(lowest)s%%, highest %(highest)s%%.") % {
            "x_label": x_label,
            "y_label": y_label.lower(),
            "lowest": format(min(census, default=0), "g"),
            "highest": format(max(census, default=0), "g"),
        }
    else:
        residents, in_service = escape(_("— residents")), escape(_("- - beds in service"))
        body.append(
            f'<text x="{left}" y="24" fill="{BRAND}">{residents}</text>'
            f'<text x="{left + 70}" y="24" fill="{ACCENT}">{in_service}</text>'
        )
        description = _(
            "%(x_label)s against %(y_label)s. Residents per night: lowest %(lowest)s, highest %(highest)s; "
            "beds in service: %(fewest)s to %(most)s."
        ) % {
            "x_label": x_label,
            "y_label": y_label.lower(),
            "lowest": min(census, default=0),
            "highest": max(census, default=0),
            "fewest": min(capacity, default=0),
            "most": max(capacity, default=0),
        }
    return _frame(width, height, title, description, "".join(body), x_label=x_label, y_label=y_label)


def bars(
    items: list[tuple[str, float | None]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    unit: str = "",
    width=480,
    height=200,
    top=None,
    written=None,
    hidden_as: str = "<5",
) -> str:
    """Vertical bars, one per (label, value), with the value written above each bar (by ``written(value)`` when
    given, such as an amount of money with its currency). A value of None is a count kept from the reader (a funder
    report's small counts): no bar is drawn and ``hidden_as`` is written in its place."""
    written = written or (lambda value: f"{value:g}{unit}")

    def shown(value):
        return hidden_as if value is None else written(value)

    count = max(len(items), 1)
    values = [float(value) for _label, value in items if value is not None]
    top = top or _nice_max(max([*values, 1]))
    left, right, upper, lower = 44, 10, 30, 36
    plot_w, plot_h = width - left - right, height - upper - lower
    slot = plot_w / count
    bar_w = min(slot * 0.65, 40)
    body = []
    for tick in (0, top / 2, top):
        tick_y = upper + plot_h * (1 - tick / top)
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{tick_y:.1f}" y2="{tick_y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 4}" y="{tick_y + 3:.1f}" text-anchor="end" fill="{MUTED}">{tick:g}</text>')
    for index, (label, value) in enumerate(items):
        h = 0 if value is None else plot_h * (float(value) / top)
        bx = left + slot * index + (slot - bar_w) / 2
        color = PALETTE[index % len(PALETTE)] if len(items) <= len(PALETTE) else BRAND
        body.append(
            f'<rect x="{bx:.1f}" y="{upper + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{color}"/>'
        )
        body.append(
            f'<text x="{bx + bar_w / 2:.1f}" y="{upper + plot_h - h - 3:.1f}" text-anchor="middle" fill="{INK}">'
            f"{escape(shown(value))}</text>"
        )
        body.append(
            f'<text x="{bx + bar_w / 2:.1f}" y="{upper + plot_h + 11}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(str(label))}</text>"
        )
    description = _("%(x_label)s against %(y_label)s. %(values)s") % {
        "x_label": x_label,
        "y_label": y_label.lower(),
        "values": "; ".join(f"{label}: {shown(value)}" for label, value in items) or _("No data."),
    }
    return _frame(width, height, title, description, "".join(body), x_label=x_label, y_label=y_label)
