"""Reads of house rules shared by the API, pages and reports: scoped to the viewer and joined for constant queries."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import Membership
from houses.models import House
from residents.core.selectors.nights import on_night
from residents.models import HouseRule, HouseRuleVersion, Resident, RuleAcknowledgement, RuleSet, Stay


def rules_for(*, viewer: Membership) -> QuerySet[HouseRule]:
    """The rules a staff member may read (a manager: the defaults and their houses' own rules), with wording."""
    return (
        HouseRule.objects.visible_to(viewer)
        .select_related("house", "current_version")
        .annotate(category=F("current_version__category"), revised_at=F("current_version__created_at"))
    )


def rule_versions_ordered() -> QuerySet[HouseRuleVersion]:
    """Versions as a rule set lists them: by category, then in the order the rules were written."""
    return HouseRuleVersion.objects.select_related("rule").order_by("category", "rule_id")


def rule_sets_for(*, viewer: Membership) -> QuerySet[RuleSet]:
    """Published rule sets the viewer may read, each with its rule versions and whether the viewer signed it."""
    signed = RuleAcknowledgement.objects.filter(rule_set=OuterRef("pk"), resident__membership=viewer)
    return (
        RuleSet.objects.visible_to(viewer)
        .select_related("house", "published_by")
        .prefetch_related(Prefetch("rules", queryset=rule_versions_ordered()))
        .annotate(viewer_signed_at=Subquery(signed.values("signed_at")[:1]))
    )


def current_rule_set(*, viewer: Membership, house: House) -> RuleSet | None:
    """The current version of ``house``'s rule set if the viewer may read it (staff of the house, or a resident
    living there now), else None."""
    return rule_sets_for(viewer=viewer).filter(house=house, is_current=True).first()


def acknowledgements_for(*, viewer: Membership) -> QuerySet[RuleAcknowledgement]:
    """Signatures the viewer may read: staff, those in their houses; a resident, their own."""
    return RuleAcknowledgement.objects.visible_to(viewer).select_related("resident", "rule_set__house", "signed_by")


def unsigned_residents(*, viewer: Membership, house: House) -> QuerySet[Resident]:
    """Current residents of ``house`` (sleeping there tonight, by the nights selector) who have not signed its current
    rule set in this stay.

    Empty when the viewer is not staff of the house, or when the house has no published rules yet (nothing to
    sign). Each resident carries ``move_in`` (of the open stay) and the version and time of their latest signature
    in this stay (``last_signed_version``, ``last_signed_at``, None if they never signed).
    """
    if not viewer.is_staff_member or not House.objects.visible_to(viewer).filter(pk=house.pk).exists():
        return Resident.objects.none()
    tonight = viewer.organization.today()
    # One filter() call, so the night and the house apply to the same bed assignment.
    open_stay = Stay.objects.filter(
        on_night(tonight, path="bed_assignments__"), bed_assignments__bed__house_id=house.pk, resident=OuterRef("pk")
    )
    this_stay = Q(stay__resident=OuterRef("pk")) & (Q(stay__move_out__isnull=True) | Q(stay__move_out__gt=tonight))
    current = RuleSet.objects.filter(house=house, is_current=True)
    signed_current = RuleAcknowledgement.objects.filter(this_stay, rule_set__in=current)
    # Only this house's versions: a resident transferred in keeps one stay but signed another house's rules.
    latest = RuleAcknowledgement.objects.filter(this_stay, rule_set__house=house).order_by(
        "-rule_set__number", "-signed_at"
    )
    return (
        Resident.objects.filter(organization_id=viewer.organization_id)
        .filter(Exists(open_stay), Exists(current))
        .exclude(Exists(signed_current))
        .annotate(
            move_in=Subquery(open_stay.values("move_in")[:1]),
            last_signed_version=Subquery(latest.values("rule_set__number")[:1]),
            last_signed_at=Subquery(latest.values("signed_at")[:1]),
        )
        .order_by("legal_last_name", "legal_first_name", "pk")
    )
