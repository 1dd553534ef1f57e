"""Where a house stands against the NARR map: each rule met, expiring, expired, missing or not applicable."""

from dataclasses import dataclass
from datetime import date

from accounts.models import Membership
from houses.models import House

from ..evidence import NOT_APPLICABLE, STATUSES, Evidence, EvidenceData, EvidenceStatus, HouseContext, registry, worst
from ..evidence.registry import Judged
from ..standard import Rule, standard


@dataclass(frozen=True)
class RuleStatus(Judged):
    """One rule of the map judged for a house: the worst status of its evidence, and that evidence (none for a rule
    that does not apply at the house's level)."""

    rule: str
    domain: str
    title: str
    description: str
    status: EvidenceStatus
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class CertificationStatus:
    """A house against the whole map on a day: every rule in the map's order, and how many rules stand at each
    status (every status is a key, zero or not)."""

    house: int
    house_name: str
    level: int | None
    on: date
    map_version: str
    summary: dict[EvidenceStatus, int]
    rules: tuple[RuleStatus, ...]


@dataclass(frozen=True)
class OverviewCell(Judged):
    """One house's status for one rule of the overview grid."""

    house: int
    house_name: str
    status: EvidenceStatus


@dataclass(frozen=True)
class OverviewRow:
    """One rule of the overview grid, with one cell per house, in the order of the overview's houses."""

    rule: str
    domain: str
    title: str
    cells: tuple[OverviewCell, ...]


@dataclass(frozen=True)
class CertificationOverview:
    """Every house the viewer may see against every rule: rules down (``rules``), houses across (``houses``)."""

    on: date
    map_version: str
    rules: tuple[OverviewRow, ...]
    houses: tuple[CertificationStatus, ...]


def _judge_rule(rule: Rule, context: HouseContext) -> RuleStatus:
    row = {"rule": rule.id, "domain": rule.domain, "title": rule.title, "description": rule.description}
    if not rule.applies_to(context.level):
        return RuleStatus(**row, status=NOT_APPLICABLE)
    evidence = tuple(
        registry.evaluate(spec, context)
        for spec in rule.evidence
        if "levels" not in spec or context.level in spec["levels"]
    )
    return RuleStatus(**row, status=worst(item.status for item in evidence), evidence=evidence)


def _judge_houses(houses: list[House], on: date) -> dict[int, CertificationStatus]:
    the_standard = standard()
    data = EvidenceData(registry, houses, on)
    result = {}
    for house in houses:
        context = HouseContext(house=house, on=on, data=data)
        rules = tuple(_judge_rule(rule, context) for rule in the_standard.rules)
        summary = dict.fromkeys(STATUSES, 0)
        for rule in rules:
            summary[rule.status] += 1
        result[house.pk] = CertificationStatus(
            house=house.pk,
            house_name=house.name,
            level=house.narr_level,
            on=on,
            map_version=the_standard.version,
            summary=summary,
            rules=rules,
        )
    return result


def certification_status(*, viewer: Membership, house: House, on: date | None = None) -> CertificationStatus:
    """Each NARR rule for the house at its level, with its status and links to the evidence.

    A rule's status is the worst of its evidence: met, expiring (lapses within 30 days for documents and kits,
    within 7 for recurring checks), expired, missing, or not applicable (a rule for other levels, or a house with no
    level set). Everything the house's rules read is loaded once, so the cost is a constant number of queries.
    Raises ``House.DoesNotExist`` when the viewer may not see the house.
    """
    house = House.objects.visible_to(viewer).select_related("organization").get(pk=house.pk)
    return _judge_houses([house], on or house.organization.today())[house.pk]


def certification_overview(*, viewer: Membership, on: date | None = None) -> CertificationOverview:
    """Every active house the viewer may see against every rule of the map: the organization's overview grid.

    ``houses`` holds each house's full judgement; ``rules`` holds one row per rule, in the map's order, with one
    cell per house (in the order of ``houses``), so a page can lay rules down and houses across. Costs the same
    number of queries for one house or fifty."""
    houses = list(
        House.objects.visible_to(viewer)
        .filter(status=House.Status.ACTIVE)
        .select_related("organization")
        .order_by("name", "pk")
    )
    on = on or viewer.organization.today()
    judged = _judge_houses(houses, on)
    the_standard = standard()
    columns = tuple(judged[house.pk] for house in houses)
    rows = tuple(
        OverviewRow(
            rule=rule.id,
            domain=rule.domain,
            title=rule.title,
            cells=tuple(
                OverviewCell(house=column.house, house_name=column.house_name, status=column.rules[i].status)
                for column in columns
            ),
        )
        for i, rule in enumerate(the_standard.rules)
    )
    return CertificationOverview(on=on, map_version=the_standard.version, rules=rows, houses=columns)
