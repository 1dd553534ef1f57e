"""The public face: an organization's vacancy pages, its application form and an applicant's private link. No
login, no JavaScript; nothing about any person but the applicant's own name on their own link."""

import logging
import mimetypes

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import get_usage

from accounts.exceptions import DomainError
from accounts.models import Organization
from accounts.pages import show_domain_error
from accounts.throttling import _address_key as address_key
from residents.models import Application

from . import feed
from .models import PublicSubmission
from .public_forms import PublicApplicationForm
from .public_selectors import public_house, public_houses_page, public_organization, public_photo
from .services.public import public_application_erase, public_application_submit

PHOTO_CACHE_SECONDS = 3600  # an unpublished house's photos stop being served within the hour
PAGE_CACHE_SECONDS = 60  # beds change by the day; a minute spares the server a crowd and keeps figures fresh
RATE_GROUP = "vacancies.public-applications-per-address"
# Posts the form sends back with a mistake: a person fixing typos may send many, so they count apart and far
# higher; a robot posting junk all night is still stopped.
INVALID_RATE_GROUP = "vacancies.public-invalid-posts-per-address"
INVALID_POSTS_PER_ADDRESS = "60/h"

logger = logging.getLogger(__name__)

# An application's status as the applicant reads it (its own words: the staff's status names may differ).
STATUS_WORDS = {
    Application.Status.NEW: (
        pgettext_lazy("applicant status", "Received"),
        gettext_lazy("We have your application and will contact you soon."),
    ),
    Application.Status.SCREENING: (
        pgettext_lazy("applicant status", "Being reviewed"),
        gettext_lazy("Someone is reading your application."),
    ),
    Application.Status.INTERVIEW: (
        pgettext_lazy("applicant status", "Interview"),
        gettext_lazy("We would like to meet you; we will contact you to arrange it."),
    ),
    Application.Status.WAITLISTED: (
        pgettext_lazy("applicant status", "On the waitlist"),
        gettext_lazy("We will contact you when a bed opens for you."),
    ),
    Application.Status.ACCEPTED: (
        pgettext_lazy("applicant status", "Accepted"),
        gettext_lazy("You are accepted; we will contact you about your move-in date."),
    ),
    Application.Status.ADMITTED: (
        pgettext_lazy("applicant status", "Admitted"),
        gettext_lazy("Welcome: you have moved in."),
    ),
    Application.Status.DECLINED: (
        pgettext_lazy("applicant status", "Declined"),
        gettext_lazy("We cannot offer you a bed."),
    ),
    Application.Status.WITHDRAWN: (
        pgettext_lazy("applicant status", "Withdrawn"),
        gettext_lazy("This application was withdrawn."),
    ),
}


def _briefly_cached(response):
    """Pages with no form and nothing about a person may be kept a minute by browsers and proxies; a signed-in
    member's copy (their name in the header) is still never stored (``config.middleware``)."""
    patch_cache_control(response, public=True, max_age=PAGE_CACHE_SECONDS)
    # Each visitor reads it in their language: the browser's, or the switch's cookie (LocaleMiddleware adds
    # Accept-Language), so a shared cache keeps one copy per language.
    patch_vary_headers(response, ("Cookie",))
    return response


@require_safe
def organization_page(request, organization):
    organization = public_organization(organization)
    page = public_houses_page(organization=organization, page=request.GET.get("page"))
    context = {"organization": organization, "houses": page.object_list, "page_obj": page}
    response = render(request, "vacancies/public/organization.html", context)
    return _briefly_cached(response)


@require_safe
def house_page(request, organization, house):
    organization = public_organization(organization)
    shown = public_house(organization=organization, slug=house)
    late_fee = feed.late_fee(shown.policy)
    context = {
        "organization": organization,
        "shown": shown,
        "late_fee": late_fee.words(organization.currency) if late_fee else "",
    }
    response = render(request, "vacancies/public/house.html", context)
    return _briefly_cached(response)


