"""What a report shows its reader. An internal report shows the figures as they are; a funder report names no
resident, turns per-person tables into counts of people, and writes any count of people under 5 as "<5", so
no one in a small house can be picked out. Zero is hidden too: shown beside "<5", a 0 would tell the reader which
hidden counts are not zero. A rate, median or average taken over fewer than 5 people (or events) would show what
happened to them as surely as the count: it reads "too few" (a share of 1 applicant is 0% or 100%).
"""

import copy

INTERNAL = "internal"
FUNDER = "funder"
SMALL = 5
HIDDEN = "<5"
RATE_HIDDEN = "too few"

# Figures that count people (or events that each belong to one person, such as a drug test), by section. A plain
# count is a number; a grouped one is a {code: count} mapping.
PEOPLE_COUNTS = {
    "occupancy": {"census_at_month_end", "admissions", "discharges", "waitlist", "transfers_in", "transfers_out"},
    "compliance": {"tests_requested", "tests_done", "tests_collected", "overdue_requests", "unsigned_rules"},
    "referrals": {
        "received", "replied", "waiting_for_reply", "replied_within_24h", "accepted", "admitted", "declined",
        "turnovers",
    },
}  # fmt: skip
PEOPLE_GROUPED = {
    "occupancy": {"discharges_by_reason"},
    "compliance": {"tests_by_result", "positive_substances", "incidents_by_severity", "incidents_by_action"},
    "referrals": {"by_source", "by_channel"},
}
# Tables whose rows are not people but hold counts of people (a referral partner's applicants), by section.
PEOPLE_ROWS = {"referrals": {"by_partner"}}
# Figures taken over a count of people, by section: {figure: the count it is taken over}. Also read in each row of
# a PEOPLE_ROWS table.
PEOPLE_RATES = {
    "referrals": {
        "replied_within_24h_pct": "received", "accepted_pct": "received", "admitted_pct": "received",
        "median_hours_to_reply": "replied", "oldest_wait_hours": "waiting_for_reply",
        "average_empty_nights": "turnovers", "median_empty_nights": "turnovers",
    },
}  # fmt: skip


def small(count):
    """A count of people as a funder reads it: "<5" under 5 (zero included), otherwise the count."""
    if isinstance(count, int) and count < SMALL:
        return HIDDEN
    return count


def _rates_hidden(name: str, figures: dict) -> dict:
    """``figures`` with every rate over fewer than 5 people as "too few" (read before the counts are hidden)."""
    shown = dict(figures)
    for rate, over in PEOPLE_RATES.get(name, {}).items():
        count = figures.get(over)
        if rate in figures and isinstance(count, int) and count < SMALL:
            shown[rate] = RATE_HIDDEN
    return shown


def _is_per_person(value) -> bool:
    return isinstance(value, list) and any(
        isinstance(row, dict) and ("name" in row or "resident" in row) for row in value
    )


def _section_for(name: str, figures: dict, audience: str) -> dict:
    figures = dict(figures)
    # Every per-person table also reads as a count of the people in it ("recovery_meetings_people").
    for key, value in list(figures.items()):
        if _is_per_person(value):
            figures[f"{key}_people"] = len(value)
            if audience == FUNDER:
                figures[key] = []
    if audience != FUNDER:
        return figures
    figures = _rates_hidden(name, figures)
    for key, value in figures.items():
        if key in PEOPLE_COUNTS.get(name, ()) or key.endswith("_people"):
            figures[key] = small(value)
        elif key in PEOPLE_GROUPED.get(name, ()) and isinstance(value, dict):
            figures[key] = {code: small(count) for code, count in value.items()}
        elif key in PEOPLE_ROWS.get(name, ()) and isinstance(value, list):
            counted = PEOPLE_COUNTS.get(name, set())
            rows = [_rates_hidden(name, row) if isinstance(row, dict) else row for row in value]
            figures[key] = [{field: small(n) if field in counted else n for field, n in row.items()} for row in rows]
    return figures


def _scope_for(scope: dict, audience: str) -> dict:
    return {
        name: _section_for(name, figures, audience) if isinstance(figures, dict) else figures
        for name, figures in scope.items()
    }


def for_audience(metrics: dict, audience: str) -> dict:
    """The month's figures (as ``monthly_metrics`` returns them) as the audience may read them. The input is left
    unchanged: the report's fingerprint is always taken from the full figures."""
    shown = copy.deepcopy(metrics)
    shown["totals"] = _scope_for(shown["totals"], audience)
    shown["houses"] = [_scope_for(house, audience) for house in shown["houses"]]
    return shown
