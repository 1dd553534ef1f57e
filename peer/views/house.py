"""The house's page: officers, the share, what each member owes, the register's balance and what is flagged."""

from django.views.decorators.http import require_safe

from peer.models import BehaviourContract, BusinessMeeting, HouseCharter, ShareRate
from peer.selectors.houses import officers_on
from peer.selectors.money import member_balances, register_balance, unreconciled_months
from peer.views.common import member_page, render_house
from residents.models import Resident


def house_overview(house) -> dict:
    """What the house page shows every member (every member sees the house's finances)."""
    today = house.organization.today()
    balances = member_balances(house)
    residents = {r.pk: r for r in Resident.objects.filter(pk__in=balances)}
    charter = HouseCharter.objects.select_related("chapter").get(house=house)
    return {
        "today": today,
        "charter": charter,
        "officers": officers_on(house, today),
        "balances": sorted(
            ((residents[pk], balance, balance > charter.behind_limit) for pk, balance in balances.items()),
            key=lambda row: row[0].display_name,
        ),
        "bank_balance": register_balance(house),
        "unreconciled": unreconciled_months(house, today=today),
        "share": ShareRate.objects.filter(house=house, starts_on__lte=today).order_by("-starts_on").first(),
        "open_meeting": BusinessMeeting.objects.filter(house=house, closed_at__isnull=True).first(),
        "last_meeting": BusinessMeeting.objects.filter(house=house, closed_at__isnull=False).first(),
        "contracts": BehaviourContract.objects.filter(house=house).select_related("member", "meeting")[:5],
    }


@require_safe
@member_page
def house_home(request, member):
    return render_house(request, "peer/house.html", member, "home", house_overview(member.house))
