"""The house's money page: the register with its running balance, bills, standing expenses and the share, and each
member's balance; the treasurer's and comptroller's forms beside what they keep; the treasurer report as PDF."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.exceptions import DomainError
from accounts.pages import refuse
from billing.pdf import pdf_response
from peer import forms
from peer.models import ExpectedExpense, HouseBill, ShareRate
from peer.selectors.access import bills_for, expected_expenses_for, members_for, share_payments_for
from peer.selectors.money import member_ledger, register_balance, register_lines, shares_in_month, weekly_ledger
from peer.services import money
from peer.views.common import member_page, members, render_house
from peer.views.house import house_overview

FORMS = ("payment", "bill", "entry", "expense", "share")


def _forms(request, member, bound: dict) -> dict:
    house = member.house
    today = house.organization.today()
    house_members = members(request)
    unpaid = HouseBill.objects.filter(house=house, checks__isnull=True).order_by("due_on")
    made = {
        "payment": lambda: forms.SharePaymentForm(members=house_members, initial={"received_on": today}),
        "bill": lambda: forms.BillForm(initial={"received_on": today, "due_on": today}),
        "entry": lambda: forms.BankEntryForm(members=house_members, bills=unpaid, initial={"entry_on": today}),
        "expense": lambda: forms.ExpenseForm(),
        "share": lambda: forms.ShareForm(initial={"starts_on": today}),
    }
    return {name: bound.get(name) or make() for name, make in made.items()}


def month_start(today: date) -> date:
    return today.replace(day=1)


def _money_page(request, member, *, bound=None, status=200):
    house = member.house
    today = house.organization.today()
    first = month_start(today) - relativedelta(months=1)
    context = {
        **house_overview(house),
        "lines": register_lines(house, first=first, end=today + relativedelta(days=1)),
        "register_from": first,
        "bills": bills_for(viewer=request.viewer).filter(house=house).prefetch_related("checks")[:10],
        "expenses": expected_expenses_for(viewer=request.viewer).filter(house=house, is_active=True),
        "weekly_expenses": money.weekly_expenses(house),
        "rates": ShareRate.objects.filter(house=house)[:5],
        "payments": share_payments_for(viewer=request.viewer).filter(house=house).select_related("resident")[:10],
        "forms": _forms(request, member, bound or {}),
        "months": [month_start(today) - relativedelta(months=n) for n in range(1, 7)],
        "weekly": weekly_ledger(house, today=today),
    }
    return render_house(request, "peer/money.html", member, "money", context, status=status)


@require_safe
@member_page
def house_money(request, member):
    return _money_page(request, member)


def _act(request, member, name, form, act, done):
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, done)
            return redirect("peer-money")
    return _money_page(request, member, bound={name: form}, status=400)


@require_POST
@member_page
def money_payment(request, member):
    form = forms.SharePaymentForm(request.POST, members=members(request))

    def record(data):
        payment = money.share_payment_record(actor=request.viewer, **data)
        messages.info(request, _("Receipt no. %(number)s.") % {"number": payment.receipt_number})

    return _act(request, member, "payment", form, record, _("Share payment recorded."))


@require_POST
@member_page
def money_bill(request, member):
    form = forms.BillForm(request.POST)
    return _act(
        request,
        member,
        "bill",
        form,
        lambda data: money.bill_record(actor=request.viewer, house=member.house, **data),
        _("Bill recorded."),
    )


@require_POST
@member_page
def money_entry(request, member):
    unpaid = HouseBill.objects.filter(house=member.house)
    form = forms.BankEntryForm(request.POST, members=members(request), bills=unpaid)

    def record(data):
        fields = {key: value for key, value in data.items() if value not in (None, "")}
        money.bank_entry_record(actor=request.viewer, house=member.house, **fields)

    return _act(request, member, "entry", form, record, _("Entry written in the register."))


@require_POST
@member_page
def money_expense(request, member):
    form = forms.ExpenseForm(request.POST)
    return _act(
        request,
        member,
        "expense",
        form,
        lambda data: money.expected_expense_add(actor=request.viewer, house=member.house, **data),
        _("Expense added. Set the share again for it to count."),
    )


@require_POST
@member_page
def money_expense_end(request, member, expense_id):
    expense = get_object_or_404(expected_expenses_for(viewer=request.viewer).filter(house=member.house), pk=expense_id)
    try:
        money.expected_expense_end(actor=request.viewer, expense=expense)
    except DomainError as error:
        raise PermissionDenied(error.message) from error
    messages.success(request, _("%(payee)s no longer counts toward the share.") % {"payee": expense.payee})
    return redirect("peer-money")


@require_POST
@member_page
def money_share(request, member):
    form = forms.ShareForm(request.POST)

    def set_share(data):
        rate = money.share_set(actor=request.viewer, house=member.house, starts_on=data["starts_on"])
        messages.info(request, _("Each member's share is now %(amount)s a week.") % {"amount": rate.amount})

    return _act(request, member, "share", form, set_share, _("Share set."))


@require_safe
@member_page
def treasurer_report_pdf(request, member, year, month):
    try:
        first = date(year, month, 1)
    except ValueError:
        raise Http404 from None
    house = member.house
    end = first + relativedelta(months=1)
    if end > house.organization.today() + relativedelta(months=1):
        raise Http404
    context = {
        "house": house,
        "month": first,
        "lines": register_lines(house, first=first, end=end),
        "opening": register_balance(house, before=first),
        "shares": shares_in_month(house, month=first),
        "bills": HouseBill.objects.filter(house=house, received_on__gte=first, received_on__lt=end),
        "expenses": ExpectedExpense.objects.filter(house=house, is_active=True),
        "weekly_expenses": money.weekly_expenses(house),
    }
    context["closing"] = context["lines"][-1].balance if context["lines"] else context["opening"]
    return pdf_response(
        "peer/pdf/treasurer_report.html",
        context,
        request=request,
        filename=f"treasurer-report-{house.pk}-{first:%Y-%m}.pdf",
    )


@require_safe
@member_page
def member_ledger_page(request, member, resident_id):
    """A member's individual ledger: every member of the house may read it (the house's finances are everyone's)."""
    resident = get_object_or_404(members_for(viewer=request.viewer), pk=resident_id)
    context = {"owner": resident, "entries": member_ledger(member.house, resident.pk)}
    return render_house(request, "peer/member_ledger.html", member, "money", context)
