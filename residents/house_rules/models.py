"""House rules, their versions, the rule sets published per house, and residents' signed acknowledgements.

A rule with no house is an organization-wide default: it applies to every house of the organization unless the
house has an active rule that ``overrides`` it. A rule's wording is never edited in place: each edit adds a
``HouseRuleVersion``. What a resident signs is a ``RuleSet``: the exact rule versions in force in one house when
it was published, numbered 1, 2, 3 ... per house. The house's current rule set is the one marked ``is_current``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.core.models.profiles import Resident
from residents.core.models.stays import Stay


class RuleCategory(models.TextChoices):
    SUBSTANCES = "substances", _("Substances")
    CURFEW = "curfew", _("Curfew")
    GUESTS = "guests", _("Guests")
    CHORES = "chores", _("Chores")
    MEETINGS = "meetings", _("Meetings")
    CONDUCT = "conduct", _("Conduct")
    FEES = "fees", _("Fees")
    OTHER = "other", _("Other")


class HouseRuleQuerySet(TenantQuerySet):
    def visible_to(self, viewer):
        qs = self.filter(organization_id=viewer.organization_id)
        if viewer.is_operator:
            return qs
        if viewer.is_manager:
            # A manager reads the organization's defaults (they apply in their houses) and their houses' own rules.
            return qs.filter(Q(house__isnull=True) | Q(house__in=House.objects.filter(staff=viewer)))
        return qs.none()  # residents read rules through their house's published rule set

    def active(self):
        return self.filter(retired_at__isnull=True)


class HouseRule(models.Model):
    """The identity of one rule across its versions. Its wording lives in ``versions``; ``current_version`` is
    the latest. A retired rule stays on record (and in the rule sets that included it) but applies no more."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="house_rules")
    house = models.ForeignKey(
        House,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="house_rules",
        help_text=_("Empty for an organization-wide default"),
    )
    overrides = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="overridden_by",
        help_text=_("The organization-wide default this house's rule replaces in this house"),
    )
    current_version = models.ForeignKey(
        "HouseRuleVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = HouseRuleQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overrides__isnull=True) | Q(house__isnull=False),
                name="only_a_house_rule_overrides_a_default",
                violation_error_message=_("Only a house's own rule can override an organization-wide default."),
            ),
            models.UniqueConstraint(
                fields=["house", "overrides"],
                condition=Q(retired_at__isnull=True, overrides__isnull=False),
                name="one_active_override_per_default_and_house",
            ),
        ]

    def __str__(self):
        version = self.current_version
        text = version.text if version else "(no text)"
        return f"{self.house or 'All houses'}: {text[:60]}"

    @property
    def is_organization_wide(self) -> bool:
        return self.house_id is None

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class HouseRuleVersionQuerySet(TenantQuerySet):
    organization_path = "rule__organization"
    house_path = None

    def update(self, **kwargs):
        raise PermissionError("A published rule version is never changed; publish a new version instead.")


class HouseRuleVersion(models.Model):
    """One wording of a rule, numbered 1, 2, 3 ... per rule. Written once, never changed."""

    rule = models.ForeignKey(HouseRule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    category = models.CharField(max_length=16, choices=RuleCategory.choices)
    text = models.TextField()
    consequence = models.TextField()
    # The Spanish text beside the English one; a resident who reads Spanish signs it when every rule has it.
    text_es = models.TextField(blank=True)
    consequence_es = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = HouseRuleVersionQuerySet.as_manager()

    class Meta:
        ordering = ["rule_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="rule_version_number_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="rule_version_has_text"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} rule #{self.rule_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A published rule version is never changed; publish a new version instead.")
        super().save(*args, **kwargs)


class RuleSetQuerySet(TenantQuerySet):
    def for_resident(self, qs, viewer):
        # The rule sets of the house the resident lives in now: that house's public facts.
        from residents.core.selectors.nights import homes_of  # the selectors import these models

        return qs.filter(house_id__in=homes_of(viewer))

    def current(self):
        return self.filter(is_current=True)


class RuleSet(models.Model):
    """The rules in force in one house as published at one moment: the version residents sign."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="rule_sets")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="rule_sets")
    number = models.PositiveIntegerField(help_text=_("Version of this house's rule set: 1, 2, 3 ..."))
    is_current = models.BooleanField(default=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True, help_text=_("What changed, in a line"))
    rules = models.ManyToManyField(HouseRuleVersion, related_name="rule_sets", blank=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["house__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["house", "number"], name="rule_set_number_unique_in_house"),
            models.UniqueConstraint(
                fields=["house"], condition=Q(is_current=True), name="one_current_rule_set_per_house"
            ),
        ]

    def __str__(self):
        return f"{self.house.name} rules v{self.number}"


class RuleAcknowledgementQuerySet(TenantQuerySet):
    house_path = "rule_set__house"

    def for_resident(self, qs, viewer):
        return qs.filter(resident__membership=viewer)


class RuleAcknowledgement(models.Model):
    """A resident's signature on one version of their house's rule set, during one stay.

    The signature is the resident's full legal name as they typed it; time and address are recorded with it.
    A resident who leaves and returns signs again in the new stay.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="rule_acknowledgements")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="rule_acknowledgements")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="rule_acknowledgements")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="acknowledgements")
    signature = models.CharField(max_length=200, help_text=_("The full legal name, as typed"))
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default="en", help_text=_("The language of the text that was signed")
    )
    signed_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The login that signed"),
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = RuleAcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["stay", "rule_set"], name="one_acknowledgement_per_stay_and_rule_set"),
        ]
        indexes = [models.Index(fields=["rule_set", "resident"])]

    def __str__(self):
        return f"{self.resident} signed {self.rule_set} on {self.signed_at:%Y-%m-%d}"
