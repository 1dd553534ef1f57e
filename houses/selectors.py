"""Reads about houses and beds that the API, the pages, the bed board and the reports share.

Whether a bed offers a night has one answer: ``BedQuerySet.in_service_on`` for one night, and the bed-night
functions below for a range of nights. Both read the same dates (the bed's ``in_service_from`` and ``retired_on``,
the house's ``opened_on`` and ``closed_on``) and the same outage history (``BedOutage``), so a bed board, a
capacity count and a monthly report never disagree about a night.
"""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Count, DateField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.dbfunctions import DaysBetween
from accounts.models import Membership

from .models import Bed, BedOutage, House, Room

# Stands in for "no end yet" so the database can take the least of several end dates.
NO_END = date(9999, 12, 31)


def houses_for(*, viewer: Membership, night: date | None = None) -> QuerySet[House]:
    """The houses a member may see, with ``capacity`` (beds in service on ``night``, default tonight) and
    ``bed_count`` (beds the house has that night)."""
    return House.objects.visible_to(viewer).with_capacity(night or viewer.organization.today())


def houses_with_staff(*, viewer: Membership) -> QuerySet[House]:
    """``houses_for`` with each house's managers, as the API lists them."""
    return houses_for(viewer=viewer).prefetch_related("staff")


def rooms_for(*, viewer: Membership) -> QuerySet[Room]:
    """The rooms a member may see, with their house and beds."""
    return Room.objects.visible_to(viewer).select_related("house").prefetch_related("beds")


def beds_for(*, viewer: Membership) -> QuerySet[Bed]:
    """The beds a member may see (in service or not, retired or not), with their room."""
    return Bed.objects.visible_to(viewer).select_related("room")


def outages_for(*, viewer: Membership, bed: Bed | None = None) -> QuerySet[BedOutage]:
    """The outage history a member may see (operators: the organization's; managers: their houses'), latest first,
    with each outage's bed and room joined; ``bed`` narrows it to one bed."""
    outages = BedOutage.objects.visible_to(viewer).select_related("bed__room")
    if bed is not None:
        outages = outages.filter(bed=bed)
    return outages.order_by("-start", "-pk")


def _date(value: date) -> Value:
    return Value(value, DateField())


def _bed_window(prefix: str, first: date, end: date) -> tuple:
    """The nights of ``[first, end)`` a bed serves (``prefix`` leads from the queried model to the bed): from its
    entry into service and its house's opening, until its retirement and its house's closing."""
    serves_from = Greatest(
        F(f"{prefix}in_service_from"),
        Coalesce(F(f"{prefix}house__opened_on"), F(f"{prefix}in_service_from")),
        _date(first),
    )
    serves_until = Least(
        Coalesce(F(f"{prefix}retired_on"), _date(NO_END)),
        Coalesce(F(f"{prefix}house__closed_on"), _date(NO_END)),
        _date(end),
    )
    return serves_from, serves_until


def bed_nights_offered(*, houses, first: date, end: date) -> QuerySet:
    """Per house (rows of ``house_id``, ``beds``, ``nights``): the bed-nights of ``[first, end)`` its beds offer before
    outages, and ``beds``, the beds serving its last night (``end`` - 1) before outages. One grouped query;
    ``houses`` is a House queryset (or a ``values("pk")`` of one)."""
    lo, hi = _bed_window("", first, end)
    last = end - timedelta(days=1)
    return (
        Bed.objects.filter(house_id__in=houses)
        .annotate(lo=lo, hi=hi)
        .filter(lo__lt=F("hi"))
        .values("house_id")
        .annotate(beds=Count("pk", filter=Q(hi__gt=last)), nights=Sum(DaysBetween(F("hi"), F("lo"))))
        .order_by("house_id")
    )


def bed_nights_out(*, houses, first: date, end: date) -> QuerySet:
    """Per house (rows of ``bed__house_id``, ``nights``, ``out_on_last_night``): the bed-nights of ``[first, end)``
    that outages take away (only nights the bed would otherwise serve), and the beds an outage covers on the last
    night. A bed's outages never overlap (``houses.services``), so no night is taken twice. One grouped query."""
    lo, hi = _bed_window("bed__", first, end)
    last = end - timedelta(days=1)
    return (
        BedOutage.objects.filter(bed__house_id__in=houses)
        .annotate(lo=Greatest(F("start"), lo), hi=Least(Coalesce(F("end"), _date(NO_END)), hi))
        .filter(lo__lt=F("hi"))
        .values("bed__house_id")
        .annotate(nights=Sum(DaysBetween(F("hi"), F("lo"))), out_on_last_night=Count("pk", filter=Q(hi__gt=last)))
        .order_by("bed__house_id")
    )


