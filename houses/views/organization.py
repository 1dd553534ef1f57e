"""Operator page for the organization's settings: name, time zone, currency."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.exceptions import DomainError
from accounts.models import Organization
from accounts.pages import refuse
from accounts.services import organization_update
from accounts.views import operator_required
from houses.forms import OrganizationForm


@operator_required
def organization_settings(request):
    # The form edits a fresh copy, so the header keeps the saved name while the form shows what was typed.
    organization = Organization.objects.get(pk=request.viewer.organization_id)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            organization_update(actor=request.viewer, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Organization settings saved."))
            return redirect("organization-settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "houses/organization_settings.html", {"section": "settings", "form": form}, status=status)
