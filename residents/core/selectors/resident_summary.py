"""The summary at the top of a resident's staff page: balance and past-due rent, phase, next drug test, out or in,
and whether the current house rules are signed. Built from the page's sections (``resident_sections``) plus the
money hooks, so it never disagrees with the sections it links to."""

from residents.core.selectors.residents import past_due
from residents.models import Resident


def resident_summary(*, resident: Resident, life: dict, today) -> dict:
    """``balance`` (read from ``resident.balance`` when annotated by ``with_balance``, else None), ``past_due`` (a
    ``PastDue`` or None), ``phase`` and ``phase_since``, ``next_test`` (the soonest open test request), ``out`` (the
    open sign-out of the current stay) and ``unsigned`` (the current rule set when not signed in this stay).

    One query of its own (past due): the rest comes from the sections' querysets, which it evaluates for them."""
    stay = life["stay"]
    compliance = life["compliance"]
    requests = life["open_requests"]  # evaluated here, its rows cached for the drug-test section
    latest = life["sign_outs"]  # newest first; an open one is the latest
    out = next((s for s in latest if s.signed_in_at is None and stay and s.stay_id == stay.pk), None)
    rule_set = life["rule_set"]
    return {
        "stay": stay,
        "balance": getattr(resident, "balance", None),
        "past_due": past_due([resident.pk], on=today).get(resident.pk),
        "phase": compliance.phase if compliance else None,
        "phase_since": compliance.phase_since if compliance else None,
        "next_test": next(iter(requests), None),
        "out": out,
        "unsigned": rule_set if rule_set is not None and not life["signed_current"] else None,
    }