def bed_nights_by_house(*, houses, first: date, end: date) -> dict[int, dict[str, int]]:
    """Available bed-nights of ``[first, end)`` per house: ``offered`` (inside the beds' and houses' dates),
    ``out`` (lost to outages), ``available`` (offered - out), and ``in_service_last_night`` (beds in service on
    night ``end`` - 1). Houses with no bed serving in the range are absent. Two queries."""
    result = {}
    for row in bed_nights_offered(houses=houses, first=first, end=end):
        result[row["house_id"]] = {
            "offered": row["nights"] or 0,
            "out": 0,
            "available": row["nights"] or 0,
            "in_service_last_night": row["beds"],
        }
    for row in bed_nights_out(houses=houses, first=first, end=end):
        figures = result[row["bed__house_id"]]
        figures["out"] = row["nights"] or 0
        figures["available"] -= figures["out"]
        figures["in_service_last_night"] -= row["out_on_last_night"]
    return result


def in_service_spans(*, houses, first: date, end: date) -> Iterator[tuple[int, date, date, int]]:
    """``(house_id, from, until, step)`` spans inside ``[first, end)``: +1 over the nights each bed serves, -1 over
    the nights an outage takes from it. Adding them night by night gives the beds in service each night (the
    same count as ``BedQuerySet.in_service_on``). Two queries."""
    lo, hi = _bed_window("", first, end)
    beds = Bed.objects.filter(house_id__in=houses).annotate(lo=lo, hi=hi).filter(lo__lt=F("hi"))
    for house_id, start, stop in beds.values_list("house_id", "lo", "hi"):
        yield house_id, start, stop, 1
    lo, hi = _bed_window("bed__", first, end)
    outages = (
        BedOutage.objects.filter(bed__house_id__in=houses)
        .annotate(lo=Greatest(F("start"), lo), hi=Least(Coalesce(F("end"), _date(NO_END)), hi))
        .filter(lo__lt=F("hi"))
    )
    for house_id, start, stop in outages.values_list("bed__house_id", "lo", "hi"):
        yield house_id, start, stop, -1


def bed_refusal(bed: Bed, *, night: date) -> str | None:
    """Why ``bed`` cannot take a resident from night ``night`` on (an open stay), in words; None when it can.

    The bed must serve every night from then on: its house open and not closing, the bed in service and not being
    retired, and no outage from that night on."""
    house, where = bed.house, _("%(bed)s in %(room)s") % {"bed": bed.label, "room": bed.room.name}
    if house.status == House.Status.CLOSED or house.closed_on is not None:
        return _("%(house)s is closed.") % {"house": house.name}
    if house.opened_on and night < house.opened_on:
        return _("%(house)s opens on %(opened_on)s.") % {
            "house": house.name,
            "opened_on": date_format(house.opened_on, _("M j, Y")),
        }
    if night < bed.in_service_from:
        return _("%(where)s is in service from %(in_service_from)s.") % {
            "where": where,
            "in_service_from": date_format(bed.in_service_from, _("M j, Y")),
        }
    if bed.retired_on is not None:
        return _("%(where)s is retired from %(retired_on)s.") % {
            "where": where,
            "retired_on": date_format(bed.retired_on, _("M j, Y")),
        }
    outage = bed.outages.overlapping(night, None).order_by("start").first()
    if outage is not None:
        when = _(" from %(start)s") % {"start": date_format(outage.start, _("M j, Y"))} if outage.start > night else ""
        return _("%(where)s is out of service%(when)s (%(reason)s).") % {
            "where": where,
            "when": when,
            "reason": outage.reason,
        }
    return None


def house_in_scope(request, house_id) -> House:
    """The house a page names, if the request's viewer may see it (with its organization, for its clock); any other
    id is a 404, the same as a missing one. Every page that takes a house id looks it up here."""
    houses = House.objects.visible_to(request.viewer).select_related("organization")
    return get_object_or_404(houses, pk=house_id)
