"""Referral partner pages. The staff keep their partners under /dashboard/partners/; a partner reads the same three
pages (vacancies, refer a person, our referrals) through its private link /r/<token>/ (no login) or, for a login
with the role referrer, under /referrer/<partner>/."""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import get_usage

from accounts.exceptions import DomainError
from accounts.models import Role
from accounts.pages import refuse
from accounts.queue import DEFERRED_MESSAGE, is_deferred
from accounts.tasks import send_invitation
from accounts.throttling import client_address
from accounts.views import operator_required, role_required, staff_required
from houses.models import House

from . import partner_selectors as selectors
from .partner_forms import PartnerForm, ReferralForm, ReferrerInviteForm
from .services import partners as services

# A leaked link must not flood the intake: referrals per address, and per partner, whichever address sends them.
REFERRALS_PER_ADDRESS = "10/h"
REFERRALS_PER_PARTNER = "60/d"

referrer_required = role_required(Role.REFERRER)


# The staff's pages.


@staff_required
def partner_list(request):
    partners = selectors.partners_list(viewer=request.viewer)
    return render(request, "vacancies/partners/list.html", {"section": "partners", "partners": partners})


def _houses(request):
    return House.objects.visible_to(request.viewer).order_by("name")


@operator_required
@require_http_methods(["GET", "POST"])
def partner_create(request):
    form = PartnerForm(request.POST or None, houses=_houses(request))
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(actor=request.viewer, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request, _("%(partner)s added. Send them their private link below.") % {"partner": partner.name}
            )
            return redirect("vacancies-partner:partner", partner_id=partner.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "vacancies/partners/form.html", {"section": "partners", "form": form}, status=status)


def _partner(request, partner_id):
    return get_object_or_404(selectors.partners_list(viewer=request.viewer), pk=partner_id)


def _detail(request, partner, *, form=None, invite_form=None, status=200):
    context = {
        "section": "partners",
        "partner": partner,
        "form": form or PartnerForm(instance=partner, houses=_houses(request)),
        "invite_form": invite_form or ReferrerInviteForm(prefix="invite"),
        "link": request.build_absolute_uri(reverse("vacancies-partner:link-vacancies", args=[partner.link_token])),
        "members": partner.members.select_related("user").order_by("user__email"),
    }
    return render(request, "vacancies/partners/detail.html", context, status=status)


@operator_required
@require_http_methods(["GET", "POST"])
def partner_detail(request, partner_id):
    partner = _partner(request, partner_id)
    if request.method == "GET":
        return _detail(request, partner)
    form = PartnerForm(request.POST, instance=partner, houses=_houses(request))
    if form.is_valid():
        try:
            services.partner_update(actor=request.viewer, partner=partner, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": form.cleaned_data["name"]})
            return redirect("vacancies-partner:partner", partner_id=partner.pk)
    return _detail(request, partner, form=form, status=400)


@operator_required
@require_POST
def partner_link(request, partner_id):
    partner = _partner(request, partner_id)
    action = request.POST.get("action")
    if action == "rotate":
        services.partner_link_rotate(actor=request.viewer, partner=partner)
        messages.success(request, _("A new link is made: the old one no longer works. Send the partner the new one."))
    elif action in ("enable", "disable"):
        services.partner_link_set_enabled(actor=request.viewer, partner=partner, enabled=action == "enable")
        messages.success(request, _("The link works again.") if action == "enable" else _("The link is turned off."))
    else:
        messages.error(request, _("Choose what to do with the link."))
        return _detail(request, partner, status=400)
    return redirect("vacancies-partner:partner", partner_id=partner.pk)


@operator_required
@require_POST
def partner_invite(request, partner_id):
    partner = _partner(request, partner_id)
    form = ReferrerInviteForm(request.POST, prefix="invite")
    if form.is_valid():
        base_url = request.build_absolute_uri("/")
        try:
            membership = services.partner_invite_referrer(
                actor=request.viewer, partner=partner, base_url=base_url, **form.cleaned_data
            )
        except DomainError as error:
            refuse(form, error)
        else:
            email = membership.user.email
            if is_deferred(send_invitation, membership.pk, base_url):  # the broker (Redis) is unreachable
                messages.warning(
                    request,
                    _("%(email)s is invited; the e-mail is not sent yet. %(deferred)s")
                    % {"email": email, "deferred": DEFERRED_MESSAGE},
                )
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s. They see this partner's pages once they accept.")
                    % {"email": email},
                )
            return redirect("vacancies-partner:partner", partner_id=partner.pk)
    return _detail(request, partner, invite_form=form, status=400)


