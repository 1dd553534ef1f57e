"""Monthly audits: the comptroller prepares one against the bank statement, the members named sign it off; each
audit as PDF. Unreconciled months are listed until an audit reconciles them and is signed off."""

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
from peer.models import BankEntry, Office
from peer.selectors.access import audits_for
from peer.selectors.money import is_signed_off, unreconciled_months
from peer.services import money
from peer.views.common import member_page, members, render_house


def _audit_form(request, member, data=None):
    house = member.house
    last_month = house.organization.today().replace(day=1) - relativedelta(months=1)
    open_entries = BankEntry.objects.filter(house=house, cleared_in__isnull=True).order_by("entry_on", "pk")
    return forms.AuditForm(data, members=members(request), entries=open_entries, initial={"month": last_month})


def _audits_page(request, member, *, form=None, status=200):
    house = member.house
    audits = list(audits_for(viewer=request.viewer).filter(house=house)[:12])
    context = {
        "audits": [(audit, is_signed_off(audit), member.resident in audit.auditors.all()) for audit in audits],
        "unreconciled": unreconciled_months(house, today=house.organization.today()),
        "form": form or _audit_form(request, member),
        "may_prepare": member.holds(Office.COMPTROLLER),
    }
    return render_house(request, "peer/audits.html", member, "audits", context, status=status)


@member_page
def house_audits(request, member):
    if request.method != "POST":
        return _audits_page(request, member)
    form = _audit_form(request, member, request.POST)
    if form.is_valid():
        try:
            audit = money.audit_prepare(actor=request.viewer, house=member.house, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            if audit.is_reconciled:
                messages.success(request, _("Audit prepared: the month reconciles. The members named sign it off."))
            else:
                messages.warning(
                    request, _("Audit prepared with a difference of %(difference)s.") % {"difference": audit.difference}
                )
            return redirect("peer-audits")
    return _audits_page(request, member, form=form, status=400)


@require_POST
@member_page
def audit_sign(request, member, audit_id):
    audit = get_object_or_404(audits_for(viewer=request.viewer).filter(house=member.house), pk=audit_id)
    try:
        money.audit_sign(actor=request.viewer, audit=audit)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return _audits_page(request, member, status=400)
    messages.success(request, _("You signed the audit of %(month)s.") % {"month": audit.month.strftime("%B %Y")})
    return redirect("peer-audits")


@require_safe
@member_page
def audit_pdf(request, member, audit_id):
    audit = get_object_or_404(audits_for(viewer=request.viewer).filter(house=member.house), pk=audit_id)
    end = audit.month + relativedelta(months=1)
    # Not yet at the bank when audited: in the register by the month's end, not cleared by this or an earlier audit.
    entries = BankEntry.objects.filter(house=audit.house, entry_on__lt=end)
    uncleared = entries.exclude(cleared_in__isnull=False, cleared_in__month__lte=audit.month).order_by("entry_on")
    context = {
        "house": audit.house,
        "audit": audit,
        "signed_off": is_signed_off(audit),
        "cleared": audit.cleared_entries.order_by("entry_on", "pk"),
        "uncleared": uncleared,
    }
    filename = f"audit-{audit.house_id}-{audit.month:%Y-%m}.pdf"
    return pdf_response("peer/pdf/audit.html", context, request=request, filename=filename)
