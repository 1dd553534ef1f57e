"""The way in: applications move through screening and the waitlist; admitting one creates the resident."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Conflict, Invalid
from accounts.models import Membership
from houses.models import Bed, House
from residents.core.services import stays
from residents.core.services.roles import require_staff_or_house
from residents.models import Application, ApplicationEvent, Resident, Stay
from residents.signals import application_moved

# What the intake staff may change of an application after recording it (status moves through application_move).
EDITABLE = frozenset({
    "first_name", "last_name", "preferred_name", "date_of_birth", "phone", "email", "preferred_house",
    "preferred_gender", "referral_source", "payer", "payer_name", "sobriety_date", "notes", "applied_on",
    "referred_by", "preferred_move_in", "on_moud", "consent_to_contact",
})  # fmt: skip


def _require_staff_for(actor: Membership, application: Application, *, by_house: bool = False) -> None:
    """Any operator or manager of the organization: applications are its intake pipeline, whatever house they ask
    for (admitting into a bed is checked against that bed's house by ``stay_admit``). ``by_house``: a peer-run house
    decides on its own applicants (the ``peer`` app checked the members' vote, or the president's office)."""
    house = application.preferred_house if by_house else None
    require_staff_or_house(actor, organization_id=application.organization_id, house=house, by_house=by_house)


def _check(application: Application, *, actor: Membership | None = None) -> None:
    if not (application.phone or application.email):
        raise Invalid(_("Give a phone number or an e-mail to reach the applicant."), field="phone")
    house: House | None = application.preferred_house
    if house is not None and house.organization_id != application.organization_id:
        raise Invalid(_("Unknown house."), field="preferred_house")


def _stamp_reply(application: Application, *, to: str, at) -> list[str]:
    """Response times: any step out of new is the first reply, but a withdrawal (the applicant leaving is no answer
    from the house); accepting, declining or admitting is the decision (the first one counts: a later change of mind
    does not make the answer faster)."""
    changed = []
    if application.first_contacted_at is None and to != Application.Status.WITHDRAWN:
        application.first_contacted_at = at
        changed.append("first_contacted_at")
    if to in Application.DECIDED and application.decided_at is None:
        application.decided_at = at
        changed.append("decided_at")
    return changed


@transaction.atomic
def application_receive(*, organization, received_via: str, **fields) -> Application:
    """Records an application that came from outside the organization's staff (the public form, a referral
    partner): no actor, status new, received now. The caller has checked who may send it; the rules of
    ``application_create`` hold."""
    fields.setdefault("applied_on", organization.today())
    application = Application(organization=organization, received_via=received_via, **fields)
    _check(application)
    application.save()
    ApplicationEvent.objects.create(
        application=application, to_status=application.status, note=application.get_received_via_display()
    )
    return application


@transaction.atomic
def application_record_contact(*, actor: Membership, application: Application, note: str = "") -> Application:
    """Records that staff reached the applicant (a call, an e-mail) without changing the status: the first one is
    the application's first reply."""
    _require_staff_for(actor, application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    ApplicationEvent.objects.create(
        application=application,
        from_status=application.status,
        to_status=application.status,
        actor=actor.user,
        note=note or "Contacted the applicant",
    )
    if application.first_contacted_at is None:
        application.first_contacted_at = timezone.now()
        application.save(update_fields=["first_contacted_at"])
    return application


def _received_on(organization, applied_on):
    """When a back-dated application (``applied_on`` before the organization's today) arrived: the start of that day
    on the organization's clock, so it counts in the month it was made, not the month it was typed in. None for
    today (received now)."""
    if not isinstance(applied_on, date) or applied_on >= organization.today():
        return None
    return datetime.combine(applied_on, time.min, tzinfo=organization.tzinfo)


@transaction.atomic
def application_create(*, actor: Membership, **fields) -> Application:
    """Records an application in the actor's organization, as any operator or manager of it, whatever house it asks
    for; it starts as new. There must be a way to reach the applicant: a phone number or an e-mail."""
    application = Application(organization=actor.organization, created_by=actor.user, **fields)
    received_at = _received_on(actor.organization, application.applied_on)
    if received_at is not None:
        application.received_at = received_at
    _check(application, actor=actor)
    _require_staff_for(actor, application)
    application.save()
    ApplicationEvent.objects.create(application=application, to_status=application.status, actor=actor.user)
    return application


@transaction.atomic
def application_update(*, actor: Membership, application: Application, **changes) -> Application:
    """Corrects what an application says (not its status: ``application_move``); the rules of
    ``application_create`` hold for the result, so an applicant stays reachable."""
    _require_staff_for(actor, application)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise Invalid(
            _("%(sorted)s cannot be changed here.") % {"sorted": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    application = Application.objects.select_for_update().get(pk=application.pk)
    for name, value in changes.items():
        setattr(application, name, value)
    _check(application, actor=actor)
    application.save(update_fields=list(changes))
    return application


# What erasing blanks: everything that tells who the applicant is or what they said.
ERASED = {
    "first_name": "Erased", "last_name": "", "preferred_name": "", "phone": "", "email": "", "date_of_birth": None,
    "sobriety_date": None, "notes": "", "payer_name": "", "referral_source": "", "on_moud": None,
    "preferred_move_in": None, "decline_reason": "",
}  # fmt: skip
ERASED_NOTE = "Erased at the applicant's request"


@transaction.atomic
def application_erase(*, application: Application, actor: Membership | None = None) -> Application:
    """Withdraws and erases an application at the applicant's request (through their private link, or by staff when
    they ask by phone): the personal data and the notes of its history are blanked, the public submission and any
    pending waitlist offer deleted, and it reads as withdrawn (unless declined already). What the month's figures
    are made of stays (the house, who referred it and how, a partner's referral, the times), so a past month is
    unchanged (the figures read acceptance from the history, not the status). Only before admission: once
    admitted, the person is a resident with a record to keep."""
    if actor is not None:
        _require_staff_for(actor, application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == Application.Status.ADMITTED:
        raise Conflict(_("An admitted applicant's record is kept: it cannot be erased here."), field="application")
    if application.erased_at is not None:
        return application
    now = timezone.now()
    changed = [*ERASED, "erased_at"]
    for name, value in ERASED.items():
        # A partner's name is an organization's, not the applicant's: the monthly figures count it as the partner's.
        if name != "referral_source" or application.referred_by != Application.ReferredBy.PARTNER:
            setattr(application, name, value)
    application.erased_at = now
    ApplicationEvent.objects.filter(application=application).update(note="")
    # Withdrawn from wherever it stands (an accepted applicant leaves the waitlist too); a declined one stays so.
    if Application.Status.WITHDRAWN in Application.TRANSITIONS[application.status]:
        ApplicationEvent.objects.create(
            application=application,
            from_status=application.status,
            to_status=Application.Status.WITHDRAWN,
            actor=actor.user if actor is not None else None,
            note=ERASED_NOTE,
        )
        application.status = Application.Status.WITHDRAWN
        application.status_changed_at = now
        changed += ["status", "status_changed_at"]
    application.save(update_fields=changed)
    application_moved.send(sender=Application, application=application, erased=True)
    # The vacancies rows hang on the application by their related names (residents does not import vacancies).
    submission = getattr(application, "public_submission", None)
    if submission is not None:
        submission.delete()
    offers = getattr(application, "waitlist_offers", None)
    if offers is not None:
        offers.filter(answer="pending").delete()
    if actor is not None:
        # The entry names the row only: the person asked to be forgotten, so nothing about them is kept here.
        audit.changed(actor=actor, action=audit.Action.ERASE, instance=application, detail=ERASED_NOTE)
    return application


@transaction.atomic
def application_move(
    *, actor: Membership, application: Application, to: str, note: str = "", by_house: bool = False
) -> Application:
    """Moves an application to another status, if that step is allowed from where it is. Declining needs a
    reason (``note``): the applicant and a referring partner are told it."""
    _require_staff_for(actor, application, by_house=by_house)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if to == Application.Status.ADMITTED:
        raise Invalid(_("An application is admitted by admitting the applicant into a bed."), field="status")
    if to not in Application.TRANSITIONS[application.status]:
        raise Conflict(
            _("An application that is %(lower)s cannot become %(lower2)s.")
            % {"lower": application.get_status_display().lower(), "lower2": Application.Status(to).label.lower()},
            field="status",
        )
    if to == Application.Status.DECLINED and not note.strip():
        raise Invalid(_("Give the reason for declining: the applicant and a referring partner see it."), field="note")
    ApplicationEvent.objects.create(
        application=application, from_status=application.status, to_status=to, actor=actor.user, note=note
    )
    now = timezone.now()
    changed = ["status", "status_changed_at", *_stamp_reply(application, to=to, at=now)]
    if to == Application.Status.DECLINED:
        application.decline_reason = note.strip()[:300]
        changed.append("decline_reason")
    application.status = to
    application.status_changed_at = now
    application.save(update_fields=changed)
    application_moved.send(sender=Application, application=application, erased=False)
    return application


@transaction.atomic
def application_admit(
    *, actor: Membership, application: Application, bed: Bed, on: date, by_house: bool = False
) -> Stay:
    """Admits an accepted applicant: creates the Resident from the application and the Stay in one step (as staff
    who may admit into ``bed``: ``stay_admit``, or by a peer-run house's vote)."""
    _require_staff_for(actor, application, by_house=by_house)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.ACCEPTED:
        raise Conflict(_("Only an accepted application can be admitted. Accept it first."), field="application")
    resident = Resident.objects.create(
        organization_id=application.organization_id,
        legal_first_name=application.first_name,
        legal_last_name=application.last_name,
        preferred_name=application.preferred_name,
        date_of_birth=application.date_of_birth,
        phone=application.phone,
        email=application.email,
        referral_source=application.referral_source,
        payer=application.payer,
        payer_name=application.payer_name,
        sobriety_date=application.sobriety_date,
    )
    stay = stays.stay_admit(actor=actor, resident=resident, bed=bed, on=on, by_house=by_house)
    ApplicationEvent.objects.create(
        application=application,
        from_status=application.status,
        to_status=Application.Status.ADMITTED,
        actor=actor.user,
        note=f"Admitted to {bed.house.name}, bed {bed.label}, from {on:%b %-d, %Y}",
    )
    now = timezone.now()
    stamped = _stamp_reply(application, to=Application.Status.ADMITTED, at=now)
    application.status = Application.Status.ADMITTED
    application.status_changed_at = now
    application.resident = resident
    application.save(update_fields=["status", "resident", "status_changed_at", *stamped])
    application_moved.send(sender=Application, application=application, erased=False)
    return stay


@transaction.atomic
def application_accept_and_admit(
    *, actor: Membership, application: Application, bed: Bed, on: date, by_house: bool = False
) -> Stay:
    """Accepts a waiting application (if not accepted yet) and admits the applicant into ``bed`` from ``on``, in one
    transaction: when the admission is refused (the bed taken meanwhile, a date it is not free), the application
    is left as it was."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.ACCEPTED:
        application = application_move(
            actor=actor,
            application=application,
            to=Application.Status.ACCEPTED,
            note="Admitted by the house's vote" if by_house else "Accepted to admit",
            by_house=by_house,
        )
    return application_admit(actor=actor, application=application, bed=bed, on=on, by_house=by_house)
