import zoneinfo
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. E-mail is the login; what they may do depends on their memberships."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    preferred_language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default="en", help_text="The language Hearth speaks to this person"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (for example America/Chicago).") % {"value": value}
        )


class Organization(models.Model):
    """An operator: owns houses, employs staff, houses residents. The tenant every row belongs to."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    timezone = models.CharField(max_length=64, default="America/New_York", validators=[validate_timezone])
    currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code such as USD.")],
    )
    require_staff_two_factor = models.BooleanField(
        default=False, help_text="Operators and managers must sign in with a one-time code from an authenticator app"
    )
    sensitive_records_kept_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Years after a resident's discharge before their drug tests, incidents and notes may be archived; "
        "empty keeps them in view",
    )
    opening_notice_days = models.PositiveSmallIntegerField(
        default=7,
        help_text="A planned move-out this many days ahead opens the bed to the waitlist and referral partners",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> date:
        """Today's date where the houses are: due dates and bed-nights follow the operator's clock, not UTC."""
        return timezone.localdate(timezone=self.tzinfo)


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    MANAGER = "manager", _("House manager")
    RESIDENT = "resident", _("Resident")
    # A case manager at a referral partner: sees the vacancies shared with the partner and its referrals, nothing else.
    REFERRER = "referrer", _("Referral partner")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True, accepted_at__isnull=False)

    def visible_to(self, viewer):
        """Operators see every membership of their organization; others see only their own."""
        qs = self.filter(organization_id=viewer.organization_id)
        if viewer.is_operator:
            return qs
        return qs.filter(pk=viewer.pk)


class Membership(models.Model):
    """A user's place in one organization. A manager's houses are the houses that list this membership as staff."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(
        null=True,
        blank=True,
        default=timezone.now,
        help_text="When the person accepted the invitation; empty while it is pending",
    )
    invited_name = models.CharField(
        max_length=150, blank=True, help_text="The name the inviter gave, shown until the invitation is accepted"
    )
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    invited_language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text="The language chosen by the inviter: the invitation e-mail and, once accepted, Hearth",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_user_and_organization"),
            # An invitation grants nothing until accepted, whatever edits the row (the admin included).
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=False) | models.Q(is_active=False),
                name="pending_invitation_is_inactive",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

    @property
    def is_pending(self) -> bool:
        """Invited but not yet accepted: grants nothing until the invitee accepts."""
        return self.accepted_at is None

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT

    @property
    def is_staff_member(self) -> bool:
        return self.role in (Role.OPERATOR, Role.MANAGER)

    @cached_property
    def house_ids(self) -> frozenset[int]:
        """Houses a manager runs (every house of the organization for an operator is not listed here)."""
        return frozenset(self.houses.values_list("pk", flat=True))


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")

    def visible_to(self, viewer):
        if not viewer.is_operator:
            return self.none()
        return self.filter(organization_id=viewer.organization_id)


class AuditEntry(models.Model):
    """One read or change of sensitive data by staff: who, which organization, what, when and from where."""

    class Action(models.TextChoices):
        LIST = "list", "Listed"
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DOWNLOAD = "download", "Downloaded"
        IMPORT = "import", "Imported"
        EXPORT = "export", "Exported"
        ARCHIVE = "archive", "Archived"
        RESTORE = "restore", "Restored from the archive"
        ERASE = "erase", "Erased at the applicant's request"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64, help_text="app_label.model")
    object_id = models.CharField(max_length=64, blank=True, help_text="Empty for a list read")
    object_count = models.PositiveIntegerField(default=1, help_text="Rows read, for a list")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.TextField(blank=True, help_text="Ids read by a list, fields changed by an update")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["organization", "object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


class ApiToken(AbstractAuthToken):
    """One device's API token. Only a hash is stored; the key is shown once, when the token is created."""

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=128, unique=True)
    name = models.CharField(max_length=100, blank=True, help_text="The device or script, as its owner named it")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name or 'Token'} · {self.user}"


class DeferredTask(models.Model):
    """A background task that could not be handed to the broker (Redis down): kept here and sent again later, so a
    page that queues work keeps working and the work is not lost."""

    name = models.CharField(max_length=200, help_text="The Celery task's registered name")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_tried_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.name} (queued {self.created_at:%Y-%m-%d %H:%M})"
