"""Applications sent through the public form: received into the organization's pipeline with the applicant's
private link, acknowledged by e-mail once, and withdrawn and erased at the applicant's request."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.queue import enqueue_on_commit
from accounts.tenancy import organization_clock
from houses.models import House
from residents.core.services.applications import application_erase, application_receive
from residents.models import Application

from ..models import PublicSubmission

logger = logging.getLogger("vacancies.public")


def status_link(submission: PublicSubmission) -> str:
    """The applicant's private link to their application (the e-mail carries it; it is the only credential)."""
    return settings.SITE_URL.rstrip("/") + reverse("vacancies-public:application", args=[submission.token])


def applicant_language(application: Application, default: str | None = None) -> str:
    """The language an applicant's e-mails are written in: the one their application was sent in; for one entered by
    staff (no language recorded) ``default``, else the site's."""
    return application.language or default or settings.LANGUAGE_CODE


@transaction.atomic
def public_application_submit(
    *, organization: Organization, house: House | None = None, language: str = "", **fields
) -> PublicSubmission:
    """Receives an application from the public form (new, received now, through the website) with its private
    link, for ``house`` or for any fitting house of the organization; once committed, the applicant is e-mailed an
    acknowledgement when they gave an address, in ``language`` (the one the form was sent in)."""
    application = application_receive(
        organization=organization,
        received_via=Application.ReceivedVia.WEBSITE,
        preferred_house=house,
        language=language,
        **fields,
    )
    submission = PublicSubmission.objects.create(application=application)
    if application.email:
        # robust: the application is saved whatever the mail server says; the applicant still sees the thank-you page.
        enqueue_on_commit(send_application_acknowledgement, submission.pk, language or None, robust=True)
    return submission


def public_application_erase(*, submission: PublicSubmission) -> None:
    """Withdraws and erases the application behind the applicant's link, with its history and the link itself
    (``application_erase``: refused once admitted)."""
    application_erase(application=submission.application)


def acknowledgement_send(*, submission_id: int, language: str | None = None) -> bool:
    """E-mails the applicant that their application arrived, with their private link, in the language they applied
    in (``language``); once per submission (the claim on ``acknowledged_at`` stops a repeated task). Returns whether
    it was sent now."""
    submission = (
        PublicSubmission.objects.select_related("application__organization", "application__preferred_house")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not submission.application.email:
        return False  # erased before the e-mail went out, or nowhere to send it
    claimed = PublicSubmission.objects.filter(pk=submission.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now()
    )
    if not claimed:
        return False
    application = submission.application
    organization = application.organization
    context = {
        "first_name": application.first_name,
        "organization": organization.name,
        "house": application.preferred_house.name if application.preferred_house else "",
        "link": status_link(submission),
    }
    try:
        with organization_clock(organization), translation.override(applicant_language(application, language)):
            body = render_to_string("vacancies/public/emails/acknowledgement.txt", context)
            subject = _("%(organization)s: we received your application") % {"organization": organization.name}
            EmailMessage(subject=subject, body=body, to=[application.email]).send()
    except Exception:
        PublicSubmission.objects.filter(pk=submission.pk).update(acknowledged_at=None)  # to be tried again
        raise
    return True


# Queued by public_application_submit once the application is committed; beside its service.
@shared_task(name="vacancies.tasks.send_application_acknowledgement")
def send_application_acknowledgement(submission_id: int, language: str | None = None) -> bool:
    """E-mails a public applicant their acknowledgement and private link, once, in the language they applied in."""
    return acknowledgement_send(submission_id=submission_id, language=language)
