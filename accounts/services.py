from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import audit, tasks
from .exceptions import Conflict, Invalid, NotAllowed
from .models import AuditEntry, Membership, Organization, Role, User
from .queue import enqueue_on_commit


def _require_operator(actor: Membership, what: str) -> None:
    if not actor.is_operator:
        raise NotAllowed(_("Only an operator may %(action)s.") % {"action": what})


@transaction.atomic
def membership_invite(
    *, actor: Membership, email: str, full_name: str, role: str, base_url: str, language: str = ""
) -> Membership:
    """Invites a person into the actor's organization: a pending membership that grants nothing until they accept
    through the signed link e-mailed to them. A new address gets a login without a password (they choose one on
    accepting); an existing account is left untouched and its name is never shown to the inviter, who sees the name
    they typed. Someone already in the organization (or already invited) is not invited twice (409).

    Operators invite anyone; a manager invites only residents (to the portal). ``language`` (optional, one of
    settings.LANGUAGES) is the invitation e-mail's language and, for a new login, Hearth's once they accept."""
    if language and language not in dict(settings.LANGUAGES):
        raise Invalid(_("Choose one of the languages Hearth speaks."), field="language")
    if role != Role.RESIDENT:
        _require_operator(actor, _("invite staff"))
    elif not actor.is_staff_member:
        raise NotAllowed(_("Only staff may invite a resident to the portal."))
    organization = actor.organization
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and Membership.objects.filter(user=user, organization=organization).exists():
        raise Conflict(_("This person is already a member of the organization."), field="email")
    try:
        # Two invitations of one address at the same moment: the database's unique constraints decide, and the
        # loser hears why instead of seeing an error page.
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(email=email, password=None, full_name=full_name)
            membership = Membership.objects.create(
                user=user,
                organization=organization,
                role=role,
                is_active=False,
                accepted_at=None,
                invited_name=full_name,
                invited_by=actor.user,
                invited_language=language or "",
            )
    except IntegrityError:
        raise Conflict(
            _("This person was invited a moment ago. Reload the page to see the invitation."), field="email"
        ) from None
    enqueue_on_commit(tasks.send_invitation, membership.pk, base_url)
    return membership


@transaction.atomic
def membership_update(*, actor: Membership, membership: Membership, **changes) -> Membership:
    """Changes a member's role, activity or pending name (operators only). Nobody changes their own role or
    deactivates themselves; an invitation becomes access only by being accepted (409)."""
    _require_operator(actor, _("change a membership"))
    if membership.organization_id != actor.organization_id:
        raise NotAllowed(_("This member belongs to another organization."))
    if membership.pk == actor.pk and (
        changes.get("role", membership.role) != membership.role or changes.get("is_active") is False
    ):
        raise Invalid(_("You cannot change your own role or deactivate yourself."), field="role")
    if membership.is_pending and "is_active" in changes and changes["is_active"] != membership.is_active:
        # Only the invitee turns an invitation into access, by accepting it.
        raise Conflict(
            _("This invitation has not been accepted yet. Withdraw it, or send it again."), field="is_active"
        )
    for name, value in changes.items():
        setattr(membership, name, value)
    membership.save()
    return membership


RETENTION_FIELD = "sensitive_records_kept_years"


@transaction.atomic
def organization_update(*, actor: Membership, **changes) -> Organization:
    """Renames the actor's organization or changes its time zone, currency, two-factor requirement or the years
    sensitive records are kept after a discharge (1 to 50, or empty for good; operators only). The model's
    validators (a known time zone, a currency code) are the other rules."""
    _require_operator(actor, _("change the organization's settings"))
    years = changes.get("sensitive_records_kept_years")
    if years is not None and not 1 <= years <= 50:
        raise Invalid(
            _("Keep sensitive records from 1 to 50 years, or leave it empty."), field="sensitive_records_kept_years"
        )
    organization = Organization.objects.select_for_update().get(pk=actor.organization_id)
    before = {name: getattr(organization, name) for name in changes}
    for name, value in changes.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    changed = sorted(name for name in changes if getattr(organization, name) != before[name])
    if changed:
        # How long sensitive records stay in view is a retention decision: the audit keeps its old and new value
        # (years, not personal data).
        detail = audit.changed_fields(changed)
        if RETENTION_FIELD in changed:
            old, new = _years_text(before[RETENTION_FIELD]), _years_text(organization.sensitive_records_kept_years)
            detail += f"; {RETENTION_FIELD}: {old} -> {new}"
        audit.changed(actor=actor, action=AuditEntry.Action.UPDATE, instance=organization, detail=detail)
    return organization


def _years_text(years: int | None) -> str:
    return "kept for good" if years is None else f"{years} years"


def set_preferred_language(user: User, language: str) -> User:
    """The language Hearth speaks to ``user`` from now on (pages, e-mails, API answers): one of settings.LANGUAGES.
    Anyone sets their own; the resident portal and the staff "Your language" page both call this. Not audited:
    like a password change, it concerns the person, not an organization's records."""
    if language not in dict(settings.LANGUAGES):
        raise Invalid(_("Choose one of the languages Hearth speaks."), field="preferred_language")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user
