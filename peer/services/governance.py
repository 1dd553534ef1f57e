"""Making a house peer-run, its charter, and electing its officers."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict, Invalid, NotAllowed
from accounts.models import Membership
from houses.models import House
from peer.models import BusinessMeeting, HouseCharter, Office, OfficerTerm
from peer.services.authority import is_member, require_office, require_operator, require_peer_run
from residents.models import Resident

CHARTER_FIELDS = (
    "term_months", "admission_percent", "dismissal_percent", "behind_limit", "share_due_weekday", "chapter",
)  # fmt: skip


def _day(value: date) -> str:
    return date_format(value, _("M j, Y"))


@transaction.atomic
def house_governance_set(*, actor: Membership, house: House, governance: str, **charter) -> House:
    """Makes ``house`` peer-run or staff-run, as an operator, with the charter's settings (``CHARTER_FIELDS``).

    A peer-run house has no manager: its managers are unassigned first. Going back to staff-run ends every officer's
    term today; the charter, the meetings and the votes stay as history."""
    require_operator(actor, house)
    house = House.objects.select_for_update().get(pk=house.pk)
    if governance not in House.Governance.values:
        raise Invalid(_("Choose staff-run or peer-run."), field="governance")
    unknown = set(charter) - set(CHARTER_FIELDS)
    if unknown:
        raise Invalid(_("Unknown setting."), field=sorted(unknown)[0])
    today = house.organization.today()
    chapter = charter.get("chapter")
    if chapter is not None and chapter.organization_id != house.organization_id:
        raise Invalid(_("Choose a chapter of this organization."), field="chapter")
    if governance == House.Governance.PEER_RUN:
        managers = list(house.staff.values_list("user__full_name", flat=True))
        if managers:
            raise Conflict(
                _("%(house)s still has managers (%(names)s): unassign them first; a peer-run house has none.")
                % {"house": house.name, "names": ", ".join(managers)},
                field="governance",
            )
        existing = HouseCharter.objects.filter(house=house).first()
        values = {field: getattr(existing, field) for field in CHARTER_FIELDS} if existing else {}
        values.update({field: value for field, value in charter.items() if value is not None})
        probe = HouseCharter(organization_id=house.organization_id, house=house, **values)
        probe.full_clean(exclude=["organization", "house", "updated_by"], validate_unique=False)
        HouseCharter.objects.update_or_create(
            house=house, defaults={"organization_id": house.organization_id, "updated_by": actor.user, **values}
        )
    elif house.is_peer_run:
        for term in OfficerTerm.objects.filter(house=house, ends_on__gt=today):
            term.ends_on = max(today, term.starts_on + relativedelta(days=1))
            term.save(update_fields=["ends_on"])
    if house.governance != governance:
        house.governance = governance
        house.save(update_fields=["governance"])
    return house


def _charter(house: House) -> HouseCharter:
    return HouseCharter.objects.get(house=house)


def _check_president_not_twice_in_a_row(house: House, resident: Resident, starts_on: date) -> None:
    before = OfficerTerm.objects.filter(house=house, office=Office.PRESIDENT, starts_on__lt=starts_on)
    last = before.order_by("-starts_on").first()
    if last is not None and last.resident_id == resident.pk:
        raise Invalid(
            _("%(resident)s was the last president: a president cannot serve two terms in a row.")
            % {"resident": resident},
            field="resident",
        )


@transaction.atomic
def officer_elect(
    *,
    actor: Membership,
    house: House,
    office: str,
    resident: Resident,
    starts_on: date,
    meeting: BusinessMeeting | None = None,
) -> OfficerTerm:
    """Records that the members elected ``resident`` to ``office`` from ``starts_on``, for the charter's term.

    Recorded by the president at an open meeting of the house (``meeting``), or by an operator before the house's
    first meeting (its first officers). The officer must live in the house; a president cannot follow
    themself; whoever held the office before hands it over the day the new term starts."""
    require_peer_run(house)
    if meeting is not None:
        if meeting.house_id != house.pk or not meeting.is_open:
            raise Invalid(_("Elections are recorded at an open meeting of the house."), field="meeting")
        require_office(actor, house, Office.PRESIDENT)
    else:
        require_operator(actor, house)
        if BusinessMeeting.objects.filter(house=house).exists():
            raise NotAllowed(_("The house holds its meetings: its officers are elected at them."))
    if office not in Office.values:
        raise Invalid(_("Choose an office."), field="office")
    if resident.organization_id != house.organization_id or not is_member(resident, house):
        raise Invalid(_("Only a member living in the house can hold its offices."), field="resident")
    # Serialize elections in one house: two at once could both end the same term.
    house = House.objects.select_for_update().get(pk=house.pk)
    if office == Office.PRESIDENT:
        _check_president_not_twice_in_a_row(house, resident, starts_on)
    terms = OfficerTerm.objects.filter(house=house, office=office)
    if terms.filter(starts_on__gte=starts_on).exists():
        raise Conflict(
            _("Someone is already elected %(office)s from %(day)s or later.")
            % {"office": Office(office).label.lower(), "day": _day(starts_on)},
            field="starts_on",
        )
    for running in terms.filter(ends_on__gt=starts_on):
        running.ends_on = starts_on
        running.save(update_fields=["ends_on"])
    term = OfficerTerm.objects.create(
        organization_id=house.organization_id,
        house=house,
        office=office,
        resident=resident,
        starts_on=starts_on,
        ends_on=starts_on + relativedelta(months=_charter(house).term_months),
        elected_at=meeting,
        created_by=actor.user,
    )
    return term


def officer_terms_end_with_stay(*, resident: Resident, house_ids, on: date) -> None:
    """A member who leaves the house leaves its offices the same day."""
    for term in OfficerTerm.objects.filter(resident=resident, house_id__in=house_ids, ends_on__gt=on):
        term.ends_on = max(on, term.starts_on + relativedelta(days=1))
        term.save(update_fields=["ends_on"])
