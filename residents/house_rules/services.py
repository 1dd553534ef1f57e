"""House rules: writing and revising rules, publishing each house's rule set, and residents signing it.

Every change to the rules publishes at once: a new immutable ``HouseRuleVersion`` for each rule written, then a new
``RuleSet`` for every house whose rules in force changed (all houses, for an organization-wide default). Residents
then sign the new version of their house's rule set. Publications within an organization are serialized by locking
the organization row, so two editors never both publish "version 4" of a house's rules.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.closing import refuse_closed_day
from accounts.exceptions import Conflict, DomainError, Invalid, NotAllowed
from accounts.models import Membership, Organization, User
from houses.models import House
from residents.core.selectors.nights import occupants
from residents.house_rules.selectors import TRANSLATED, versions_without
from residents.models import HouseRule, HouseRuleVersion, Resident, RuleAcknowledgement, RuleCategory, RuleSet, Stay


@dataclass(frozen=True)
class RuleChange:
    """One change in a publication: a new rule (``rule`` is None), a revision, or a retirement (``retire``).

    For a new rule, ``house`` None makes it an organization-wide default and ``overrides`` names the default a
    house's rule replaces. For a revision, fields left None keep their current value. ``text_es`` and
    ``consequence_es`` are the Spanish beside the English: both or neither (blank removes the Spanish).
    """

    rule: HouseRule | None = None
    house: House | None = None
    overrides: HouseRule | None = None
    category: str | None = None
    text: str | None = None
    consequence: str | None = None
    text_es: str | None = None
    consequence_es: str | None = None
    retire: bool = False


def _may_change(actor: Membership, house: House | None) -> bool:
    if actor.is_operator:
        return True
    return actor.is_manager and house is not None and house.pk in actor.house_ids


def _check_permission(actor: Membership, house: House | None, *, field: str) -> None:
    if _may_change(actor, house):
        return
    if house is None:
        raise NotAllowed(_("Only an operator can change organization-wide rules."), field=field)
    raise NotAllowed(_("You can change the rules of your own houses only."), field=field)


def _clean_wording(value: str | None, *, field: str, required: bool) -> str | None:
    if value is None:
        if required:
            raise Invalid(_("This field is required."), field=field)
        return None
    value = value.strip()
    if not value:
        raise Invalid(_("This field may not be blank."), field=field)
    return value


def _clean_spanish(text_es: str | None, consequence_es: str | None, *, current=None) -> tuple[str, str]:
    """The Spanish rule text and consequence: both, or neither. None keeps the ``current`` version's (a revision)
    or leaves it out (a new rule); blank removes it."""
    text_es = (current.text_es if current else "") if text_es is None else text_es.strip()
    consequence_es = (current.consequence_es if current else "") if consequence_es is None else consequence_es.strip()
    if text_es and not consequence_es:
        raise Invalid(
            _("Give the Spanish consequence too, or leave both Spanish fields empty."), field="consequence_es"
        )
    if consequence_es and not text_es:
        raise Invalid(_("Give the Spanish rule too, or leave both Spanish fields empty."), field="text_es")
    return text_es, consequence_es


def _check_category(category: str | None, *, required: bool) -> None:
    if category is None and not required:
        return
    if category not in RuleCategory.values:
        raise Invalid(_("Choose one of: %(choices)s.") % {"choices": ", ".join(RuleCategory.values)}, field="category")


def _add_rule(*, actor: Membership, organization: Organization, change: RuleChange, now) -> HouseRule:
    if change.retire:
        raise Invalid(_("Name the rule to retire."), field="rule")
    house, overrides = change.house, change.overrides
    if house is not None and house.organization_id != organization.pk:
        raise Invalid(_("This house belongs to another organization."), field="house")
    _check_permission(actor, house, field="house")
    if overrides is not None:
        if house is None:
            raise Invalid(_("Only a house's own rule can override an organization-wide default."), field="overrides")
        if overrides.organization_id != organization.pk or not overrides.is_organization_wide:
            raise Invalid(_("Choose an organization-wide default rule to override."), field="overrides")
        if not overrides.is_active:
            raise Invalid(_("That default rule has been retired."), field="overrides")
        if HouseRule.objects.active().filter(house=house, overrides=overrides).exists():
            raise Conflict(
                _("%(house)s already has its own version of that rule; revise it.") % {"house": house.name},
                field="overrides",
            )
    _check_category(change.category, required=True)
    text = _clean_wording(change.text, field="text", required=True)
    consequence = _clean_wording(change.consequence, field="consequence", required=True)
    text_es, consequence_es = _clean_spanish(change.text_es, change.consequence_es)
    rule = HouseRule.objects.create(
        organization=organization, house=house, overrides=overrides, created_at=now, created_by=actor.user
    )
    version = HouseRuleVersion.objects.create(
        rule=rule,
        number=1,
        category=change.category,
        text=text,
        consequence=consequence,
        text_es=text_es,
        consequence_es=consequence_es,
        created_at=now,
        created_by=actor.user,
    )
    rule.current_version = version
    rule.save(update_fields=["current_version"])
    return rule


def _revise_rule(*, actor: Membership, organization: Organization, change: RuleChange, now) -> HouseRule:
    rule = HouseRule.objects.select_related("house", "current_version").get(pk=change.rule.pk)
    if rule.organization_id != organization.pk:
        raise Invalid(_("This rule belongs to another organization."), field="rule")
    _check_permission(actor, rule.house, field="rule")
    if not rule.is_active:
        raise Conflict(_("This rule has been retired; it can no longer change."), field="rule")
    if change.retire:
        rule.retired_at, rule.retired_by = now, actor.user
        rule.save(update_fields=["retired_at", "retired_by"])
        return rule
    current = rule.current_version
    _check_category(change.category, required=False)
    category = change.category or current.category
    text = _clean_wording(change.text, field="text", required=False) or current.text
    consequence = _clean_wording(change.consequence, field="consequence", required=False) or current.consequence
    text_es, consequence_es = _clean_spanish(change.text_es, change.consequence_es, current=current)
    wording = (category, text, consequence, text_es, consequence_es)
    if wording == (current.category, current.text, current.consequence, current.text_es, current.consequence_es):
        raise Invalid(_("Nothing changed: give a new category, text or consequence."), field="text")
    version = HouseRuleVersion.objects.create(
        rule=rule,
        number=current.number + 1,
        category=category,
        text=text,
        consequence=consequence,
        text_es=text_es,
        consequence_es=consequence_es,
        created_at=now,
        created_by=actor.user,
    )
    rule.current_version = version
    rule.save(update_fields=["current_version"])
    return rule


def rules_in_force(*, house: House) -> list[int]:
    """Ids of the rule versions in force in ``house`` now: its own active rules, plus every active
    organization-wide default that no active rule of the house overrides."""
    active = list(
        HouseRule.objects.active()
        .filter(organization_id=house.organization_id)
        .filter(house__isnull=True)
        .values_list("pk", "current_version_id")
    )
    own = list(HouseRule.objects.active().filter(house=house).values_list("overrides_id", "current_version_id"))
    overridden = {overrides for overrides, _version in own if overrides}
    ids = [version for pk, version in active if pk not in overridden] + [version for _o, version in own]
    return sorted(ids)


def _publish_house(*, published_by: User | None, house: House, note: str, now) -> RuleSet | None:
    """Publishes a new version of the house's rule set when the rules in force differ from its current one."""
    in_force = rules_in_force(house=house)
    current = RuleSet.objects.filter(house=house, is_current=True).first()
    if current is None and not in_force:
        return None
    if current is not None:
        if sorted(current.rules.values_list("pk", flat=True)) == in_force:
            return None
        current.is_current = False
        current.save(update_fields=["is_current"])
    rule_set = RuleSet.objects.create(
        organization_id=house.organization_id,
        house=house,
        number=(current.number + 1) if current else 1,
        is_current=True,
        published_at=now,
        published_by=published_by,
        note=note,
    )
    rule_set.rules.set(in_force)
    return rule_set


