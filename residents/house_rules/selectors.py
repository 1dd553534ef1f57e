"""Reads of house rules shared by the API, pages and reports: scoped to the viewer and joined for constant queries.

Who has not signed the current rules has one answer, ``unsigned_stays``: the house page and its API list, the
dashboard, the certification evidence and the monthly compliance report all ask it.
"""

from datetime import date, datetime

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When

from accounts.models import Membership
from houses.models import House
from residents.core.selectors.nights import stays_on_night
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


# The languages a rule set can be read and signed in besides English, and where each keeps its wording.
TRANSLATED = {"es": ("text_es", "consequence_es")}


def versions_without(language: str) -> Q:
    """Rule versions with no text or no consequence in ``language`` (none, for English)."""
    if language not in TRANSLATED:
        return Q(pk__in=[])
    text, consequence = TRANSLATED[language]
    return Q(**{text: ""}) | Q(**{consequence: ""})


def has_language(versions, language: str) -> bool:
    """Whether a rule set, given its (prefetched) rule versions, can be read in ``language``: every rule has its text
    and consequence in it. English always can; a language Hearth has no rule texts for never can."""
    if language == "en":
        return True
    if language not in TRANSLATED:
        return False
    fields = TRANSLATED[language]
    return all(getattr(version, field) for version in versions for field in fields)


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


def current_rule_set_of_stay(*, viewer: Membership, stay: Stay, night: date) -> RuleSet | None:
    """The current rule set of the house ``stay`` sleeps in on ``night`` (the nights selector, not ``Stay.house``,
    which a transfer dated ahead has already moved) if the viewer may read it, else None. One query."""
    there = stays_on_night(night=night).filter(pk=stay.pk).values("night_house_id")
    return rule_sets_for(viewer=viewer).filter(house_id__in=there, is_current=True).first()


def acknowledgements_for(*, viewer: Membership) -> QuerySet[RuleAcknowledgement]:
    """Signatures the viewer may read: staff, those in their houses; a resident, their own."""
    return RuleAcknowledgement.objects.visible_to(viewer).select_related("resident", "rule_set__house", "signed_by")


def unsigned_stays(*, night: date, houses=None, at: datetime | None = None) -> QuerySet[Stay]:
    """The one answer to "who has not signed the house's current rules": the stays sleeping in one of ``houses`` (a
    House, a House queryset or house ids; every house when None) on ``night``, by the nights selector, whose stay has
    not signed the current rule set of the house it sleeps in that night.

    Current means the house's current version now; with ``at`` (the end of a past month), the version published last
    before ``at``, and only signatures made before ``at`` count. A house with no rules published (by then) has
    nothing to sign. Each stay carries ``night_house_id`` (the house of that night, never ``Stay.house``, which a
    transfer dated ahead has already moved) and ``rule_set_id`` (the version it has to sign). Not scoped to a viewer:
    callers narrow ``houses`` to what their viewer may see.
    """
    if at is None:
        current = RuleSet.objects.filter(house_id=OuterRef("night_house_id"), is_current=True)
        signed = RuleAcknowledgement.objects.filter(stay_id=OuterRef("pk"), rule_set_id=OuterRef("rule_set_id"))
    else:
        current = RuleSet.objects.filter(house_id=OuterRef("night_house_id"), published_at__lt=at).order_by(
            "-published_at", "-pk"
        )
        signed = RuleAcknowledgement.objects.filter(
            stay_id=OuterRef("pk"), rule_set_id=OuterRef("rule_set_id"), signed_at__lt=at
        )
    return (
        stays_on_night(night=night, houses=houses)
        .annotate(rule_set_id=Subquery(current.values("pk")[:1]))
        .filter(rule_set_id__isnull=False)
        .exclude(Exists(signed))
    )


def unsigned_residents(*, viewer: Membership, house: House) -> QuerySet[Resident]:
    """Current residents of ``house`` (sleeping there tonight) who have not signed its current rule set in this stay
    (``unsigned_stays``), by name.

    Empty when the viewer is not staff of the house, or when the house has no published rules yet (nothing to
    sign). Each resident carries ``move_in`` (of the stay) and the version and time of their latest signature
    in this stay (``last_signed_version``, ``last_signed_at``, None if they never signed), and ``language_missing``:
    True when the resident reads a language (Spanish) that the rule set they have to sign has no text in.
    """
    if not viewer.is_staff_member or not House.objects.visible_to(viewer).filter(pk=house.pk).exists():
        return Resident.objects.none()
    stay = unsigned_stays(night=viewer.organization.today(), houses=house).filter(resident=OuterRef("pk"))
    # Only this house's versions: a resident transferred in keeps one stay but signed another house's rules.
    latest = RuleAcknowledgement.objects.filter(stay_id=OuterRef("unsigned_stay_id"), rule_set__house=house).order_by(
        "-rule_set__number", "-signed_at"
    )
    untranslated = [
        When(
            Q(preferred_language=language)
            & Exists(
                HouseRuleVersion.objects.filter(rule_sets=OuterRef("unsigned_rule_set_id")).filter(
                    versions_without(language)
                )
            ),
            then=Value(True),
        )
        for language in TRANSLATED
    ]
    return (
        Resident.objects.filter(organization_id=viewer.organization_id)
        .annotate(unsigned_stay_id=Subquery(stay.values("pk")[:1]))
        .filter(unsigned_stay_id__isnull=False)
        .annotate(
            move_in=Subquery(stay.values("move_in")[:1]),
            unsigned_rule_set_id=Subquery(stay.values("rule_set_id")[:1]),
            last_signed_version=Subquery(latest.values("rule_set__number")[:1]),
            last_signed_at=Subquery(latest.values("signed_at")[:1]),
        )
        .annotate(language_missing=Case(*untranslated, default=Value(False), output_field=BooleanField()))
        .order_by("legal_last_name", "legal_first_name", "pk")
    )
