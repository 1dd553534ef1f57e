from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.closing import lock_books, refuse_closed_change, refuse_closed_day
from accounts.exceptions import Conflict, Invalid, NotAllowed
from accounts.invitations import invitation_withdraw
from accounts.models import Membership, Role

from .models import Bed, BedOutage, House, Room


def _require_operator(actor: Membership, what: str) -> None:
    """Operators run the organization's houses and staff; nobody else may ``what``."""
    if not actor.is_operator:
        raise NotAllowed(_("Only an operator may %(what)s.") % {"what": what})


def _require_staff_of(actor: Membership, house: House, what: str) -> None:
    """Staff act on a house of their organization: an operator on any, a manager on the houses they run."""
    if house.organization_id == actor.organization_id and (
        # The database, not the cached ``house_ids``: houses change hands while a membership object lives on.
        actor.is_operator or (actor.is_manager and actor.houses.filter(pk=house.pk).exists())
    ):
        return
    raise NotAllowed(_("Only an operator or a manager of this house may %(what)s.") % {"what": what})


def _check_staff_houses(*, role: str, organization_id: int, houses: list) -> None:
    if houses and role != Role.MANAGER:
        raise Invalid(_("Only managers are assigned to houses."), field="houses")
    if any(house.organization_id != organization_id for house in houses):
        raise Invalid(_("A house of another organization cannot be assigned."), field="houses")
    peer_run = [house.name for house in houses if house.is_peer_run]
    if peer_run:
        raise Invalid(
            _("%(houses)s: a peer-run house has no manager; its members run it.") % {"houses": ", ".join(peer_run)},
            field="houses",
        )


def house_assign_staff(*, actor: Membership, membership: Membership, houses) -> None:
    """Sets the houses a manager runs, as an operator of the manager's organization. Only managers run houses; every
    house must be of their organization."""
    _require_operator(actor, _("assign houses to staff"))
    if membership.organization_id != actor.organization_id:
        raise NotAllowed(_("Only an operator of their organization may assign houses to staff."))
    houses = list(houses)
    _check_staff_houses(role=membership.role, organization_id=membership.organization_id, houses=houses)
    membership.houses.set(houses)


@transaction.atomic
def staff_invite(
    *, actor: Membership, email: str, full_name: str, role: str, houses=(), base_url: str, language: str = ""
) -> Membership:
    """Invites a person into the actor's organization and, for a manager, assigns their houses in the same step.
    Operators only; the houses are checked before anyone is invited."""
    _require_operator(actor, _("invite staff"))
    houses = list(houses)
    _check_staff_houses(role=role, organization_id=actor.organization_id, houses=houses)
    membership = account_services.membership_invite(
        actor=actor, email=email, full_name=full_name, role=role, base_url=base_url, language=language
    )
    house_assign_staff(actor=actor, membership=membership, houses=houses)
    return membership


@transaction.atomic
def staff_update(
    *, actor: Membership, membership: Membership, houses=None, email: str | None = None, **changes
) -> Membership:
    """Changes a member's role, activity, pending name or houses (operators only). The e-mail of a member is theirs
    (``email``, when given, must be the one on record); once they accept, so is their name (a typed name is then
    ignored). A member who is no manager runs no house."""
    _require_operator(actor, _("change staff"))
    if email is not None and email.lower() != membership.user.email.lower():
        raise Invalid(_("The e-mail of an existing member cannot be changed here."), field="email")
    if not membership.is_pending:
        changes.pop("invited_name", None)
    if houses is not None:
        houses = list(houses)
        role = changes.get("role", membership.role)
        _check_staff_houses(role=role, organization_id=membership.organization_id, houses=houses)
    membership = account_services.membership_update(actor=actor, membership=membership, **changes)
    if houses is not None:
        house_assign_staff(actor=actor, membership=membership, houses=houses)
    elif membership.role != Role.MANAGER:
        membership.houses.clear()
    return membership