@transaction.atomic
def rules_publish(
    *,
    actor: Membership,
    changes: Sequence[RuleChange] = (),
    houses: Iterable[House] = (),
    note: str = "",
    at: datetime | None = None,
) -> tuple[list[HouseRule], list[RuleSet]]:
    """Applies ``changes`` (new rules, revisions, retirements) as one publication and publishes the new rule set of
    every house whose rules in force changed: every house of the organization when a default changed, otherwise
    the houses of the changed rules, plus any ``houses`` named (so a new house gets its first rule set without a
    change). Returns the rules written and the rule sets published.

    A house whose rules in force did not change (say, it overrides the default that was revised) keeps its current
    rule set, so its residents need not sign again. Operators change anything; managers change only their own
    houses' rules (403 otherwise). An error in the third change names its field as ``changes[2].<field>``.
    ``at`` dates a publication recorded after the fact (rules adopted on paper, demo history), never into a closed
    month; the API never sets it.
    """
    return _publish(actor=actor, changes=changes, houses=houses, note=note, label_changes=True, at=at)


def _publish(*, actor, changes, houses, note, label_changes, at=None):
    organization = Organization.objects.select_for_update().get(pk=actor.organization_id)
    houses = list(houses)
    for house in houses:
        if house.organization_id != organization.pk:
            raise Invalid(_("This house belongs to another organization."), field="houses")
        _check_permission(actor, house, field="houses")
    if not changes and not houses:
        raise Invalid(_("Name at least one change or one house to publish."), field="changes")
    if at is not None:  # a month's figures count who had not signed the rule set current at its end
        refuse_closed_day(
            organization_id=organization.pk, on=timezone.localdate(at, timezone=organization.tzinfo), field="at",
            what=_("a publication of the rules"),
        )  # fmt: skip
    now = at or timezone.now()
    written = []
    for index, change in enumerate(changes):
        apply = _add_rule if change.rule is None else _revise_rule
        try:
            written.append(apply(actor=actor, organization=organization, change=change, now=now))
        except DomainError as error:
            if label_changes:
                error.field = f"changes[{index}].{error.field}" if error.field else f"changes[{index}]"
            raise
    if any(rule.is_organization_wide for rule in written):
        affected = list(House.objects.filter(organization=organization).order_by("pk"))
    else:
        wanted = {rule.house_id for rule in written} | {house.pk for house in houses}
        affected = list(House.objects.filter(pk__in=wanted).order_by("pk"))
    published = []
    for house in affected:
        rule_set = _publish_house(published_by=actor.user, house=house, note=note.strip(), now=now)
        if rule_set is not None:
            published.append(rule_set)
    return written, published


