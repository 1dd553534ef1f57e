"""Who slept where: the one answer to "who occupied which bed, in which house, on night D".

- A stay occupies a bed on night D when one of its bed assignments has ``start <= D < end`` (no end: still there).
  Admission, transfer and discharge close one assignment where the next begins, so a stay's assignments never
  overlap and a bed-night belongs to one house.
- The house is the bed's house. ``Stay.house`` is only the current house and a transfer rewrites it, so it never
  says where someone lived on a night.
- **A day** (something that happened in daytime: an incident, a drug test) belongs to the house slept in the night
  before or that night: ``start <= D`` and (no end or ``end >= D``), so the morning of a move-out or a transfer
  still counts for the old house; on a transfer day the newer assignment wins (``residence_on_day``).
- **Current residents** of a house are its occupants tonight (night D = the organization's today). A resident
  admitted from a later date is not one yet (nor is a transfer dated ahead: they are still where they sleep
  tonight); a resident discharged from tomorrow still is one tonight.

The reports (occupied bed-nights, census, admissions, discharges, transfers), certification evidence, chore
rotations, house meetings, drug-test draws and what a resident may see of their house all ask here.
"""

from datetime import date, timedelta

from django.db.models import Count, DateField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least

from accounts.dbfunctions import DaysBetween
from accounts.models import Membership
from houses.models import House
from residents.models import BedAssignment, Resident, Stay


def on_night(night, *, path: str = "") -> Q:
    """The rule as a filter over bed assignments: ``start <= night < end``. ``path`` leads to the assignments from
    another model (``"bed_assignments__"`` from a stay); ``night`` may be a date or an expression (``OuterRef``)."""
    return Q(**{f"{path}start__lte": night}) & (Q(**{f"{path}end__isnull": True}) | Q(**{f"{path}end__gt": night}))


def on_day(day, *, path: str = "") -> Q:
    """The day form of the rule, over bed assignments: slept in the bed the night before ``day`` or that night
    (``start <= day`` and no end or ``end >= day``)."""
    return Q(**{f"{path}start__lte": day}) & (Q(**{f"{path}end__isnull": True}) | Q(**{f"{path}end__gte": day}))


def _in_houses(rows: QuerySet, houses, field: str = "bed__house") -> QuerySet:
    """Narrows ``rows`` to ``houses``: one house, a House queryset (or ``values("pk")`` subquery) or house ids."""
    if houses is None:
        return rows
    if isinstance(houses, House):
        return rows.filter(**{f"{field}_id": houses.pk})
    return rows.filter(**{f"{field}_id__in": houses})


def occupants(*, night: date, houses=None) -> QuerySet[BedAssignment]:
    """One row per bed occupied on ``night`` (in ``houses``, when given): the bed assignment, with its stay,
    resident, bed, room and house joined (``row.stay``, ``row.stay.resident``, ``row.bed``, ``row.bed.house``)."""
    rows = _in_houses(BedAssignment.objects.filter(on_night(night)), houses)
    return rows.select_related("stay__resident", "bed__room", "bed__house").order_by("bed__house_id", "stay_id")


def residents_of(*, house: House, night: date) -> dict[int, int]:
    """The residents sleeping in ``house`` on ``night``, as {resident id: stay id}."""
    rows = _in_houses(BedAssignment.objects.filter(on_night(night)), house)
    return dict(rows.values_list("stay__resident_id", "stay_id"))


def current_residents(*, house: House) -> dict[int, int]:
    """The house's current residents (its occupants tonight, on the organization's calendar), {resident id: stay id}."""
    return residents_of(house=house, night=house.organization.today())


def residence_on_day(*, resident: Resident, day: date, houses=None) -> BedAssignment | None:
    """The bed assignment that had ``resident`` in a house on ``day`` (``on_day``), with its stay, bed and house, or
    None. On a transfer day the newer assignment wins. ``houses`` (say, the caller's visible houses) narrows the
    search; a stay elsewhere reads as none."""
    rows = _in_houses(BedAssignment.objects.filter(on_day(day), stay__resident=resident), houses)
    return rows.select_related("stay", "bed__house").order_by("-start", "-pk").first()


def residents_on_day(*, house: House, day: date) -> QuerySet[Resident]:
    """The residents who were in ``house`` on ``day`` (``on_day``): who can be involved in what happened there."""
    here = _in_houses(BedAssignment.objects.filter(on_day(day)), house)
    return Resident.objects.filter(pk__in=here.values("stay__resident_id"))


def residents_sleeping_in(*, house: House, night: date) -> QuerySet[Resident]:
    """The residents sleeping in ``house`` on ``night`` (``residents_of``) as a queryset, by name."""
    here = _in_houses(BedAssignment.objects.filter(on_night(night)), house)
    return Resident.objects.filter(pk__in=here.values("stay__resident_id")).order_by(
        "legal_last_name", "legal_first_name", "pk"
    )