@transaction.atomic
def staff_remove(*, actor: Membership, membership: Membership) -> None:
    """Takes a member out: an invitation not yet accepted is withdrawn (its link stops working); an accepted
    membership is deactivated, so it and everything it did stay on record."""
    _require_operator(actor, _("remove staff"))
    if membership.is_pending:
        invitation_withdraw(actor=actor, membership=membership)
    else:
        staff_update(actor=actor, membership=membership, is_active=False)


def _day(value: date) -> str:
    return date_format(value, _("M j, Y"))


def _first_sleeper(*, beds, start: date, end: date | None = None):
    """The first bed assignment of ``beds`` covering a night of ``[start, end)`` (``end`` None: from ``start`` on).

    Bed assignments belong to the residents app; looked up by name because houses sits below it."""
    assignments = apps.get_model("residents", "BedAssignment").objects.filter(bed__in=beds)
    assignments = assignments.filter(Q(end__isnull=True) | Q(end__gt=start))
    if end is not None:
        assignments = assignments.filter(start__lt=end)
    return assignments.select_related("stay__resident").order_by("start", "pk").first()


def _refuse_if_slept_in(*, beds, start: date, end: date | None, field: str, action: str) -> None:
    sleeper = _first_sleeper(beds=beds, start=start, end=end)
    if sleeper is not None:
        night = max(sleeper.start, start)
        raise Invalid(
            _("%(resident)s sleeps in %(bed)s on %(night)s, so %(action)s. Move or discharge them first.")
            % {"resident": sleeper.stay.resident, "bed": sleeper.bed.label, "night": _day(night), "action": action},
            field=field,
        )


def _check_house_name(*, organization_id: int, name: str, house: House | None = None) -> None:
    clash = House.objects.filter(organization_id=organization_id, name__iexact=name.strip())
    if house is not None:
        clash = clash.exclude(pk=house.pk)
    if clash.exists():
        raise Invalid(_("The organization already has a house with this name."), field="name")


def _check_house_dates(house: House) -> None:
    if house.opened_on is None:
        raise Invalid(_("Give the night the house opened."), field="opened_on")
    if house.closed_on is not None and house.closed_on <= house.opened_on:
        raise Invalid(_("A house closes after the night it opened."), field="closed_on")


def _settle_closing(house: House, *, changes: dict, today: date) -> None:
    """Keeps ``status`` and ``closed_on`` saying the same thing: a closing date closes the house, closing without a
    date closes it from tonight, and reopening (or clearing the date) clears both."""
    if "status" in changes and "closed_on" in changes:
        if house.status == House.Status.ACTIVE and house.closed_on is not None:
            raise Invalid(_("An open house has no closing date: clear it, or close the house."), field="closed_on")
    elif "closed_on" in changes:
        house.status = House.Status.CLOSED if house.closed_on else House.Status.ACTIVE
    elif "status" in changes and house.status == House.Status.ACTIVE:
        house.closed_on = None
    if house.status == House.Status.CLOSED and house.closed_on is None:
        house.closed_on = today
    elif house.closed_on is not None:
        house.status = House.Status.CLOSED


def _refuse_closed_house_dates(house: House, *, opened_on: date | None, closed_on: date | None) -> None:
    """The house's opening and closing nights, moved from ``opened_on`` and ``closed_on``, change no closed month."""
    moves = [("opened_on", opened_on, _("the house's opening")), ("closed_on", closed_on, _("the house's closing"))]
    for field, old, what in moves:
        refuse_closed_change(
            organization_id=house.organization_id, old=old, new=getattr(house, field), field=field, what=what
        )