@transaction.atomic
def rule_add(*, actor: Membership, house: House | None, category: str, text: str, consequence: str,
             overrides: HouseRule | None = None, note: str = "", text_es: str | None = None,
             consequence_es: str | None = None) -> HouseRule:  # fmt: skip
    """Adds one rule and publishes the rule sets it changes (see ``rules_publish``); the Spanish is optional."""
    change = RuleChange(
        house=house, overrides=overrides, category=category, text=text, consequence=consequence, text_es=text_es,
        consequence_es=consequence_es,
    )  # fmt: skip
    written, _published = _publish(actor=actor, changes=[change], houses=(), note=note, label_changes=False)
    return written[0]


@transaction.atomic
def rule_revise(*, actor: Membership, rule: HouseRule, category: str | None = None, text: str | None = None,
                consequence: str | None = None, note: str = "", text_es: str | None = None,
                consequence_es: str | None = None) -> HouseRule:  # fmt: skip
    """Publishes a new version of a rule (the old version stays on record, unchanged). Giving, changing or removing
    the Spanish text is a new version like any other change of wording."""
    change = RuleChange(
        rule=rule, category=category, text=text, consequence=consequence, text_es=text_es,
        consequence_es=consequence_es,
    )  # fmt: skip
    written, _published = _publish(actor=actor, changes=[change], houses=(), note=note, label_changes=False)
    return written[0]


