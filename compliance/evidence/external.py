"""Evidence kept by other parts of Hearth: house meetings, signed house rules, answered grievances.

Those records live in the residents app; the loaders read them for every house at once and the judging itself is
plain Python over plain values (``judge_*``), tested apart.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.calendar import local_date
from residents.models import Grievance, HouseMeeting, RuleAcknowledgement, RuleSet  # noqa: F401 - one model per module

from .registry import EXPIRED, EXPIRING, MET, MISSING, Evidence, EvidenceStatus, registry

MAX_MEETING_WEEKS = 26


def judge_house_meetings(held_on: list[date], *, on: date, weeks: int) -> tuple[EvidenceStatus, str]:
    """Met when each of the last ``weeks`` seven-day weeks (ending today) had a house meeting. A gap only in the
    current week is "expiring" (this week's meeting is due); a gap in an earlier week is "expired"."""
    covered = []
    for week in range(weeks):
        end = on - timedelta(days=7 * week)
        start = end - timedelta(days=6)
        covered.append(any(start <= day <= end for day in held_on))
    if not any(covered):
        return MISSING, _("No house meeting in the last %(weeks)s weeks.") % {"weeks": weeks}
    if all(covered):
        return MET, _("A house meeting every week for the last %(weeks)s weeks.") % {"weeks": weeks}
    if not covered[0] and all(covered[1:]):
        return EXPIRING, _("No house meeting yet this week.")
    return EXPIRED, _("House meetings held in %(covered)s of the last %(weeks)s weeks.") % {
        "covered": sum(covered),
        "weeks": weeks,
    }


def judge_signatures(rule_set_number: int | None, unsigned: list[str], *, residents: int) -> tuple[EvidenceStatus, str]:
    """Met when every current resident signed the house's current rules; missing when the house has no published
    rules, or someone has not signed them."""
    if rule_set_number is None:
        return MISSING, _("The house has no published rules to sign.")
    if not unsigned:
        return MET, _("All %(residents)s current residents signed version %(rule_set_number)s.") % {
            "residents": residents,
            "rule_set_number": rule_set_number,
        }
    names = ", ".join(unsigned[:3]) + (" …" if len(unsigned) > 3 else "")
    return (
        MISSING,
        _("%(unsigned)s of %(residents)s current residents have not signed version %(rule_set_number)s: %(names)s.")
        % {"unsigned": len(unsigned), "residents": residents, "rule_set_number": rule_set_number, "names": names},
    )


def judge_grievances(
    open_filed_on: list[date], *, on: date, within_days: int
) -> tuple[EvidenceStatus, str, date | None]:
    """Met when no grievance has waited longer than ``within_days`` for an answer; "expiring" while one is open but
    still within the time; "expired" once one has waited longer."""
    if not open_filed_on:
        return MET, _("No grievance is waiting for an answer."), None
    deadlines = sorted(filed + timedelta(days=within_days) for filed in open_filed_on)
    late = [deadline for deadline in deadlines if deadline < on]
    if late:
        return (
            EXPIRED,
            _("%(late)s grievance(s) unanswered after %(within_days)s days.")
            % {"late": len(late), "within_days": within_days},
            deadlines[0],
        )
    return (
        EXPIRING,
        _("%(count)s grievance(s) open; answer by %(day)s.")
        % {"count": len(deadlines), "day": date_format(deadlines[0], _("M j, Y"))},
        deadlines[0],
    )


@registry.loader("house_meetings")
def load_house_meetings(houses, on):
    by_house = defaultdict(list)
    since = timezone.now() - timedelta(days=7 * MAX_MEETING_WEEKS + 2)
    meetings = HouseMeeting.objects.filter(house__in=[h.pk for h in houses], held_at__gte=since)
    for meeting in meetings.only("pk", "house_id", "held_at"):
        by_house[meeting.house_id].append(meeting)
    return by_house


@registry.evaluator("house_meetings_weekly", params={"weeks"})
def evaluate_house_meetings(spec, context) -> Evidence:
    meetings = context.get("house_meetings", [])
    held_on = [local_date(meeting.held_at, context.house.organization) for meeting in meetings]
    status, note = judge_house_meetings(held_on, on=context.on, weeks=spec.get("weeks", 4))
    return Evidence("house_meetings_weekly", status, note)


@registry.loader("rule_signatures")
def load_rule_signatures(houses, on):
    """Each house's current rule set, how many residents slept there on night ``on``, and the names of those whose
    stay has not signed it (``residents.house_rules.selectors.unsigned_stays``, the one answer to that question)."""
    from residents.core.selectors.nights import occupants
    from residents.house_rules.selectors import unsigned_stays

    ids = [h.pk for h in houses]
    rule_sets = {rs.house_id: rs for rs in RuleSet.objects.filter(house__in=ids, is_current=True)}
    result = {
        house_id: {"rule_set": rule_set, "unsigned": [], "residents": 0} for house_id, rule_set in rule_sets.items()
    }
    for row in occupants(night=on, houses=ids).order_by().values("bed__house_id").annotate(n=Count("pk")):
        entry = result.setdefault(row["bed__house_id"], {"rule_set": None, "unsigned": [], "residents": 0})
        entry["residents"] = row["n"]
    for stay in unsigned_stays(night=on, houses=ids).select_related("resident").order_by("night_house_id", "pk"):
        result[stay.night_house_id]["unsigned"].append(stay.resident.display_name)
    return result


@registry.evaluator("rules_signed_by_all")
def evaluate_rules_signed(spec, context) -> Evidence:
    entry = context.get("rule_signatures") or {"rule_set": None, "unsigned": [], "residents": 0}
    number = entry["rule_set"].number if entry["rule_set"] is not None else None
    status, note = judge_signatures(number, entry["unsigned"], residents=entry["residents"])
    return Evidence("rules_signed_by_all", status, note)


@registry.loader("open_grievances")
def load_open_grievances(houses, on):
    by_house = defaultdict(list)
    for grievance in Grievance.objects.filter(house__in=[h.pk for h in houses], responded_at__isnull=True):
        by_house[grievance.house_id].append(grievance)
    return by_house


@registry.evaluator("grievances_answered", params={"within_days"})
def evaluate_grievances(spec, context) -> Evidence:
    filed = [local_date(g.filed_at, context.house.organization) for g in context.get("open_grievances", [])]
    status, note, valid_until = judge_grievances(filed, on=context.on, within_days=spec.get("within_days", 14))
    return Evidence("grievances_answered", status, note, valid_until)
