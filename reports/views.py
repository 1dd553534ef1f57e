from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.queue import DEFERRED_MESSAGE, is_deferred
from accounts.views import operator_required, staff_required
from houses.models import House

from . import services
from .downloads import report_file
from .metrics import Month, reportable
from .models import Report
from .selectors import month_closes_for, reports_for

# Houses the report form lists to choose from; an organization with more has the house typed by name.
HOUSES_IN_A_LIST = 60


class ReportRequestForm(forms.Form):
    month = forms.ChoiceField(help_text=_("A finished month, or the current one so far"))
    scope = forms.ChoiceField(label=_("For"), required=False, help_text=_("The whole organization, or one house"))
    refresh = forms.BooleanField(required=False, label=_("Make a new copy even if nothing changed"))
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=Report.Audience.choices,
        initial=Report.Audience.INTERNAL,
        help_text=_("A funder copy names no resident and shows counts of people under 5 as “<5”"),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        today = viewer.organization.today()
        this_month = Month.of(today)
        # The current month is offered to date once a night of it is over; a month to come never is.
        month = this_month if today > this_month.first else this_month.previous()
        months = []
        for _step in range(13):
            label = _("%(month)s (to date)") % {"month": month.label} if month == this_month else month.label
            months.append((str(month), label))
            month = month.previous()
        self.fields["month"].choices = months
        self.fields["month"].initial = str(this_month.previous())
        self.visible = House.objects.visible_to(viewer)
        # A list of thousands of houses is no way to pick one (and weighs the page down): past a screenful the
        # house is typed by name.
        houses = list(self.visible.order_by("name")[: HOUSES_IN_A_LIST + 1])
        self.typed = len(houses) > HOUSES_IN_A_LIST
        if self.typed:
            self.fields["scope"] = forms.CharField(
                label=_("For"),
                required=not viewer.is_operator,
                max_length=200,
                help_text=_("A house's name; leave it empty for the whole organization")
                if viewer.is_operator
                else _("One of your houses, by name"),
            )
            return
        self.houses = {str(house.pk): house for house in houses}
        scopes = [("", _("All houses (organization report)"))] if viewer.is_operator else []
        self.fields["scope"].choices = scopes + [(pk, house.name) for pk, house in self.houses.items()]

    def clean_scope(self):
        value = self.cleaned_data["scope"].strip() if self.typed else self.cleaned_data["scope"]
        if not value:
            return None
        if not self.typed:
            return self.houses.get(value)
        house = self.visible.filter(name__iexact=value).order_by("name").first()
        if house is None:
            raise forms.ValidationError(_("No house of yours is called “%(name)s”.") % {"name": value})
        return house


@staff_required
def reports_page(request):
    """Operators (and managers, for their houses) generate and download monthly reports, with live progress."""
    viewer = request.viewer
    form = ReportRequestForm(request.POST or None, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        report, created = services.report_request(
            actor=viewer,
            organization=viewer.organization,
            month=reportable(organization=viewer.organization, month=Month.parse(form.cleaned_data["month"])),
            house=form.cleaned_data["scope"],
            refresh=form.cleaned_data["refresh"],
            audience=form.cleaned_data["audience"],
        )
        if created and is_deferred(services.generate_report, report.pk):
            # The broker (Redis) is unreachable: the report waits, kept, for the worker (accounts.queue).
            messages.warning(
                request, _("%(report)s is asked for. %(deferred)s") % {"report": report, "deferred": DEFERRED_MESSAGE}
            )
        elif created:
            messages.success(
                request, _("%(report)s is being generated. It will be ready to download below.") % {"report": report}
            )
        elif services.close_in_force(organization=viewer.organization, month=Month.of(report.month)):
            messages.info(
                request,
                _("%(report)s is the stored report of a closed month: it is not made again.") % {"report": report},
            )
        else:
            messages.info(
                request, _("%(report)s is already up to date: nothing changed since it was made.") % {"report": report}
            )
        return redirect("reports")
    return _reports_page(request, form=form, status=400 if request.method == "POST" else 200)


def _reports_page(request, *, form=None, close_form=None, reopen_form=None, status=200):
    viewer = request.viewer
    reports = reports_for(viewer=viewer)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    context = {"form": form or ReportRequestForm(viewer=viewer), "page": page, "section": "reports"}
    if viewer.is_operator:
        closes = list(month_closes_for(viewer=viewer)[:24])
        latest = next((close for close in closes if close.reopened_at is None), None)
        context.update(
            closes=closes,
            latest_close=latest,
            close_form=close_form or MonthCloseForm(viewer=viewer),
            reopen_form=reopen_form or (MonthReopenForm(initial={"close": latest.pk}) if latest else None),
        )
    return render(request, "reports/reports_page.html", context, status=status)


class MonthCloseForm(forms.Form):
    prefix = "close"  # the page's report form has a month field too
    month = forms.ChoiceField(label=_("Month to close"), help_text=_("Months close in order, once they are over"))

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        organization = viewer.organization
        following = services.month_to_close(organization=organization)
        months = []
        if following is not None:
            months.append(following)
            if services.closed_through(organization.pk) is None:
                # Before the first close any month that is over may start the run (earlier ones close with it).
                for _step in range(12):
                    months.append(months[-1].previous())
        self.fields["month"].choices = [(str(month), month.label) for month in months]


class MonthReopenForm(forms.Form):
    prefix = "reopen"
    close = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=300, label=_("Why reopen it"), help_text=_("Kept in the audit log"))


@operator_required
@require_POST
def month_close(request):
    """An operator closes the next month; its organization report is made once and stored."""
    viewer = request.viewer
    form = MonthCloseForm(request.POST, viewer=viewer)
    if form.is_valid():
        try:
            close = services.month_close(
                actor=viewer, organization=viewer.organization, month=Month.parse(form.cleaned_data["month"]),
                request=request,
            )  # fmt: skip
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(month)s is closed: nothing can be dated into it now, and corrections go into the first open "
                    "month. Its report is being made once and stored."
                )
                % {"month": Month.of(close.month).label},
            )
            return redirect("reports")
    return _reports_page(request, close_form=form, status=400)


@operator_required
@require_POST
def month_reopen(request):
    """An operator reopens the latest closed month, saying why; its stored reports are marked superseded."""
    viewer = request.viewer
    form = MonthReopenForm(request.POST)
    if form.is_valid():
        close = get_object_or_404(month_closes_for(viewer=viewer), pk=form.cleaned_data["close"])
        try:
            close = services.month_reopen(
                actor=viewer, close=close, reason=form.cleaned_data["reason"], request=request
            )
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _("%(month)s is open again. Its stored report is marked superseded.")
                % {"month": Month.of(close.month).label},
            )
            return redirect("reports")
    return _reports_page(request, reopen_form=form, status=400)


@staff_required
@require_GET
def report_download(request, report_id):
    """The report's PDF; a report outside the viewer's scope does not exist for them."""
    return report_file(get_object_or_404(reports_for(viewer=request.viewer), pk=report_id))