def stays_on_night(*, night: date, houses=None) -> QuerySet[Stay]:
    """The stays occupying a bed on ``night`` (in ``houses``), each annotated ``night_house_id``: the house of
    that night, which is what to group or filter by (never ``Stay.house``)."""
    occupied = _in_houses(BedAssignment.objects.filter(on_night(night)), houses)
    here = occupied.filter(stay=OuterRef("pk"))
    # Narrowed to the night's stays first, so the database never evaluates the house of every stay it holds.
    return (
        Stay.objects.filter(pk__in=occupied.values("stay_id"))
        .annotate(night_house_id=Subquery(here.order_by().values("bed__house_id")[:1]))
        .filter(night_house_id__isnull=False)
    )


def house_on_night(*, stay: str = "pk", night: str) -> Subquery:
    """An expression for querysets that hold a stay and a date: the house where that stay slept that night (None
    when it slept in none). ``stay`` and ``night`` name the outer query's fields."""
    slept = BedAssignment.objects.filter(on_night(OuterRef(night)), stay_id=OuterRef(stay))
    return Subquery(slept.order_by().values("bed__house_id")[:1])


def last_night_house(*, stay: str = "pk") -> Subquery:
    """An expression: the house of the bed a stay was in last (its latest assignment), where a discharge counts."""
    latest = BedAssignment.objects.filter(stay_id=OuterRef(stay)).order_by("-start", "-pk")
    return Subquery(latest.values("bed__house_id")[:1])


def homes_of(viewer: Membership) -> QuerySet:
    """The houses a resident member sleeps in tonight, as a subquery of house ids: what they may see of a house."""
    night = viewer.organization.today()
    return BedAssignment.objects.filter(on_night(night), stay__resident__membership=viewer).values("bed__house_id")


def bed_nights_by_house(*, houses, first: date, end: date) -> QuerySet:
    """The range form, one grouped query: per house, the bed-nights slept over nights ``first <= D < end``
    (``nights``) and the residents sleeping there on the last of them, ``end - 1`` (``census``). Rows of
    ``bed__house_id``, ``nights``, ``census``; houses where nobody slept have no row."""
    lo, hi = Value(first, DateField()), Value(end, DateField())
    overlapping = BedAssignment.objects.filter(start__lt=end).filter(Q(end__isnull=True) | Q(end__gt=first))
    return (
        _in_houses(overlapping, houses)
        .values("bed__house_id")
        .annotate(
            nights=Sum(DaysBetween(Least(Coalesce(F("end"), hi), hi), Greatest(F("start"), lo))),
            census=Count("pk", filter=on_night(end - timedelta(days=1))),
        )
        .order_by()
    )


def stretches(*, houses, first: date, end: date) -> QuerySet:
    """The assignments that cover any night ``first <= D < end`` in ``houses``, as ``(start, end, house id)``
    tuples, for callers that spread them night by night (a daily census)."""
    overlapping = BedAssignment.objects.filter(start__lt=end).filter(Q(end__isnull=True) | Q(end__gt=first))
    return _in_houses(overlapping, houses).values_list("start", "end", "bed__house_id")


def moves_between_houses(*, houses, first: date, end: date) -> list[tuple[int, int]]:
    """Moves from one house to another whose first night in the new bed falls in ``first <= D < end``, as
    ``(from house id, to house id)``, one per move, where either house is in ``houses``. A move within one house
    (another bed) is no move between houses; admission and discharge are not moves."""
    before = BedAssignment.objects.filter(stay_id=OuterRef("stay_id"), end=OuterRef("start")).exclude(pk=OuterRef("pk"))
    moves = (
        BedAssignment.objects.filter(start__gte=first, start__lt=end)
        .annotate(from_house_id=Subquery(before.order_by("-start", "-pk").values("bed__house_id")[:1]))
        .filter(from_house_id__isnull=False)
        .exclude(from_house_id=F("bed__house_id"))
    )
    if houses is not None:
        scope = [houses.pk] if isinstance(houses, House) else houses
        moves = moves.filter(Q(bed__house_id__in=scope) | Q(from_house_id__in=scope))
    return list(moves.order_by("start", "pk").values_list("from_house_id", "bed__house_id"))


def residents_housed_by(viewer: Membership) -> QuerySet:
    """Residents who have had a bed in a house the member runs, at any time (history, from bed assignments), as a
    subquery of resident ids: whose records a manager may see. A transfer away does not hide a past resident."""
    return BedAssignment.objects.filter(bed__house__staff=viewer).values("stay__resident_id")


def residents_ever_in(house) -> QuerySet:
    """Residents who have had a bed in ``house`` (a house or its id) at any time, as a subquery of resident ids: a
    transfer away leaves them in its history (``Stay.house`` would not)."""
    return BedAssignment.objects.filter(bed__house=house).values("stay__resident_id")


def register_scoping() -> None:
    """Hands this module's answers to the apps below residents that scope by where people live (houses cannot
    import residents). Called from ``ResidentsConfig.ready``."""
    from houses.models import HouseQuerySet

    HouseQuerySet.homes_of = staticmethod(homes_of)
