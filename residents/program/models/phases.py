"""Program phases: the steps of a house's program and what each asks of a resident, and each stay's phase history."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from residents.core.models.stays import Stay

# A curfew earlier than noon is after midnight: a 00:30 curfew on Friday night is Saturday 00:30.
AFTER_MIDNIGHT_BEFORE = time(12, 0)
# A night's curfew lasts until this time the next morning; leaving after it (for work, say) is not a violation.
CURFEW_ENDS = time(6, 0)
# Friday and Saturday nights are the weekend (date.weekday(): Monday is 0).
WEEKEND_NIGHTS = frozenset({4, 5})


class PhaseQuerySet(TenantQuerySet):
    house_path = None

    def visible_to(self, viewer):
        # Phases are the organization's published program: every member may read them.
        return self.filter(organization_id=viewer.organization_id)


class Phase(models.Model):
    """One step of an organization's program, in ``order`` (1 is where everyone starts), with its requirements."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="phases")
    order = models.PositiveSmallIntegerField(help_text=_("1 is the first phase; promotion moves to the next order up"))
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    meetings_per_week = models.PositiveSmallIntegerField(default=0, help_text=_("Outside recovery meetings a week"))
    drug_tests_per_month = models.PositiveSmallIntegerField(default=0, help_text=_("Minimum drug tests a month"))
    weeknight_curfew = models.TimeField(
        null=True, blank=True, help_text=_("Sunday to Thursday nights, local time; before 12:00 means after midnight")
    )
    weekend_curfew = models.TimeField(
        null=True, blank=True, help_text=_("Friday and Saturday nights, local time; before 12:00 means after midnight")
    )
    passes_per_month = models.PositiveSmallIntegerField(default=0, help_text=_("Overnight passes allowed a month"))
    min_days_before_promotion = models.PositiveSmallIntegerField(
        default=0, help_text=_("Days a resident spends in this phase before promotion to the next")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "order"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "order"], name="phase_order_unique_in_organization"),
            models.UniqueConstraint(fields=["organization", "name"], name="phase_name_unique_in_organization"),
            models.CheckConstraint(condition=Q(order__gte=1), name="phase_order_starts_at_one"),
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"

    def clean(self):
        errors = {}
        for field in ("weeknight_curfew", "weekend_curfew"):
            value = getattr(self, field)
            if value is not None and CURFEW_ENDS <= value < AFTER_MIDNIGHT_BEFORE:
                errors[field] = (
                    f"A curfew is in the evening or after midnight before {CURFEW_ENDS:%H:%M}, "
                    f"not between {CURFEW_ENDS:%H:%M} and {AFTER_MIDNIGHT_BEFORE:%H:%M}."
                )
        if errors:
            raise ValidationError(errors)

    def curfew_time(self, night: date) -> time | None:
        """The curfew of night ``night`` (the evening of that date): weekend on Friday and Saturday nights."""
        return self.weekend_curfew if night.weekday() in WEEKEND_NIGHTS else self.weeknight_curfew

    def curfew_deadline(self, night: date, tz: ZoneInfo) -> datetime | None:
        """The aware moment a resident must be in on night ``night``, or None when this phase sets no curfew.

        A curfew before noon falls on the next calendar day (00:30 on Friday night is Saturday 00:30)."""
        curfew = self.curfew_time(night)
        if curfew is None:
            return None
        day = night + timedelta(days=1) if curfew < AFTER_MIDNIGHT_BEFORE else night
        return datetime.combine(day, curfew, tzinfo=tz)


def curfew_ends(night: date, tz: ZoneInfo) -> datetime:
    """When night ``night``'s curfew is over: the next morning at ``CURFEW_ENDS``."""
    return datetime.combine(night + timedelta(days=1), CURFEW_ENDS, tzinfo=tz)


class PhaseChangeQuerySet(TenantQuerySet):
    house_path = "stay__house"

    def for_resident(self, qs, viewer):
        return qs.filter(stay__resident__membership=viewer)


class PhaseChange(models.Model):
    """A stay entering a phase on ``effective_on``. The history is append-only; the latest change is in force."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial")
        PROMOTION = "promotion", _("Promotion")
        DEMOTION = "demotion", _("Demotion")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="phase_changes")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhaseChangeQuerySet.as_manager()

    class Meta:
        ordering = ["effective_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["stay"], condition=Q(kind="initial"), name="one_initial_phase_per_stay"),
        ]
        indexes = [models.Index(fields=["stay", "effective_on"])]

    def __str__(self):
        return f"{self.stay.resident}: {self.phase} from {self.effective_on} ({self.get_kind_display().lower()})"