# The partner's pages, through the private link or a referrer's login.


def _links(prefix: str, *args) -> dict:
    return {
        name: reverse(f"vacancies-partner:{prefix}{name}", args=args) for name in ("vacancies", "refer", "referrals")
    }


def through_link(view):
    """The partner of a working private link; any other token is a 404 (unknown, rotated, disabled, inactive)."""

    @never_cache
    @wraps(view)
    def wrapper(request, token):
        partner = selectors.partner_for_link(token)
        if partner is None:
            raise Http404("No such link.")
        return view(request, partner, _links("link-", token))

    return wrapper


def through_login(view):
    """The partner a referrer's login belongs to; any other partner is a 404."""

    @referrer_required
    @never_cache
    @wraps(view)
    def wrapper(request, partner_id):
        partner = get_object_or_404(selectors.partners_of_referrer(viewer=request.viewer), pk=partner_id)
        return view(request, partner, _links("referrer-", partner_id))

    return wrapper


def _context(partner, links, tab, **more):
    return {"partner": partner, "organization": partner.organization, "links": links, "tab": tab, **more}


def partner_vacancies(request, partner, links):
    context = _context(partner, links, "vacancies", houses=selectors.partner_vacancies(partner))
    return render(request, "vacancies/partners/vacancies.html", context)


def _limited(request, partner) -> bool:
    by_address = get_usage(
        request, group="vacancies.referrals-per-address", key=lambda group, request: client_address(request) or "?",
        rate=REFERRALS_PER_ADDRESS, increment=True,
    )  # fmt: skip
    by_partner = get_usage(
        request, group="vacancies.referrals-per-partner", key=lambda group, request: str(partner.pk),
        rate=REFERRALS_PER_PARTNER, increment=True,
    )  # fmt: skip
    return any(usage is not None and usage["should_limit"] for usage in (by_address, by_partner))


def partner_refer(request, partner, links):
    houses = selectors.shared_houses(partner)
    chosen = request.GET.get("house", "")
    initial = {"preferred_house": chosen} if chosen.isdigit() else {}
    form = ReferralForm(request.POST or None, houses=houses, initial=initial)
    if request.method == "POST":
        if _limited(request, partner):
            form.add_error(None, _("Too many referrals from here in a short time. Try again in an hour, or call us."))
            context = _context(partner, links, "refer", form=form)
            return render(request, "vacancies/partners/refer.html", context, status=429)
        if form.is_valid():
            try:
                referral = services.referral_submit(partner=partner, **form.service_fields())
            except DomainError as error:
                refuse(form, error)
            else:
                first_name = referral.application.first_name
                messages.success(
                    request, _("Thank you: %(name)s is referred. Follow the referral below.") % {"name": first_name}
                )
                return redirect(links["referrals"])
    status = 400 if request.method == "POST" else 200
    return render(request, "vacancies/partners/refer.html", _context(partner, links, "refer", form=form), status=status)


def partner_referrals(request, partner, links):
    context = _context(partner, links, "referrals", referrals=selectors.partner_referrals(partner))
    return render(request, "vacancies/partners/referrals.html", context)


link_vacancies = require_http_methods(["GET"])(through_link(partner_vacancies))
link_refer = require_http_methods(["GET", "POST"])(through_link(partner_refer))
link_referrals = require_http_methods(["GET"])(through_link(partner_referrals))
referrer_vacancies = require_http_methods(["GET"])(through_login(partner_vacancies))
referrer_refer = require_http_methods(["GET", "POST"])(through_login(partner_refer))
referrer_referrals = require_http_methods(["GET"])(through_login(partner_referrals))


@referrer_required
def referrer_home(request):
    """A referrer's landing page: straight to their partner's pages, or a choice when they refer for several."""
    partners = list(selectors.partners_of_referrer(viewer=request.viewer))
    if len(partners) == 1:
        return redirect("vacancies-partner:referrer-vacancies", partner_id=partners[0].pk)
    return render(request, "vacancies/partners/choose.html", {"partners": partners})
