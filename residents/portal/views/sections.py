"""The resident portal (phone-sized pages): home, house rules, chores, tests and my phase.

Residents act only for themselves: every page reads through ``residents.portal.selectors`` (scoped to the logged-in
resident) and writes through the topic services. Staff are refused (403); another resident's record is not found
(404). Pages run on the organization's clock, so dates and times read and typed are the house's.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import client_ip
from accounts.calendar import week_of
from accounts.exceptions import DomainError
from accounts.pages import paginate, show_domain_error
from accounts.views import resident_required
from residents.core.selectors.stays import current_stay_for_member
from residents.house_rules import services as rule_services
from residents.house_rules.selectors import rule_sets_for
from residents.portal import selectors
from residents.portal.forms import RuleSignForm


def portal_page(view):
    """A portal page: a resident's login linked to their resident record, on the organization's clock.

    The view is called with the ``Resident``; a login not linked to one gets a page that says whom to ask."""

    @resident_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        resident = getattr(request.viewer, "resident", None)
        with timezone.override(request.viewer.organization.tzinfo):
            if resident is None:
                return render(request, "residents/portal/unlinked.html", {"section": "home"}, status=403)
            return view(request, resident, *args, **kwargs)

    return wrapper


@portal_page
def portal(request, resident):
    stay = current_stay_for_member(viewer=request.viewer)
    home = selectors.portal_home(viewer=request.viewer, stay=stay)
    return render(request, "residents/portal/home.html", {"section": "home", "resident": resident, "home": home})


# House rules ----------------------------------------------------------------------------------------------------------


def _rules_page(request, resident, *, form=None, status=200):
    stay = current_stay_for_member(viewer=request.viewer)
    rules = selectors.rules_standing(viewer=request.viewer, stay=stay)
    context = {
        "section": "rules",
        "stay": stay,
        "rules": rules,
        "form": form or RuleSignForm(legal_name=resident.legal_name, language=rules.language),
    }
    return render(request, "residents/portal/rules.html", context, status=status)


@portal_page
def portal_rules(request, resident):
    return _rules_page(request, resident)


@portal_page
@require_POST
def portal_rules_sign(request, resident, rule_set_id):
    # Only the rule sets of the house the resident lives in exist for them; any other id is not found.
    rule_set = get_object_or_404(rule_sets_for(viewer=request.viewer), pk=rule_set_id)
    form = RuleSignForm(request.POST, legal_name=resident.legal_name)
    if form.is_valid():
        try:
            acknowledgement, created = rule_services.rule_set_acknowledge(
                resident=resident,
                rule_set=rule_set,
                signature=form.cleaned_data["signature"],
                ip_address=client_ip(request),
                actor=request.viewer,
                language=form.cleaned_data["language"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            _rules_signed_message(request, resident, rule_set, acknowledgement, created=created)
            return redirect("portal-rules")
    return _rules_page(request, resident, form=form, status=400)


def _rules_signed_message(request, resident, rule_set, acknowledgement, *, created: bool) -> None:
    values = {
        "number": rule_set.number,
        "house": rule_set.house.name,
        "date": date_format(timezone.localtime(acknowledgement.signed_at), _("M j, Y")),
    }
    if not created:
        messages.info(
            request, _("You had already signed version %(number)s of the %(house)s rules on %(date)s.") % values
        )
    elif acknowledgement.language == "en" and not rule_services.rule_set_has_language(
        rule_set, resident.preferred_language
    ):
        # A Spanish reader signed the English text, the Spanish not being ready: say which text the signature is on.
        messages.success(
            request,
            _(
                "Thank you. You signed version %(number)s of the %(house)s rules in English, because the Spanish "
                "text is not ready yet."
            )
            % values,
        )
    else:
        messages.success(request, _("Thank you. You signed version %(number)s of the %(house)s rules.") % values)


# Chores, tests, phase -------------------------------------------------------------------------------------------------


@portal_page
def portal_chores(request, resident):
    today = request.viewer.organization.today()
    chores = list(selectors.chores_this_week(viewer=request.viewer, today=today))
    days = {}
    for chore in chores:
        days.setdefault(chore.due_date, []).append(chore)
    context = {"section": "chores", "today": today, "days": list(days.items()), "week": week_of(today)}
    return render(request, "residents/portal/chores.html", context)


@portal_page
def portal_tests(request, resident):
    today = request.viewer.organization.today()
    context = {
        "section": "tests",
        "today": today,
        "requests": list(selectors.tests_due(viewer=request.viewer, today=today)),
        "page_obj": paginate(request, selectors.my_tests(viewer=request.viewer)),
    }
    return render(request, "residents/portal/tests.html", context)


@portal_page
def portal_phase(request, resident):
    today = request.viewer.organization.today()
    stay = current_stay_for_member(viewer=request.viewer)
    standing = selectors.week_standing(viewer=request.viewer, stay=stay, today=today)
    phase = standing.phase if standing else None
    context = {
        "section": "phase",
        "today": today,
        "stay": stay,
        "standing": standing,
        "phase": phase,
        "next_phase": selectors.next_phase(viewer=request.viewer, phase=phase),
        "history": list(selectors.my_phase_history(viewer=request.viewer, stay=stay)) if stay else [],
    }
    return render(request, "residents/portal/phase.html", context)