@transaction.atomic
def rule_retire(*, actor: Membership, rule: HouseRule, note: str = "") -> HouseRule:
    """Withdraws a rule from the houses it applies to; it stays on record and in the rule sets that held it."""
    change = RuleChange(rule=rule, retire=True)
    written, _published = _publish(actor=actor, changes=[change], houses=(), note=note, label_changes=False)
    return written[0]


def normalize_name(value: str) -> str:
    """Compatibility-normalized, case-folded, with runs of whitespace collapsed: how a signature is compared."""
    return " ".join(unicodedata.normalize("NFKC", value).split()).casefold()


def rule_set_has_language(rule_set: RuleSet, language: str) -> bool:
    """Whether every rule of ``rule_set`` has its text and consequence in ``language`` (English always does)."""
    if language == "en":
        return True
    if language not in TRANSLATED:
        return False
    return not rule_set.rules.filter(versions_without(language)).exists()


@transaction.atomic
def rule_set_acknowledge(
    *,
    resident: Resident,
    rule_set: RuleSet,
    signature: str,
    ip_address: str | None,
    actor: Membership | None = None,
    language: str = "en",
) -> tuple[RuleAcknowledgement, bool]:
    """Records a resident's signature on their house's current rule set.

    A resident signs for themselves: an ``actor`` other than the resident's own membership is refused
    (``NotAllowed``). ``actor`` None records a signature given on paper (demo history, tests).

    The rule set must be the current version for the house the resident lives in now (an older version is
    refused with 409), and the signature must be the resident's full legal name, ignoring case and spacing.
    Signing the same version again in the same stay changes nothing and returns the first signature
    (``created`` is False).

    ``language`` is the language of the text the resident read and signs ("en" or "es"); it is recorded with the
    signature. Spanish is refused when a rule of the set has no Spanish text: nobody signs a text that does not exist.
    """
    if actor is not None and actor.pk != resident.membership_id:
        raise NotAllowed(_("Residents sign their own house rules."), field="rule_set")
    if language not in dict(settings.LANGUAGES):
        raise Invalid(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(dict(settings.LANGUAGES))}, field="language"
        )
    # Locking the rule set serializes a signature against the publication that would make it stale, and two
    # submissions of the same signature against each other.
    rule_set = RuleSet.objects.select_for_update().select_related("house").get(pk=rule_set.pk)
    stay = Stay.objects.filter(resident=resident, move_out__isnull=True).first()
    # Also the house slept in tonight (nights): a transfer dated ahead has already moved ``stay.house``.
    tonight = occupants(night=rule_set.house.organization.today(), houses=rule_set.house).filter(stay=stay)
    if stay is None or (stay.house_id != rule_set.house_id and not tonight.exists()):
        raise Invalid(_("These are not the rules of the house you live in now."), field="rule_set")
    if not rule_set.is_current:
        current = RuleSet.objects.filter(house_id=rule_set.house_id, is_current=True).first()
        raise Conflict(
            _(
                "Version %(number)s of the %(house)s rules has been replaced by version %(current)s. Read the current "
                "rules and sign those."
            )
            % {"number": rule_set.number, "house": rule_set.house.name, "current": current.number},
            field="rule_set",
        )
    if not rule_set_has_language(rule_set, language):
        raise Invalid(
            _(
                "The Spanish text of these rules is not ready yet, so it cannot be signed. Sign the English text, or "
                "wait for the Spanish; staff have been asked for it."
            ),
            field="language",
        )
    typed = (signature or "").strip()
    if not typed:
        raise Invalid(_("Type your full legal name to sign."), field="signature")
    if normalize_name(typed) != normalize_name(resident.legal_name):
        raise Invalid(
            _("The signature must be your full legal name (first and last) as the house has it on file."),
            field="signature",
        )
    existing = RuleAcknowledgement.objects.filter(stay=stay, rule_set=rule_set).first()
    if existing is not None:
        return existing, False
    acknowledgement = RuleAcknowledgement.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        stay=stay,
        rule_set=rule_set,
        signature=typed,
        language=language,
        signed_by=actor.user if actor is not None else None,
        ip_address=ip_address,
    )
    return acknowledgement, True