@transaction.atomic
def house_create(*, actor: Membership, **fields) -> House:
    """Opens a house in the actor's organization; house names are unique in an organization (whatever the case).
    It offers beds from ``opened_on`` (default: today) until ``closed_on`` (a house recorded as already closed).
    Operators only."""
    _require_operator(actor, _("open a house"))
    _check_house_name(organization_id=actor.organization_id, name=fields.get("name", ""))
    today = actor.organization.today()
    house = House(organization=actor.organization, **fields)
    if house.opened_on is None:
        house.opened_on = today
    _settle_closing(house, changes=fields, today=today)
    _check_house_dates(house)
    _refuse_closed_house_dates(house, opened_on=None, closed_on=None)
    house.save()
    return house


@transaction.atomic
def house_update(*, actor: Membership, house: House, **changes) -> House:
    """Changes a house's details. A house is never deleted: it is closed, so its history stays.

    Closing it (``status=closed`` or a ``closed_on`` date) sets the first night it offers no bed (default: tonight);
    refused while a resident sleeps there on or after that night. Its opening date cannot move past a move-in.
    Operators, and managers of the house."""
    _require_staff_of(actor, house, _("change this house"))
    lock_books(house.organization_id)  # the organization before the house: the lock order of every dated write
    house = House.objects.select_for_update().select_related("organization").get(pk=house.pk)
    was_opened, was_closed = house.opened_on, house.closed_on
    if "name" in changes:
        _check_house_name(organization_id=house.organization_id, name=changes["name"], house=house)
    for name, value in changes.items():
        setattr(house, name, value)
    _settle_closing(house, changes=changes, today=house.organization.today())
    _check_house_dates(house)
    _refuse_closed_house_dates(house, opened_on=was_opened, closed_on=was_closed)
    beds = Bed.objects.filter(house=house)
    if house.closed_on is not None:
        _refuse_if_slept_in(
            beds=beds, start=house.closed_on, end=None, field="closed_on",
            action=_("the house cannot close from %(day)s") % {"day": _day(house.closed_on)},
        )  # fmt: skip
    if "opened_on" in changes:
        _refuse_if_slept_in(
            beds=beds, start=date.min, end=house.opened_on, field="opened_on",
            action=_("the house was open before %(day)s") % {"day": _day(house.opened_on)},
        )  # fmt: skip
    house.save()
    return house


def _check_room_name(*, house_id: int, name: str, room: Room | None = None) -> None:
    clash = Room.objects.filter(house_id=house_id, name__iexact=name.strip())
    if room is not None:
        clash = clash.exclude(pk=room.pk)
    if clash.exists():
        raise Invalid(_("This house already has a room with this name."), field="name")


@transaction.atomic
def room_create(*, actor: Membership, house: House, name: str, floor: int = 1, notes: str = "") -> Room:
    """Adds a room to a house; room names are unique in a house, whatever the case ("kitchen" beside "Kitchen" is
    refused). Operators, and managers of the house."""
    _require_staff_of(actor, house, _("add a room"))
    _check_room_name(house_id=house.pk, name=name)
    return Room.objects.create(house=house, name=name.strip(), floor=floor, notes=notes)


@transaction.atomic
def room_update(*, actor: Membership, room: Room, **changes) -> Room:
    """Changes a room's ``name`` (unique in its house, whatever the case), ``floor`` or ``notes``. A room stays in its
    house (``house``, when given, must be its own)."""
    _require_staff_of(actor, room.house, _("change a room"))
    room = Room.objects.select_for_update().get(pk=room.pk)
    house = changes.pop("house", None)
    if house is not None and house.pk != room.house_id:
        raise Invalid(_("A room cannot move to another house."), field="house")
    if "name" in changes:
        _check_room_name(house_id=room.house_id, name=changes["name"], room=room)
        changes["name"] = changes["name"].strip()
    for name, value in changes.items():
        setattr(room, name, value)
    room.save()
    return room


@transaction.atomic
def room_delete(*, actor: Membership, room: Room) -> None:
    """Deletes a room entered by mistake. A room with beds is refused (409): its beds hold history."""
    _require_staff_of(actor, room.house, _("delete a room"))
    room = Room.objects.select_for_update().get(pk=room.pk)
    if room.beds.exists():
        raise Conflict(_("This room has beds, so it cannot be deleted."))
    room.delete()


