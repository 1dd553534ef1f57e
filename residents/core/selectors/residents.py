"""Residents as lists show them: searched, filtered by house and by status, each with their current stay and bed.

The API's ``ResidentFilter`` and the residents page both filter through these functions, so they always agree.
Money reaches the list through ``register_balance_annotator``: billing registers, from its AppConfig.ready, a
function that annotates residents with ``balance`` (above zero they owe), so residents never imports billing.
Past-due rent comes the same way, through ``register_past_due_reader`` (see ``past_due``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from accounts.models import Membership
from residents.core.selectors.nights import on_night
from residents.models import BedAssignment, Resident, Stay

STATUS_CHOICES = [("current", "Living in a house now"), ("past", "Discharged"), ("never", "Never admitted")]
SEARCH_FIELDS = ["legal_first_name", "legal_last_name", "preferred_name", "phone", "email"]
BALANCE_ANNOTATORS: list[Callable[[QuerySet[Resident]], QuerySet[Resident]]] = []


def register_balance_annotator(annotate: Callable[[QuerySet[Resident]], QuerySet[Resident]]) -> None:
    if annotate not in BALANCE_ANNOTATORS:
        BALANCE_ANNOTATORS.append(annotate)


@dataclass(frozen=True)
class PastDue:
    """Rent past due: how much, since when (the oldest unpaid charge's date) and for how many days."""

    owed: Decimal
    since: date
    days: int


PastDueReader = Callable[..., dict[int, PastDue]]
PAST_DUE_READERS: list[PastDueReader] = []


def register_past_due_reader(read: PastDueReader) -> None:
    """``read(resident_ids, on=date)`` answers ``{resident_id: PastDue}`` for those past due, in a fixed number of
    queries whatever the number of residents."""
    if read not in PAST_DUE_READERS:
        PAST_DUE_READERS.append(read)


def past_due(resident_ids: Iterable[int], *, on: date) -> dict[int, PastDue]:
    """Who of ``resident_ids`` is past due on ``on``, from the app that keeps the money; nobody when none registered."""
    answers: dict[int, PastDue] = {}
    for read in PAST_DUE_READERS:
        answers.update(read(resident_ids, on=on))
    return answers


def with_balance(residents: QuerySet[Resident]) -> QuerySet[Resident]:
    """Annotates ``balance`` when an app that keeps the money has registered how (see the module docstring)."""
    for annotate in BALANCE_ANNOTATORS:
        residents = annotate(residents)
    return residents


def with_current_stay(residents: QuerySet[Resident]) -> QuerySet[Resident]:
    """Prefetches each resident's open stay (``open_stays``, a list of zero or one) with its house and current bed."""
    return residents.prefetch_related(
        Prefetch(
            "stays",
            queryset=Stay.objects.open()
            .select_related("house")
            .prefetch_related(
                Prefetch("bed_assignments", queryset=BedAssignment.objects.current().select_related("bed__room"))
            ),
            to_attr="open_stays",
        )
    )


def residents_for(*, viewer: Membership) -> QuerySet[Resident]:
    """The residents a member may see (the API's rows), with their portal login and current stay and bed."""
    return with_current_stay(Resident.objects.visible_to(viewer).select_related("membership"))


def filter_by_house(residents: QuerySet[Resident], house_id, *, night: date) -> QuerySet[Resident]:
    """Residents living in the house now: sleeping there on ``night``, tonight (``nights``: a transfer or an admission
    dated ahead does not move anyone yet)."""
    here = BedAssignment.objects.filter(on_night(night), bed__house_id=house_id, stay__resident=OuterRef("pk"))
    return residents.filter(Exists(here))


def filter_by_house_name(residents: QuerySet[Resident], name: str, *, night: date) -> QuerySet[Resident]:
    """Residents living now (``filter_by_house``'s rule) in a house whose name contains ``name``."""
    here = BedAssignment.objects.filter(
        on_night(night), bed__house__name__icontains=name, stay__resident=OuterRef("pk")
    )
    return residents.filter(Exists(here))


def filter_by_status(residents: QuerySet[Resident], status: str) -> QuerySet[Resident]:
    """current: an open stay; past: stays, all ended; never: no stay at all."""
    open_stay = Exists(Stay.objects.filter(resident=OuterRef("pk"), move_out__isnull=True))
    any_stay = Exists(Stay.objects.filter(resident=OuterRef("pk")))
    if status == "current":
        return residents.filter(open_stay)
    if status == "past":
        return residents.filter(any_stay).exclude(open_stay)
    if status == "never":
        return residents.exclude(any_stay)
    return residents


def search(residents: QuerySet[Resident], text: str) -> QuerySet[Resident]:
    """Every word must appear in a name, the phone or the e-mail (as the API's ``search`` parameter does)."""
    for term in text.split():
        matches = Q()
        for field in SEARCH_FIELDS:
            matches |= Q(**{f"{field}__icontains": term})
        residents = residents.filter(matches)
    return residents


BY_NAME = ("legal_last_name", "legal_first_name", "pk")
SORT_CHOICES = [("", "Name"), ("balance", "Balance, highest first"), ("past_due", "Days past due, longest first")]


def order_by_days_past_due(residents: QuerySet[Resident], *, on: date) -> QuerySet[Resident]:
    """Annotates ``days_past_due`` (0 when nothing is) and orders by it, longest first, then by name. Reads the
    money of only those who owe (one query), then sorts in the database, so pagination still works."""
    owing = residents.filter(balance__gt=0).values("pk") if BALANCE_ANNOTATORS else residents.values("pk")
    days = {resident_id: due.days for resident_id, due in past_due(owing, on=on).items()}
    whens = [When(pk=resident_id, then=Value(count)) for resident_id, count in days.items()]
    annotation = Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)
    return residents.annotate(days_past_due=annotation).order_by("-days_past_due", *BY_NAME)


