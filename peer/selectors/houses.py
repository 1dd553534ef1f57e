"""A peer-run house at a glance and month by month: what the house page, the chapter report and its PDFs show."""

from datetime import date

from dateutil.relativedelta import relativedelta

from houses.models import Bed, House
from peer.models import BusinessMeeting, MonthlyAudit, Office, OfficerTerm
from peer.selectors.money import is_signed_off, member_balances, register_balance, shares_in_month
from residents.core.selectors.nights import residents_of


def officers_on(house: House, day: date) -> list[OfficerTerm]:
    """The house's officers on ``day``, in the order of the offices."""
    order = {office: n for n, office in enumerate(Office.values)}
    terms = OfficerTerm.objects.on(day).filter(house=house).select_related("resident")
    return sorted(terms, key=lambda term: order[term.office])


def month_figures(house: House, *, month: date) -> dict:
    """The monthly house report's figures for ``month`` (its first day), as they stood on the month's last night:
    beds in service and members living in the house that night (vacancies: the difference), shares charged and
    collected in the month, what members owed, the register's balance, the audit, officers and meetings held."""
    month = month.replace(day=1)
    end = month + relativedelta(months=1)
    last_night = end - relativedelta(days=1)
    beds = Bed.objects.filter(house=house).in_service_on(last_night).count()
    members = len(residents_of(house=house, night=last_night))
    audit = MonthlyAudit.objects.filter(house=house, month=month).prefetch_related("auditors", "signatures").first()
    shares = shares_in_month(house, month=month)
    owed = sum((balance for balance in member_balances(house, night=last_night).values() if balance > 0), start=0)
    meetings = BusinessMeeting.objects.filter(
        house=house, closed_at__isnull=False, held_at__date__gte=month, held_at__date__lt=end
    )
    return {
        "month": month,
        "beds": beds,
        "members": members,
        "vacancies": max(beds - members, 0),
        "shares_charged": shares["charged"],
        "shares_collected": shares["collected"],
        "shares_owed": owed,
        "bank_balance": register_balance(house, before=end),
        "audit": audit,
        "audit_done": audit is not None and is_signed_off(audit),
        "audit_reconciled": audit is not None and audit.is_reconciled,
        "officers": officers_on(house, last_night),
        "meetings_held": meetings.count(),
    }