def bed_default_in_service_from(house: House) -> date:
    """The night a new bed serves from unless told. Beds created with their house (the house was entered today and
    nobody has lived in it: an operator recording a house and its beds for the first time) serve from its opening
    night. Any other bed serves from tonight (or the house's opening, when that is later), so adding a bed never
    adds bed-nights to a past month."""
    today = house.organization.today()
    if house.opened_on is None:
        return today
    created_today = timezone.localdate(house.created_at, timezone=house.organization.tzinfo) == today
    if created_today and _first_sleeper(beds=Bed.objects.filter(house=house), start=date.min) is None:
        return house.opened_on
    return max(today, house.opened_on)


def _check_label(*, room: Room, label: str, bed: Bed | None = None) -> None:
    clash = Bed.objects.filter(room=room, label__iexact=label.strip())
    if bed is not None:
        clash = clash.exclude(pk=bed.pk)
    if clash.exists():
        raise Invalid(_("This room already has a bed with this label."), field="label")


@transaction.atomic
def bed_create(*, actor: Membership, room: Room, label: str, in_service_from: date | None = None) -> Bed:
    """Adds a bed to a room, offered from ``in_service_from`` (default: ``bed_default_in_service_from``); bed labels
    are unique in a room. A closed house takes no new bed."""
    house = House.objects.select_related("organization").get(pk=room.house_id)
    _require_staff_of(actor, house, _("add a bed"))
    if house.closed_on is not None:
        raise Invalid(_("%(house)s is closed; it takes no new beds.") % {"house": house.name}, field="room")
    _check_label(room=room, label=label)
    bed = Bed(room=room, label=label.strip(), in_service_from=in_service_from or bed_default_in_service_from(house))
    refuse_closed_day(
        organization_id=house.organization_id, on=bed.in_service_from, field="in_service_from",
        what=_("a bed's entry into service"),
    )  # fmt: skip
    bed.save()
    return bed


def _lock_bed(bed: Bed, *, actor: Membership, what: str) -> Bed:
    house = House.objects.only("pk", "organization_id").get(pk=bed.house_id)
    _require_staff_of(actor, house, what)
    # The organization before the bed: the lock order of stays and of every dated write (accounts.closing).
    lock_books(house.organization_id)
    return Bed.objects.select_for_update().select_related("room", "house__organization").get(pk=bed.pk)


@transaction.atomic
def bed_update(*, actor: Membership, bed: Bed, **changes) -> Bed:
    """Changes a bed's ``label``, ``room`` (in the same house) or ``in_service_from``. Its entry into service cannot
    move past a night someone slept in it or an outage began (that history would fall outside the bed)."""
    bed = _lock_bed(bed, actor=actor, what=_("change a bed"))
    if "room" in changes and changes["room"].house_id != bed.house_id:
        raise Invalid(_("A bed cannot move to another house."), field="room")
    if "label" in changes or "room" in changes:
        _check_label(room=changes.get("room", bed.room), label=changes.get("label", bed.label), bed=bed)
    if "in_service_from" in changes:
        night = changes["in_service_from"]
        refuse_closed_change(
            organization_id=bed.house.organization_id, old=bed.in_service_from, new=night, field="in_service_from",
            what=_("the bed's entry into service"),
        )  # fmt: skip
        if bed.retired_on is not None and night >= bed.retired_on:
            raise Invalid(
                _("The bed is retired from %(retired_on)s.") % {"retired_on": _day(bed.retired_on)},
                field="in_service_from",
            )
        _refuse_if_slept_in(
            beds=[bed], start=date.min, end=night, field="in_service_from",
            action=_("the bed was in service before %(day)s") % {"day": _day(night)},
        )  # fmt: skip
        outage = bed.outages.filter(start__lt=night).order_by("start").first()
        if outage is not None:
            raise Invalid(
                _("An outage began on %(start)s, so the bed was in service by then.") % {"start": _day(outage.start)},
                field="in_service_from",
            )
    for name, value in changes.items():
        setattr(bed, name, value.strip() if name == "label" else value)
    bed.save()
    return bed


