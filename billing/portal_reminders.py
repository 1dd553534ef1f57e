"""The resident's rent reminder setting in the portal: reminders by e-mail on or off (receipts always come)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.views import resident_required

from .models import ReminderOptOut
from .services.rent_notices import address_of, reminders_set


class RemindersForm(forms.Form):
    wanted = forms.BooleanField(
        label=gettext_lazy("E-mail me rent reminders"),
        required=False,
        help_text=gettext_lazy(
            "A few days before rent is due, on the due date if it is still open, and if it becomes late."
        ),
    )


@resident_required
def reminders(request):
    """Shows whether the resident gets rent reminders and lets them turn them on or off."""
    resident = request.viewer.resident
    wanted = not ReminderOptOut.objects.filter(resident=resident).exists()
    form = RemindersForm(request.POST or None, initial={"wanted": wanted})
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["wanted"]
        reminders_set(resident=resident, wanted=wanted)
        messages.success(
            request,
            _("Rent reminders are on.")
            if wanted
            else _("Rent reminders are off. Receipts for your payments still come."),
        )
        return redirect("portal-reminders")
    context = {"form": form, "wanted": wanted, "email": address_of(resident), "section": "pay"}
    return render(request, "billing/portal_reminders.html", context, status=400 if form.errors else 200)
