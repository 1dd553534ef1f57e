"""Operator pages for each house's rent terms, deposit and late-fee rule, under /dashboard/settings/rent/."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.money import money_words
from accounts.pages import paginate
from accounts.views import operator_required
from houses.selectors import house_in_scope

from .forms import PolicyForm
from .models import HouseBillingPolicy
from .selectors.policies import houses_with_policies, policy_of, policy_words
from .services.policies import house_billing_policy_set


@operator_required
def rent_settings(request):
    currency = request.viewer.organization.currency
    page_obj = paginate(request, houses_with_policies(viewer=request.viewer))
    rows = []
    for house in page_obj.object_list:
        policy = policy_of(house)
        rows.append(
            {
                "house": house,
                "policy": policy,
                "words": policy_words(policy, currency) if policy else "",
                "alert": money_words(policy.owing_alert_above, currency) if policy else "",
            }
        )
    return render(request, "billing/rent_settings.html", {"section": "rent", "page_obj": page_obj, "rows": rows})


@operator_required
def rent_settings_edit(request, house_id: int):
    house = house_in_scope(request, house_id)
    policy = HouseBillingPolicy.objects.filter(house=house).select_related("updated_by").first()
    currency = request.viewer.organization.currency
    posted = request.method == "POST"
    form = PolicyForm(request.POST if posted else None, policy=policy, currency=currency)
    if posted and form.is_valid():
        if not form.changes():
            messages.success(request, _("Nothing changed in the rent terms of %(house)s.") % {"house": house.name})
            return redirect("billing-rent-settings")
        try:
            saved = house_billing_policy_set(actor=request.viewer, house=house, **form.terms())
        except ValidationError as error:
            form.add_error(None, error)  # keyed by the policy's field names, which are the form's
        else:
            messages.success(
                request,
                _("Rent terms of %(house)s saved: %(terms)s.")
                % {"house": house.name, "terms": policy_words(saved, currency)},
            )
            return redirect("billing-rent-settings")
    context = {
        "section": "rent",
        "house": house,
        "policy": policy,
        "words": policy_words(policy, currency) if policy else "",
        "form": form,
    }
    return render(request, "billing/rent_settings_form.html", context, status=400 if posted else 200)