@transaction.atomic
def bed_retire(*, actor: Membership, bed: Bed, on: date) -> Bed:
    """Retires a bed: ``on`` is the first night it is no longer offered. Refused while a resident sleeps in it (or is
    booked into it) on or after that night; nights before it stay as they were."""
    bed = _lock_bed(bed, actor=actor, what=_("retire a bed"))
    if on <= bed.in_service_from:
        raise Invalid(
            _("The bed entered service on %(in_service_from)s; retire it from a later night.")
            % {"in_service_from": _day(bed.in_service_from)},
            field="retired_on",
        )
    _refuse_if_slept_in(beds=[bed], start=on, end=None, field="retired_on", action=_("the bed cannot be retired"))
    refuse_closed_change(
        organization_id=bed.house.organization_id, old=bed.retired_on, new=on, field="retired_on",
        what=_("the bed's retirement"),
    )  # fmt: skip
    bed.retired_on = on
    bed.save(update_fields=["retired_on"])
    return bed


@transaction.atomic
def bed_unretire(*, actor: Membership, bed: Bed) -> Bed:
    """Takes back a bed's retirement: it is offered again from the night it was to be retired."""
    bed = _lock_bed(bed, actor=actor, what=_("take back a bed's retirement"))
    if bed.retired_on is None:
        raise Invalid(_("This bed is not retired."), field="retired_on")
    refuse_closed_change(
        organization_id=bed.house.organization_id, old=bed.retired_on, new=None, field="retired_on",
        what=_("the bed's retirement"),
    )  # fmt: skip
    bed.retired_on = None
    bed.save(update_fields=["retired_on"])
    return bed


def bed_has_served(bed: Bed) -> bool:
    """Whether the bed entered service before tonight, so past months count its nights."""
    return bed.in_service_from < bed.house.organization.today()


@transaction.atomic
def bed_delete(*, actor: Membership, bed: Bed) -> None:
    """Deletes a bed that has not served a night yet (entered by mistake, or planned and dropped). A bed in service
    before tonight is refused (409): deleting it would take its bed-nights out of past months, so it is retired
    instead. So is a bed a resident is booked into."""
    bed = _lock_bed(bed, actor=actor, what=_("delete a bed"))
    if bed_has_served(bed):
        raise Conflict(
            _("This bed has been in service since %(in_service_from)s; retire it instead.")
            % {"in_service_from": _day(bed.in_service_from)}
        )
    sleeper = _first_sleeper(beds=[bed], start=date.min)
    if sleeper is not None:
        raise Conflict(
            _("%(resident)s is booked into %(bed)s from %(start)s, so the bed cannot be deleted. Move them first.")
            % {"resident": sleeper.stay.resident, "bed": bed.label, "start": _day(sleeper.start)}
        )
    bed.delete()  # its outages (all ahead of it) go with it


def _current_outage(bed: Bed) -> BedOutage | None:
    """The outage the bed's ``out_of_service_*`` fields describe while its status says out of service (running,
    ahead, or over but not yet closed by returning the bed): the one a correction replaces."""
    if bed.status != Bed.Status.OUT_OF_SERVICE:
        return None
    return bed.outages.filter(start=bed.out_of_service_from).first()


# Where an outage's refusals are shown: the bed's status fields (``bed_take_out_of_service``) or the outage's own
# (``bed_outage_create`` / ``bed_outage_update``).
BED_FIELDS = {"start": "out_of_service_from", "end": "out_of_service_until"}
OUTAGE_FIELDS = {"start": "start", "end": "end"}


