"""The chapter page of a peer-run house: the house services representative files the monthly house report; the
chapter's table shows every house of the chapter by its latest report, and its representatives mark a house that
needs help. Each report as PDF."""

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.exceptions import DomainError, NotAllowed
from accounts.pages import refuse
from billing.pdf import pdf_response
from peer import forms
from peer.models import HouseCharter, Office
from peer.selectors.access import house_reports_for
from peer.selectors.houses import month_figures
from peer.services import chapters
from peer.views.common import member_page, render_house


def chapter_table(reports, chapter) -> list[dict]:
    """One row per house of ``chapter``: its latest report (or none yet)."""
    charters = HouseCharter.objects.filter(chapter=chapter).select_related("house").order_by("house__name")
    latest = {}
    for report in reports.filter(chapter=chapter).order_by("house_id", "-month"):
        latest.setdefault(report.house_id, report)
    return [{"house": charter.house, "report": latest.get(charter.house_id)} for charter in charters]


def _chapter_page(request, member, *, form=None, status=200):
    house = member.house
    charter = HouseCharter.objects.select_related("chapter").get(house=house)
    last_month = house.organization.today().replace(day=1) - relativedelta(months=1)
    reports = house_reports_for(viewer=request.viewer)
    context = {
        "chapter": charter.chapter,
        "table": chapter_table(reports, charter.chapter) if charter.chapter else [],
        "own_reports": reports.filter(house=house)[:12],
        "preview": month_figures(house, month=last_month),
        "form": form or forms.HouseReportForm(initial={"month": last_month}),
        "is_representative": member.holds(Office.HOUSE_SERVICES_REP),
    }
    return render_house(request, "peer/chapter.html", member, "chapter", context, status=status)


@member_page
def house_chapter(request, member):
    if request.method != "POST":
        return _chapter_page(request, member)
    form = forms.HouseReportForm(request.POST)
    if form.is_valid():
        try:
            chapters.house_report_file(actor=request.viewer, house=member.house, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Report filed with the chapter."))
            return redirect("peer-chapter")
    return _chapter_page(request, member, form=form, status=400)


@require_POST
@member_page
def report_mark(request, member, report_id):
    report = get_object_or_404(house_reports_for(viewer=request.viewer), pk=report_id)
    form = forms.HelpForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            chapters.house_report_mark(
                actor=request.viewer, report=report, needs_help=data["needs_help"], note=data["help_note"]
            )
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            messages.error(request, error.message)
            return _chapter_page(request, member, status=400)
        messages.success(request, _("%(house)s updated.") % {"house": report.house.name})
    return redirect("peer-chapter")


def house_report_response(request, report):
    filename = f"house-report-{report.house_id}-{report.month:%Y-%m}.pdf"
    return pdf_response("peer/pdf/house_report.html", {"report": report}, request=request, filename=filename)


@require_safe
@member_page
def report_pdf(request, member, report_id):
    return house_report_response(request, get_object_or_404(house_reports_for(viewer=request.viewer), pk=report_id))
