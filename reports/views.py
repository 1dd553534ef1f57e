from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from accounts.views import staff_required
from houses.models import House

from . import services
from .downloads import report_file
from .metrics import Month
from .models import Report


class ReportRequestForm(forms.Form):
    month = forms.ChoiceField(help_text="A finished month, or the current one so far")
    scope = forms.ChoiceField(label="For", required=False, help_text="The whole organization, or one house")
    refresh = forms.BooleanField(required=False, label="Make a new copy even if nothing changed")

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        month = Month.of(viewer.organization.today())
        months = []
        for _ in range(13):
            months.append((str(month), month.label))
            month = month.previous()
        self.fields["month"].choices = months
        self.fields["month"].initial = months[1][0]
        self.houses = {str(h.pk): h for h in House.objects.visible_to(viewer).order_by("name")}
        scopes = [("", "All houses (organization report)")] if viewer.is_operator else []
        self.fields["scope"].choices = scopes + [(pk, house.name) for pk, house in self.houses.items()]

    def clean_scope(self):
        value = self.cleaned_data["scope"]
        return self.houses.get(value) if value else None


@staff_required
def reports_page(request):
    """Operators (and managers, for their houses) generate and download monthly reports, with live progress."""
    viewer = request.viewer
    form = ReportRequestForm(request.POST or None, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        report, created = services.report_request(
            actor=request.user,
            organization=viewer.organization,
            month=Month.parse(form.cleaned_data["month"]),
            house=form.cleaned_data["scope"],
            refresh=form.cleaned_data["refresh"],
        )
        if created:
            messages.success(request, f"{report} is being generated. It will be ready to download below.")
        else:
            messages.info(request, f"{report} is already up to date: nothing changed since it was made.")
        return redirect("reports")
    reports = Report.objects.visible_to(viewer).select_related("house", "organization", "requested_by")
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reports/reports_page.html", {"form": form, "page": page, "section": "reports"}, status=status
    )


@staff_required
@require_GET
def report_download(request, report_id):
    """The report's PDF; a report outside the viewer's scope does not exist for them."""
    return report_file(get_object_or_404(Report.objects.visible_to(request.viewer), pk=report_id))