@require_safe
def house_photo(request, organization, house, photo):
    organization = get_object_or_404(Organization, slug=organization)
    found = public_photo(organization=organization, slug=house, photo_id=photo)
    try:
        handle = default_storage.open(found.image.name, "rb")
    except OSError as error:  # the row outlived its file
        raise Http404("No such photo.") from error
    content_type = mimetypes.guess_type(found.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    patch_cache_control(response, public=True, max_age=PHOTO_CACHE_SECONDS)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _usage(request, group: str, rate: str, *, count: bool) -> dict | None:
    """The address's count in ``group`` (adding this request when ``count``). None while the cache is unreachable:
    nothing can count then, and submissions are let through (the honeypot still stops the simplest robots)."""
    return get_usage(request, group=group, key=address_key, rate=rate, increment=count)


def _limit_reached(request) -> bool:
    """True when the address has already sent as many applications, or as many posts with a mistake, as allowed:
    looked at without counting this post."""
    for group, rate in (
        (RATE_GROUP, settings.PUBLIC_APPLICATIONS_PER_ADDRESS),
        (INVALID_RATE_GROUP, INVALID_POSTS_PER_ADDRESS),
    ):
        usage = _usage(request, group, rate, count=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


def _counted_over(request, group: str, rate: str) -> bool:
    """Counts this post in ``group``; True past the limit (two posts at once may both have passed the look)."""
    usage = _usage(request, group, rate, count=True)
    return usage is not None and usage["should_limit"]


def _too_many(request, context: dict, why: str):
    logger.info("Dropped a public application to %s: %s.", context["organization"].slug, why)
    return render(request, "vacancies/public/too_many.html", context, status=429)


def _apply(request, organization: Organization, shown=None):
    whole = shown is None
    form = PublicApplicationForm(request.POST or None, today=organization.today(), whole_organization=whole)
    context = {"organization": organization, "shown": shown, "form": form}
    if request.method == "POST":
        if _limit_reached(request):
            return _too_many(request, context, "the address reached its limit")
        if form.is_robot:  # counted as an application: a robot's posts use up its address's allowance
            _counted_over(request, RATE_GROUP, settings.PUBLIC_APPLICATIONS_PER_ADDRESS)
            logger.info("Dropped a public application to %s: the honeypot field was filled.", organization.slug)
            return redirect("vacancies-public:thanks", organization=organization.slug)  # not a word said
        if not form.is_valid():
            if _counted_over(request, INVALID_RATE_GROUP, INVALID_POSTS_PER_ADDRESS):
                return _too_many(request, context, "too many posts with mistakes")
            return render(request, "vacancies/public/apply.html", context, status=400)
        if _counted_over(request, RATE_GROUP, settings.PUBLIC_APPLICATIONS_PER_ADDRESS):
            return _too_many(request, context, "the address reached its limit")
        try:
            public_application_submit(
                organization=organization,
                house=None if whole else shown.house,
                language=translation.get_language(),  # the applicant's e-mails are in the language they applied in
                **form.application_fields(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return redirect("vacancies-public:thanks", organization=organization.slug)
    status = 400 if form.errors else 200
    return render(request, "vacancies/public/apply.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def organization_apply(request, organization):
    return _apply(request, public_organization(organization))


@require_http_methods(["GET", "HEAD", "POST"])
def house_apply(request, organization, house):
    organization = public_organization(organization)
    return _apply(request, organization, public_house(organization=organization, slug=house))


@require_safe
def thanks(request, organization):
    organization = public_organization(organization)
    return render(request, "vacancies/public/thanks.html", {"organization": organization})


def _submission(token: str) -> PublicSubmission | None:
    return (
        PublicSubmission.objects.select_related("application__organization", "application__preferred_house")
        .filter(token=token, application__erased_at__isnull=True)
        .first()
    )


def _gone(request):
    return render(request, "vacancies/public/application_gone.html", status=404)


@require_safe
def application_status(request, token):
    submission = _submission(token)
    if submission is None:
        return _gone(request)
    application = submission.application
    title, words = STATUS_WORDS[application.status]
    context = {
        "application": application,
        "token": token,
        "status_title": title,
        "status_words": words,
        "erasable": application.status != Application.Status.ADMITTED,
    }
    return render(request, "vacancies/public/application.html", context)


@require_http_methods(["GET", "POST"])
def application_erase(request, token):
    submission = _submission(token)
    if submission is None:
        return _gone(request)
    application = submission.application
    refusal = ""
    if request.method == "POST":
        try:
            public_application_erase(submission=submission)
        except DomainError as error:  # admitted meanwhile: the service keeps a resident's record
            refusal = error.message
        else:
            return redirect("vacancies-public:application", token=token)
    elif application.status == Application.Status.ADMITTED:
        refusal = _("You have moved in: your application is now part of your resident record and stays.")
    context = {"application": application, "token": token, "refusal": refusal}
    return render(request, "vacancies/public/erase.html", context, status=409 if refusal else 200)