def _refuse_closed_outage(
    bed: Bed, *, current: BedOutage | None, start: date, until: date | None, fields: dict = BED_FIELDS
) -> None:
    """A new outage starts in an open month; a correction moves neither end across a closed month's nights."""
    organization_id = bed.house.organization_id
    if current is None:
        refuse_closed_day(organization_id=organization_id, on=start, field=fields["start"], what=_("an outage"))
        return
    refuse_closed_change(
        organization_id=organization_id, old=current.start, new=start, field=fields["start"], what=_("the outage")
    )
    refuse_closed_change(
        organization_id=organization_id, old=current.end, new=until, field=fields["end"],
        what=_("the outage's return to service"),
    )  # fmt: skip


def _check_outage(bed: Bed, *, start: date, end: date | None, replacing: BedOutage | None, fields: dict) -> None:
    """The rules every outage of ``bed`` keeps, however it is written: inside the bed's service, clear of the bed's
    other outages (``replacing``, the one being corrected, aside), and over no night a resident sleeps in it."""
    if start < bed.in_service_from:
        raise Invalid(
            _("The bed is in service from %(in_service_from)s; an outage starts on or after that night.")
            % {"in_service_from": _day(bed.in_service_from)},
            field=fields["start"],
        )
    if bed.retired_on is not None and start >= bed.retired_on:
        raise Invalid(
            _("The bed is retired from %(retired_on)s.") % {"retired_on": _day(bed.retired_on)}, field=fields["start"]
        )
    others = bed.outages.overlapping(start, end)
    if replacing is not None:
        others = others.exclude(pk=replacing.pk)
    clash = others.order_by("start").first()
    if clash is not None:
        back = _(" to %(day)s") % {"day": _day(clash.end)} if clash.end else _(" on")
        raise Invalid(
            _("The bed is already out of service from %(start)s%(back)s (%(reason)s).")
            % {"start": _day(clash.start), "back": back, "reason": clash.reason},
            field=fields["start"],
        )
    _refuse_if_slept_in(
        beds=[bed], start=start, end=end, field=fields["start"], action=_("the bed cannot be out of service then")
    )


@transaction.atomic
def bed_take_out_of_service(*, actor: Membership, bed: Bed, reason: str, start: date, until: date | None) -> Bed:
    """Takes a bed out of service from ``start`` (a night) until ``until`` (the night it is back; empty when
    unknown). While the bed is out of service, this corrects its outage: the new dates replace the old ones (return
    the bed to service first to record another outage).

    The bed's ``clean()`` holds the shape (a reason, a start, a return after the start; Django's
    ``ValidationError`` keyed by the bed's field names). Refused with a ``DomainError``: an outage before the bed
    entered service or after it is retired, one overlapping another outage of the bed, and one over nights a
    resident sleeps (or is booked) in it, naming them."""
    bed = _lock_bed(bed, actor=actor, what=_("take a bed out of service"))
    current = _current_outage(bed)
    _refuse_closed_outage(bed, current=current, start=start, until=until)
    bed.status = Bed.Status.OUT_OF_SERVICE
    bed.out_of_service_reason = reason.strip()
    bed.out_of_service_from = start
    bed.out_of_service_until = until
    bed.full_clean(exclude=["room", "house"])
    _check_outage(bed, start=start, end=until, replacing=current, fields=BED_FIELDS)
    if current is not None:
        current.start, current.end, current.reason = start, until, bed.out_of_service_reason
        current.save()
    else:
        BedOutage.objects.create(bed=bed, start=start, end=until, reason=bed.out_of_service_reason)
    bed.save()
    return bed


