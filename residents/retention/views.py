"""The Archive page (operators only): what the retention policy makes due, the archive it goes to, each resident's
archived records and their restoring. Managers and residents get 403; another organization's resident is a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.exceptions import DomainError
from accounts.pages import paginate, refuse
from accounts.views import operator_required
from residents.retention import selectors, services
from residents.retention.forms import ArchiveDueForm


def _counted(counts: services.Counts) -> str:
    return ", ".join(
        [
            ngettext("%(n)s drug test", "%(n)s drug tests", counts.drug_tests) % {"n": counts.drug_tests},
            ngettext("%(n)s incident", "%(n)s incidents", counts.incidents) % {"n": counts.incidents},
            ngettext("%(n)s note", "%(n)s notes", counts.notes) % {"n": counts.notes},
        ]
    )


def _archive_page(request, *, form=None, status=200):
    viewer = request.viewer
    organization = viewer.organization
    context = {
        "section": "archive",
        "years": organization.sensitive_records_kept_years,
        "today": organization.today(),
        "due": selectors.due_for_archiving(organization=organization),
        "page_obj": paginate(request, selectors.archive_by_resident(viewer=viewer)),
        "form": form or ArchiveDueForm(),
    }
    with timezone.override(organization.tzinfo):
        return render(request, "residents/retention/archive.html", context, status=status)


@operator_required
@require_safe
def archive(request):
    return _archive_page(request)


@operator_required
@require_POST
def archive_due(request):
    form = ArchiveDueForm(request.POST)
    if form.is_valid():
        try:
            counts = services.archive_due(actor=request.viewer)
        except DomainError as error:
            refuse(form, error)
        else:
            if counts.total:
                messages.success(
                    request, _("Archived %(counted)s. Restore any of them below.") % {"counted": _counted(counts)}
                )
            else:
                messages.info(request, _("Nothing was due for archiving."))
            return redirect("archive")
    return _archive_page(request, form=form, status=400)


def _resident(request, resident_id):
    resident = selectors.archived_resident(viewer=request.viewer, resident_id=resident_id)
    if resident is None:
        raise Http404("No such resident.")
    return resident


@operator_required
@require_safe
def archived_resident(request, resident_id):
    resident = _resident(request, resident_id)
    records = selectors.archived_records(viewer=request.viewer, resident=resident)
    context = {
        "section": "archive",
        "resident": resident,
        "drug_tests": list(records["drug_tests"]),
        "incidents": list(records["incidents"]),
        "notes": list(records["notes"]),
    }
    with timezone.override(request.viewer.organization.tzinfo):
        return render(request, "residents/retention/archived_resident.html", context)


@operator_required
@require_POST
def archive_restore(request, resident_id):
    resident = _resident(request, resident_id)
    counts = services.archive_restore(actor=request.viewer, resident=resident)
    if counts.total:
        messages.success(
            request,
            _("Restored %(counted)s of %(resident)s: back on staff pages and in the API.")
            % {"counted": _counted(counts), "resident": resident},
        )
    else:
        messages.info(request, _("Nothing of %(resident)s is archived.") % {"resident": resident})
    return redirect("archive")
