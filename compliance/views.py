"""Certification pages: the house's rule-by-rule page, the inspection form, the organization overview.

Views are thin: forms parse, services decide, selectors read. A refused action re-renders the page with the
message beside the field (status 400) and changes nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exceptions import DomainError, NotAllowed
from accounts.pages import refuse
from accounts.views import operator_required, staff_required
from houses.selectors import house_in_scope

from .downloads import document_file_response, evidence_pack_response
from .evidence.registry import BADGES, STATUS_LABELS
from .forms import DocumentUploadForm, DrillForm, EvidencePackForm, FixForm, InspectionLineForm
from .models import CorrectiveAction, Inspection, InspectionLine
from .selectors.certification import certification_overview, certification_status
from .selectors.documents import documents_for
from .selectors.safety import corrective_actions_for, drills_for, equipment_for, inspections_for, safety_policy_for
from .services import documents as document_services
from .services import drills as drill_services
from .services import inspections as inspection_services


def _render_house(request, house, *, upload_form=None, drill_form=None, fix_forms=None, status=200):
    viewer = request.viewer
    certification = certification_status(viewer=viewer, house=house)
    open_actions = list(corrective_actions_for(viewer=viewer, house=house).open().order_by("due_on", "pk"))
    fix_forms = fix_forms or {}
    documents = list(documents_for(viewer=viewer, house=house, current_only=True).order_by("kind", "title"))
    context = {
        "house": house,
        "certification": certification,
        "rules": certification.rules,
        "summary": [(STATUS_LABELS[key], BADGES[key], count) for key, count in certification.summary.items()],
        "policy": safety_policy_for(house),
        "documents": documents,
        "inspections": inspections_for(viewer=viewer, house=house).order_by("-inspected_on", "-pk")[:6],
        "running": Inspection.objects.in_progress().filter(house=house).first(),
        "drills": drills_for(viewer=viewer, house=house).order_by("-held_at", "-pk")[:4],
        "equipment": equipment_for(viewer=viewer, house=house).active().order_by("kind", "location", "pk"),
        "open_actions": [
            (action, fix_forms.get(action.pk) or FixForm(prefix=f"fix-{action.pk}")) for action in open_actions
        ],
        "today": house.organization.today(),
        "pack_form": EvidencePackForm(),
        "upload_form": upload_form or DocumentUploadForm(can_file_organization_wide=viewer.is_operator),
        "drill_form": drill_form
        or DrillForm(initial={"held_at": timezone.localtime(timezone.now(), house.organization.tzinfo)}),
    }
    with timezone.override(house.organization.tzinfo):  # times on the page are the house's clock
        return render(request, "compliance/house_certification.html", context, status=status)


@staff_required
@require_GET
def house_certification(request, house_id):
    return _render_house(request, house_in_scope(request, house_id))


@staff_required
@require_POST
def document_upload(request, house_id):
    house = house_in_scope(request, house_id)
    form = DocumentUploadForm(request.POST, request.FILES, can_file_organization_wide=request.viewer.is_operator)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = document_services.document_upload(
                actor=request.viewer,
                house=None if data.get("organization_wide") else house,
                kind=data["kind"], title=data["title"], file=data["file"],
                issued_on=data["issued_on"], expires_on=data["expires_on"],
            )  # fmt: skip
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Filed “%(document)s”.") % {"document": document.title})
            return redirect("compliance:house-certification", house_id=house.pk)
    return _render_house(request, house, upload_form=form, status=400)


@staff_required
@require_GET
def document_download(request, document_id):
    document = get_object_or_404(documents_for(viewer=request.viewer), pk=document_id)
    return document_file_response(viewer=request.viewer, document=document)


@staff_required
@require_GET
def evidence_pack(request, house_id):
    house = house_in_scope(request, house_id)
    form = EvidencePackForm(request.GET)
    with_documents = form.is_valid() and form.cleaned_data["documents"]
    return evidence_pack_response(
        viewer=request.viewer, house=house, base_url=request.build_absolute_uri("/"),
        with_documents=with_documents,
    )  # fmt: skip


@staff_required
@require_POST
def drill_create(request, house_id):
    house = house_in_scope(request, house_id)
    form = DrillForm(request.POST)
    with timezone.override(house.organization.tzinfo):  # the time typed is the house's clock
        valid = form.is_valid()
    if valid:
        try:
            drill_services.drill_log(actor=request.viewer, house=house, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Drill logged."))
            return redirect("compliance:house-certification", house_id=house.pk)
    return _render_house(request, house, drill_form=form, status=400)


@staff_required
@require_POST
def corrective_action_fix(request, house_id, action_id):
    house = house_in_scope(request, house_id)
    action = get_object_or_404(corrective_actions_for(viewer=request.viewer, house=house), pk=action_id)
    form = FixForm(request.POST, prefix=f"fix-{action.pk}")
    if form.is_valid():
        try:
            inspection_services.corrective_action_fix(actor=request.viewer, action=action, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Fix recorded."))
            return redirect("compliance:house-certification", house_id=house.pk)
    return _render_house(request, house, fix_forms={action.pk: form}, status=400)


@staff_required
@require_POST
def inspection_start(request, house_id):
    house = house_in_scope(request, house_id)
    try:
        inspection = inspection_services.inspection_start(actor=request.viewer, house=house)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        running = Inspection.objects.in_progress().filter(house=house).first()
        if running is not None:
            return redirect("compliance:inspection", house_id=house.pk, inspection_id=running.pk)
        return redirect("compliance:house-certification", house_id=house.pk)
    return redirect("compliance:inspection", house_id=house.pk, inspection_id=inspection.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def inspection_form(request, house_id, inspection_id):
    """The walk-through checklist: one column, a pass/fail choice and a note per line, equipment facts where they
    apply. Saving records every answered line at once (or none, if any is refused); "Complete" also closes it."""
    house = house_in_scope(request, house_id)
    inspection = get_object_or_404(Inspection.objects.visible_to(request.viewer).filter(house=house), pk=inspection_id)
    lines = list(
        InspectionLine.objects.filter(inspection=inspection).select_related("room", "equipment").order_by("position")
    )
    status, form_error = 200, ""
    if request.method == "POST":
        if not inspection.is_open:
            messages.error(request, _("This inspection is completed; its answers can no longer change."))
            return redirect("compliance:inspection", house_id=house.pk, inspection_id=inspection.pk)
        forms = [InspectionLineForm(request.POST, line=line) for line in lines]
        saved = _record_answers(request, inspection, forms)
        if saved and "complete" in request.POST:
            try:
                inspection_services.inspection_complete(actor=request.viewer, inspection=inspection)
            except NotAllowed as error:
                raise PermissionDenied(error.message) from error
            except DomainError as error:
                form_error = error.message
            else:
                messages.success(request, _("Inspection of %(house)s completed.") % {"house": house.name})
                return redirect("compliance:house-certification", house_id=house.pk)
        elif saved:
            messages.success(request, _("Answers saved."))
            return redirect(reverse("compliance:inspection", args=[house.pk, inspection.pk]) + "#lines")
        if not saved:
            form_error = _("Nothing was saved: put right the answers marked below.")
        status = 400
        if saved:
            # Answers were saved but completing was refused: show the saved state with the reason.
            lines = list(
                InspectionLine.objects.filter(inspection=inspection)
                .select_related("room", "equipment")
                .order_by("position")
            )
            forms = [InspectionLineForm(line=line) for line in lines]
    else:
        forms = [InspectionLineForm(line=line) for line in lines]
    answered = sum(1 for line in lines if line.result)
    context = {
        "house": house,
        "inspection": inspection,
        "forms": forms,
        "answered": answered,
        "total": len(lines),
        "form_error": form_error,
        "actions": CorrectiveAction.objects.filter(inspection=inspection).select_related("line"),
    }
    with timezone.override(house.organization.tzinfo):
        return render(request, "compliance/inspection_form.html", context, status=status)


def _record_answers(request, inspection, forms) -> bool:
    """Records every answered line, all or nothing; marks each refused line's form with the reason."""
    ok = True
    with transaction.atomic():
        for form in forms:
            if not form.is_valid():
                ok = False
                continue
            data = form.cleaned_data
            if not data.get("result"):
                if data.get("note") or form.observed():
                    form.add_error("result", _("Choose pass or fail for this line."))
                    ok = False
                continue
            try:
                with transaction.atomic():
                    inspection_services.inspection_line_record(
                        actor=request.viewer, line=form.line, result=data["result"], note=data.get("note", ""),
                        due_on=data.get("due_on"), **form.observed(),
                    )  # fmt: skip
            except DomainError as error:
                refuse(form, error)
                ok = False
        if not ok:
            transaction.set_rollback(True)
    return ok


@operator_required
@require_GET
def organization_overview(request):
    """Rules down, houses across (so any number of rules fits a laptop screen; many houses scroll sideways inside
    the table): each cell the rule's status for the house, a badge with its label linking to the house's evidence."""
    overview = certification_overview(viewer=request.viewer)
    with timezone.override(request.viewer.organization.tzinfo):
        return render(request, "compliance/overview.html", {"overview": overview})
