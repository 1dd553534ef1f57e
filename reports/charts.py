"""Small SVG charts for the PDF reports: no plotting library, just shapes a screen reader can name.

Each chart is an accessible ``<svg role="img">`` with a title and a description that states the numbers.
"""

from html import escape

INK = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"
BRAND = "#2f5d50"
ACCENT = "#b3541e"
PALETTE = ["#2f5d50", "#b3541e", "#5a6ea8", "#8a6d1d", "#7a3e6b", "#3f7f8c", "#6b6b6b"]


def _frame(width, height, title, description, body):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="9">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{body}</svg>"
    )


def _nice_max(value):
    if value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return step
    magnitude = 10 ** (len(str(int(value))) - 1)
    return ((int(value) // magnitude) + 1) * magnitude


def daily_census(census: list[int], capacity: list[int], *, title: str, width=480, height=170) -> str:
    """Residents each night (filled line) against beds in service (dashed), day by day through the month."""
    days = len(census)
    top = _nice_max(max([*census, *capacity, 1]))
    left, right, upper, lower = 30, 10, 12, 22
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
        body.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" fill="{MUTED}">{i + 1}</text>')
    if days:
        area = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(census))
        body.append(
            f'<polygon points="{x(0):.1f},{y(0):.1f} {area} {x(days - 1):.1f},{y(0):.1f}" fill="{BRAND}" '
            f'fill-opacity="0.18" stroke="none"/>'
        )
        body.append(f'<polyline points="{area}" fill="none" stroke="{BRAND}" stroke-width="1.6"/>')
        cap = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(capacity))
        body.append(
            f'<polyline points="{cap}" fill="none" stroke="{ACCENT}" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
    body.append(
        f'<text x="{left}" y="9" fill="{BRAND}">— residents</text>'
        f'<text x="{left + 70}" y="9" fill="{ACCENT}">- - beds in service</text>'
    )
    description = (
        f"Residents per night: lowest {min(census, default=0)}, highest {max(census, default=0)}; "
        f"beds in service: {min(capacity, default=0)} to {max(capacity, default=0)}."
    )
    return _frame(width, height, title, description, "".join(body))


def bars(
    items: list[tuple[str, float]], *, title: str, unit: str = "", width=480, height=170, top=None, written=None
) -> str:
    """Vertical bars, one per (label, value), with the value written above each bar (by ``written(value)`` when
    given, such as an amount of money with its currency)."""
    written = written or (lambda value: f"{value:g}{unit}")
    count = max(len(items), 1)
    top = top or _nice_max(max([value for _label, value in items] + [1]))
    left, right, upper, lower = 30, 10, 14, 26
    plot_w, plot_h = width - left - right, height - upper - lower
    slot = plot_w / count
    bar_w = min(slot * 0.65, 40)
    body = [f'<line x1="{left}" x2="{width - right}" y1="{upper + plot_h}" y2="{upper + plot_h}" stroke="{GRID}"/>']
    for index, (label, value) in enumerate(items):
        h = plot_h * (float(value) / top)
        bx = left + slot * index + (slot - bar_w) / 2
        color = PALETTE[index % len(PALETTE)] if len(items) <= len(PALETTE) else BRAND
        body.append(
            f'<rect x="{bx:.1f}" y="{upper + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{color}"/>'
        )
        body.append(
            f'<text x="{bx + bar_w / 2:.1f}" y="{upper + plot_h - h - 3:.1f}" text-anchor="middle" fill="{INK}">'
            f"{escape(written(value))}</text>"
        )
        body.append(
            f'<text x="{bx + bar_w / 2:.1f}" y="{height - 12}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(str(label))}</text>"
        )
    description = "; ".join(f"{label}: {written(value)}" for label, value in items) or "No data."
    return _frame(width, height, title, description, "".join(body))