def residents_list(
    *, viewer: Membership, text: str = "", house_id: int | None = None, status: str = "", owing: bool = False,
    sort: str = "", house_name: str = "",
) -> QuerySet[Resident]:  # fmt: skip
    """The residents a viewer may see, searched and filtered, with their current stay and their ``balance``.
    ``house_id``: living in that house now; ``house_name``: in a house whose name contains it.
    ``owing``: only those with a balance above zero. ``sort``: by name (default), ``balance`` (highest first) or
    ``past_due`` (most days past due first, annotated as ``days_past_due``); ties by name."""
    residents = with_balance(Resident.objects.visible_to(viewer))
    if owing and BALANCE_ANNOTATORS:
        residents = residents.filter(balance__gt=0)
    if text:
        residents = search(residents, text)
    if house_id:
        residents = filter_by_house(residents, house_id, night=viewer.organization.today())
    if house_name:
        residents = filter_by_house_name(residents, house_name, night=viewer.organization.today())
    if status:
        residents = filter_by_status(residents, status)
    residents = with_current_stay(residents)
    if sort == "balance" and BALANCE_ANNOTATORS:
        return residents.order_by("-balance", *BY_NAME)
    if sort == "past_due":
        return order_by_days_past_due(residents, on=viewer.organization.today())
    return residents.order_by(*BY_NAME)


def residents_without_open_stay(*, viewer: Membership) -> QuerySet[Resident]:
    """Who could be admitted: residents the viewer may see who are not living in a house now."""
    open_stay = Exists(Stay.objects.filter(resident=OuterRef("pk"), move_out__isnull=True))
    return Resident.objects.visible_to(viewer).exclude(open_stay).order_by("legal_last_name", "legal_first_name", "pk")


def resident_stays(*, viewer: Membership, resident: Resident) -> QuerySet[Stay]:
    """A resident's stays the viewer may see, newest first, each with its house and every bed it used."""
    return (
        Stay.objects.visible_to(viewer)
        .filter(resident=resident)
        .select_related("house", "admitted_by", "discharged_by")
        .prefetch_related(Prefetch("bed_assignments", queryset=BedAssignment.objects.select_related("bed__room")))
        .order_by("-move_in", "-pk")
    )
