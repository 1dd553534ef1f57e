"""The operator's pages: a house's governance (staff-run or peer-run, with its charter), and the chapters with the
table of their houses' reports."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.views import operator_required
from houses.models import House
from peer import forms
from peer.models import HouseCharter
from peer.selectors.access import chapters_for, house_reports_for, houses_to_govern
from peer.services import chapters, governance
from peer.services.governance import CHARTER_FIELDS
from peer.views.chapter import chapter_table, house_report_response
from residents.core.views.house_pages import render_house


def _governance_page(request, house, *, form=None, status=200):
    charter = HouseCharter.objects.filter(house=house).first()
    initial = {"governance": house.governance}
    if charter:
        initial.update(
            {name: getattr(charter, name) for name in CHARTER_FIELDS if name in forms.GovernanceForm.base_fields}
        )
    form = form or forms.GovernanceForm(chapters=chapters_for(viewer=request.viewer), initial=initial)
    context = {"form": form, "charter": charter, "managers": list(house.staff.select_related("user"))}
    return render_house(request, "peer/dashboard/governance.html", house, "governance", context, status=status)


@operator_required
def house_governance(request, house_id):
    house = get_object_or_404(houses_to_govern(viewer=request.viewer), pk=house_id)
    if request.method != "POST":
        return _governance_page(request, house)
    form = forms.GovernanceForm(request.POST, chapters=chapters_for(viewer=request.viewer))
    if form.is_valid():
        try:
            governance.house_governance_set(actor=request.viewer, house=house, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            label = House.Governance(form.cleaned_data["governance"]).label.lower()
            messages.success(request, _("%(house)s is %(governance)s.") % {"house": house.name, "governance": label})
            return redirect("peer-governance", house_id=house.pk)
    return _governance_page(request, house, form=form, status=400)


def _chapters_page(request, *, form=None, status=200):
    chapter_list = chapters_for(viewer=request.viewer).order_by("name")
    reports = house_reports_for(viewer=request.viewer)
    context = {
        "section": "chapters",
        "chapters": [(chapter, chapter_table(reports, chapter)) for chapter in chapter_list],
        "form": form or forms.ChapterForm(),
        "help_form": forms.HelpForm(),
    }
    return render(request, "peer/dashboard/chapters.html", context, status=status)


@operator_required
def chapters_page(request):
    if request.method != "POST":
        return _chapters_page(request)
    form = forms.ChapterForm(request.POST)
    if form.is_valid():
        try:
            chapters.chapter_create(actor=request.viewer, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Chapter created. Join houses to it from each house's governance page."))
            return redirect("peer-chapters")
    return _chapters_page(request, form=form, status=400)


@require_POST
@operator_required
def chapter_report_mark(request, report_id):
    report = get_object_or_404(house_reports_for(viewer=request.viewer), pk=report_id)
    form = forms.HelpForm(request.POST)
    if form.is_valid():
        try:
            chapters.house_report_mark(
                actor=request.viewer,
                report=report,
                needs_help=form.cleaned_data["needs_help"],
                note=form.cleaned_data["help_note"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return _chapters_page(request, status=400)
        messages.success(request, _("%(house)s updated.") % {"house": report.house.name})
    return redirect("peer-chapters")


@require_safe
@operator_required
def chapter_report_pdf(request, report_id):
    return house_report_response(request, get_object_or_404(house_reports_for(viewer=request.viewer), pk=report_id))
