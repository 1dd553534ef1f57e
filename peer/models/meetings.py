"""A peer-run house's business meetings: who came, the minutes in the usual agenda, the motions and the votes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organization
from houses.models import Bed, House
from peer.models.scope import MemberScopedQuerySet
from residents.models import Application, HouseMeeting, Resident, Stay


class BusinessMeetingQuerySet(MemberScopedQuerySet):
    pass


class BusinessMeeting(models.Model):
    """A weekly business meeting (run by the president) or an emergency meeting (called by any officer).

    Its minutes follow the agenda and stay editable by the secretary until the next meeting approves them; from
    then on they are locked. Closing a meeting records it as the house's meeting (``HouseMeeting``) too, so the
    house's meeting evidence counts it like any other."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly business meeting")
        EMERGENCY = "emergency", _("Emergency meeting")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="business_meetings")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WEEKLY)
    held_at = models.DateTimeField()
    called_by = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True, help_text=_("Why an emergency meeting was called"))
    present = models.ManyToManyField(Resident, blank=True, related_name="business_meetings_attended")
    minutes_reading = models.TextField(_("reading of the last minutes"), blank=True)
    officer_reports = models.TextField(blank=True)
    old_business = models.TextField(blank=True)
    new_business = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    house_meeting = models.OneToOneField(
        HouseMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="business_meeting"
    )
    minutes_approved_at = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="approved_minutes"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BusinessMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["house", "held_at"], name="one_business_meeting_at_a_time"),
            models.CheckConstraint(
                condition=Q(kind="weekly") | ~Q(reason=""),
                name="emergency_meeting_says_why",
                violation_error_message="Say why the emergency meeting was called.",
            ),
            # The minutes are approved at a later meeting, never at their own.
            models.CheckConstraint(
                condition=Q(minutes_approved_at__isnull=True) | ~Q(minutes_approved_at=F("pk")),
                name="minutes_approved_at_another_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.house.name}, {self.get_kind_display().lower()} {self.held_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_approved_at_id is not None


class MotionQuerySet(MemberScopedQuerySet):
    house_path = "meeting__house"
    organization_path = "meeting__organization"


class Motion(models.Model):
    """A motion put to a meeting: who moved and seconded it, the threshold it needs, and (once decided) the count.

    An admission motion names the applicant (and the bed and night they would move in); a dismissal motion names the
    member's stay and the reason. Carrying either does what it says, in the same transaction as the count."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General business")
        ADMISSION = "admission", _("Admission of an applicant")
        DISMISSAL = "dismissal", _("Dismissal of a member")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Being voted on")
        CARRIED = "carried", pgettext_lazy("motion", "Carried")
        FAILED = "failed", pgettext_lazy("motion", "Failed")

    meeting = models.ForeignKey(BusinessMeeting, on_delete=models.PROTECT, related_name="motions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    text = models.CharField(max_length=500)
    moved_by = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    seconded_by = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    threshold_percent = models.PositiveSmallIntegerField(
        help_text=_("Share of the members present who must vote for it (50: more than half)")
    )
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    bed = models.ForeignKey(Bed, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    move_in = models.DateField(null=True, blank=True)
    stay = models.ForeignKey(Stay, null=True, blank=True, on_delete=models.PROTECT, related_name="dismissal_motions")
    dismissal_reason = models.CharField(max_length=16, choices=Stay.DischargeReason.choices, blank=True)
    move_out = models.DateField(null=True, blank=True, help_text=_("First night away, for a dismissal"))
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.OPEN)
    present_count = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    admitted_stay = models.OneToOneField(Stay, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MotionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(moved_by=F("seconded_by")), name="motion_seconded_by_another"),
            models.CheckConstraint(
                condition=~Q(kind="admission") | Q(application__isnull=False, bed__isnull=False, move_in__isnull=False),
                name="admission_motion_names_applicant_bed_and_night",
            ),
            models.CheckConstraint(
                condition=~Q(kind="dismissal")
                | (Q(stay__isnull=False, move_out__isnull=False) & ~Q(dismissal_reason="")),
                name="dismissal_motion_names_stay_reason_and_night",
            ),
            models.CheckConstraint(
                condition=Q(outcome="open", decided_at__isnull=True)
                | (~Q(outcome="open") & Q(decided_at__isnull=False, present_count__isnull=False)),
                name="decided_motion_keeps_its_count",
            ),
        ]

    def __str__(self):
        return self.text


class BallotQuerySet(MemberScopedQuerySet):
    house_path = "motion__meeting__house"
    organization_path = "motion__meeting__organization"


class Ballot(models.Model):
    """One member's vote on a motion. A member may change it until the motion is decided."""

    class Choice(models.TextChoices):
        FOR = "for", pgettext_lazy("vote", "For")
        AGAINST = "against", pgettext_lazy("vote", "Against")
        ABSTAIN = "abstain", pgettext_lazy("vote", "Abstain")

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="ballots")
    member = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    objects = BallotQuerySet.as_manager()

    class Meta:
        ordering = ["motion", "pk"]
        constraints = [models.UniqueConstraint(fields=["motion", "member"], name="one_ballot_per_member_and_motion")]

    def __str__(self):
        return f"{self.member} {self.choice} on {self.motion}"