@transaction.atomic
def bed_return_to_service(*, actor: Membership, bed: Bed) -> Bed:
    """Puts a bed back in service from tonight: its outage, if still running, ends tonight; one that had not begun
    never happened. Past nights out stay in the history."""
    bed = _lock_bed(bed, actor=actor, what=_("return a bed to service"))
    if bed.status == Bed.Status.AVAILABLE:
        raise Invalid(_("This bed is already in service."), field="bed")
    today = bed.house.organization.today()
    current = _current_outage(bed)
    if current is not None and current.start >= today:
        current.delete()
    elif current is not None and (current.end is None or current.end > today):
        current.end = today
        current.save(update_fields=["end"])
    bed.status = Bed.Status.AVAILABLE
    bed.full_clean(exclude=["room", "house"])  # clears the outage fields
    bed.save()
    return bed


def _settle_bed_status(bed: Bed, *, current: BedOutage | None) -> None:
    """Keeps the bed's ``out_of_service_*`` fields describing its current outage after its history changed:
    ``current`` (the outage they described, as it now reads), else the first outage not over by tonight, else none
    (the bed is in service)."""
    if current is None:
        current = bed.outages.overlapping(bed.house.organization.today(), None).order_by("start").first()
    if current is None:
        bed.status, bed.out_of_service_reason = Bed.Status.AVAILABLE, ""
        bed.out_of_service_from = bed.out_of_service_until = None
    else:
        bed.status, bed.out_of_service_reason = Bed.Status.OUT_OF_SERVICE, current.reason
        bed.out_of_service_from, bed.out_of_service_until = current.start, current.end
    bed.save(update_fields=["status", "out_of_service_reason", "out_of_service_from", "out_of_service_until"])


