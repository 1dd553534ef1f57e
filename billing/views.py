"""Billing pages: printable receipts and resident statements, each also as a PDF."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import translation

from accounts.models import Role
from accounts.views import role_required
from residents.models import Resident

from .forms import StatementForm, default_statement_range
from .pdf import pdf_response
from .selectors.ledger import payments_for, statement

member_required = role_required(Role.OPERATOR, Role.MANAGER, Role.RESIDENT)


def _payment(request, pk):
    # Staff of the house where it was received, or the resident who paid; anyone else gets a 404.
    queryset = payments_for(viewer=request.viewer).select_related("stay", "entry")
    return get_object_or_404(queryset, pk=pk, receipt_number__isnull=False)


def copy_language(request, resident: Resident) -> str:
    """The language of a PDF: a resident's own copy is in the resident's language; staff get theirs (the active
    language) unless they ask for another with ``?language=es`` (the ledger page's "Spanish copy")."""
    if request.viewer.is_resident:
        return resident.preferred_language or settings.LANGUAGE_CODE
    asked = request.GET.get("language", "")
    if asked in dict(settings.LANGUAGES):
        return asked
    return translation.get_language() or settings.LANGUAGE_CODE


@member_required
def receipt(request, pk: int):
    payment = _payment(request, pk)
    return render(request, "billing/receipt.html", {"payment": payment, "currency": payment.organization.currency})


@member_required
def receipt_pdf(request, pk: int):
    payment = _payment(request, pk)
    filename = f"receipt-{payment.receipt_number}.pdf"
    context = {"payment": payment, "currency": payment.organization.currency}
    with translation.override(copy_language(request, payment.resident)):
        return pdf_response("billing/receipt_pdf.html", context, filename=filename, request=request)


def _statement_context(request):
    viewer = request.viewer
    start, end = default_statement_range(viewer.organization.today())
    form = StatementForm(request.GET or None, initial={"start": start, "end": end})
    if request.GET and not form.is_valid():
        return {"form": form, "statement": None}
    data = form.cleaned_data if request.GET else {"start": start, "end": end, "resident": None}
    resident_id = data.get("resident")
    if viewer.is_resident:
        resident = Resident.objects.filter(membership=viewer).select_related("organization").first()
        if resident is None or (resident_id and resident_id != resident.pk):
            raise Http404
    else:
        if not resident_id:
            raise Http404
        resident = get_object_or_404(Resident.objects.visible_to(viewer).select_related("organization"), pk=resident_id)
    if not request.GET:
        form = StatementForm(initial={"start": start, "end": end, "resident": resident.pk})
    return {
        "form": form,
        "statement": statement(resident=resident, start=data["start"], end=data["end"]),
        "currency": resident.organization.currency,
    }


@member_required
def statement_page(request):
    context = _statement_context(request)
    return render(request, "billing/statement.html", context, status=200 if context["statement"] else 400)


@member_required
def statement_pdf(request):
    context = _statement_context(request)
    result = context["statement"]
    if result is None:
        return render(request, "billing/statement.html", context, status=400)
    filename = f"statement-{result.resident.pk}-{result.start:%Y%m%d}-{result.end:%Y%m%d}.pdf"
    with translation.override(copy_language(request, result.resident)):
        return pdf_response("billing/statement_pdf.html", context, filename=filename, request=request)