def _outage_reason(*, reason: str, start: date, end: date | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the bed was out of service."), field="reason")
    if end is not None and end <= start:
        raise Invalid(_("The return date must be after the start date."), field="end")
    return reason


def _lock_outage(outage: BedOutage, *, actor: Membership, what: str) -> tuple[Bed, BedOutage]:
    bed = _lock_bed(outage.bed, actor=actor, what=what)  # the bed first: every outage write takes its bed's lock
    return bed, BedOutage.objects.select_for_update().get(pk=outage.pk)


@transaction.atomic
def bed_outage_create(*, actor: Membership, bed: Bed, reason: str, start: date, end: date | None = None) -> BedOutage:
    """Records an outage of ``bed``: nights ``start`` <= D < ``end`` (``end`` empty: until further notice), past or
    ahead. Refused like ``bed_take_out_of_service``: in a closed month, outside the bed's service, over another
    outage of the bed, or over a night a resident sleeps in it (naming them). An outage not over by tonight becomes
    the bed's current one when it has none."""
    bed = _lock_bed(bed, actor=actor, what=_("record an outage"))
    reason = _outage_reason(reason=reason, start=start, end=end)
    _refuse_closed_outage(bed, current=None, start=start, until=end, fields=OUTAGE_FIELDS)
    _check_outage(bed, start=start, end=end, replacing=None, fields=OUTAGE_FIELDS)
    outage = BedOutage.objects.create(bed=bed, start=start, end=end, reason=reason)
    _settle_bed_status(bed, current=_current_outage(bed))
    return outage


@transaction.atomic
def bed_outage_update(*, actor: Membership, outage: BedOutage, **changes) -> BedOutage:
    """Corrects an outage, past, running or ahead: the given ``start``, ``end`` and ``reason`` replace the old ones,
    so its nights are the new ones only (one record). Refused as ``bed_outage_create`` is, and when either end moves
    across a closed month's nights. When it is the bed's current outage, the bed's status fields follow."""
    bed, outage = _lock_outage(outage, actor=actor, what=_("correct an outage"))
    moved_to = changes.pop("bed", None)
    if moved_to is not None and moved_to.pk != bed.pk:
        raise Invalid(_("An outage cannot move to another bed; remove it and record a new one."), field="bed")
    current = _current_outage(bed)
    start, end = changes.get("start", outage.start), changes.get("end", outage.end)
    reason = _outage_reason(reason=changes.get("reason", outage.reason), start=start, end=end)
    _refuse_closed_outage(bed, current=outage, start=start, until=end, fields=OUTAGE_FIELDS)
    _check_outage(bed, start=start, end=end, replacing=outage, fields=OUTAGE_FIELDS)
    outage.start, outage.end, outage.reason = start, end, reason
    outage.save()
    _settle_bed_status(bed, current=outage if current is not None and current.pk == outage.pk else current)
    return outage


@transaction.atomic
def bed_outage_delete(*, actor: Membership, outage: BedOutage) -> None:
    """Removes an outage recorded by mistake: its nights count as in service again. Refused when any of its nights
    lies in a closed month. Removing the bed's current outage puts the bed back in service (or on its next outage)."""
    bed, outage = _lock_outage(outage, actor=actor, what=_("remove an outage"))
    refuse_closed_change(
        organization_id=bed.house.organization_id, old=outage.start, new=None, field="start", what=_("the outage")
    )
    current = _current_outage(bed)
    if current is not None and current.pk == outage.pk:
        current = None
    outage.delete()
    _settle_bed_status(bed, current=current)


OUTAGE_STATUS_FIELDS = ("status", "out_of_service_reason", "out_of_service_from", "out_of_service_until")


def _apply_status(*, actor: Membership, bed: Bed, status: str, fields: dict) -> Bed:
    if status == Bed.Status.OUT_OF_SERVICE:
        return bed_take_out_of_service(
            actor=actor, bed=bed, reason=fields.get("out_of_service_reason") or "",
            start=fields.get("out_of_service_from"), until=fields.get("out_of_service_until"),
        )  # fmt: skip
    return bed_return_to_service(actor=actor, bed=bed)


@transaction.atomic
def bed_record(
    *, actor: Membership, room: Room, label: str, in_service_from: date | None = None,
    retired_on: date | None = None, status: str = Bed.Status.AVAILABLE, **outage,
) -> Bed:  # fmt: skip
    """Adds a bed with everything known about it in one step (the API's shape): ``bed_create``, then
    ``bed_retire`` when ``retired_on`` is given, then ``bed_take_out_of_service`` when ``status`` is out of service
    (``outage``: its ``out_of_service_*`` fields). Each step's rules hold; any refusal leaves no bed."""
    bed = bed_create(actor=actor, room=room, label=label, in_service_from=in_service_from)
    if retired_on:
        bed = bed_retire(actor=actor, bed=bed, on=retired_on)
    if status == Bed.Status.OUT_OF_SERVICE:
        bed = _apply_status(actor=actor, bed=bed, status=status, fields=outage)
    return bed


@transaction.atomic
def bed_change(*, actor: Membership, bed: Bed, **changes) -> Bed:
    """Applies any of a bed's fields at once (the API's shape), through the service that owns each: ``label``,
    ``room`` and ``in_service_from`` (``bed_update``), ``retired_on`` (``bed_retire``; None takes the retirement
    back), and ``status`` with the ``out_of_service_*`` fields (out of service takes the bed out or corrects its
    outage, the missing fields kept from its current one; available returns it). Unchanged values are no change."""
    _require_staff_of(actor, bed.house, _("change a bed"))
    stored = Bed.objects.get(pk=bed.pk)
    changed = {name: value for name, value in changes.items() if getattr(stored, name) != value}
    bed = stored
    details = {name: changed[name] for name in ("label", "room", "in_service_from") if name in changed}
    if details:
        bed = bed_update(actor=actor, bed=bed, **details)
    if "retired_on" in changed:
        if changed["retired_on"] is None:
            bed = bed_unretire(actor=actor, bed=bed)
        else:
            bed = bed_retire(actor=actor, bed=bed, on=changed["retired_on"])
    if any(name in changed for name in OUTAGE_STATUS_FIELDS):
        fields = {**{name: getattr(stored, name) for name in OUTAGE_STATUS_FIELDS}, **changes}
        bed = _apply_status(actor=actor, bed=bed, status=fields["status"], fields=fields)
    return bed
