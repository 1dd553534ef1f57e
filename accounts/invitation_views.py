"""The page an invitation e-mail links to: the invitee accepts there, and only there.

A new login (no password yet) chooses a name and password and is signed in; an existing account signs in first
and then confirms. Anyone else signed in is refused, and a bad, expired or withdrawn link changes nothing.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from .exceptions import DomainError
from .invitation_links import InvitationLinkError, membership_for_token
from .invitations import invitation_accept
from .tenancy import SESSION_KEY


class InvitationSignUpForm(SetPasswordForm):
    """A new login's name and first password, checked by the site's password validators."""

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        help_text=_("As your house or organization knows you."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "new_password1", "new_password2"]


def _joined(request, membership):
    request.session[SESSION_KEY] = membership.organization_id
    messages.success(request, gettext("Welcome to %(organization)s.") % {"organization": membership.organization.name})
    return redirect("home")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    try:
        membership = membership_for_token(token)
    except InvitationLinkError as error:
        return render(request, "accounts/invitation_unusable.html", {"error": error}, status=error.status_code)
    invitee, signed_in = membership.user, request.user
    context = {"membership": membership, "organization": membership.organization}
    if signed_in.is_authenticated and signed_in.pk != invitee.pk:
        return render(request, "accounts/invitation_not_yours.html", context, status=403)
    if not membership.is_pending:
        if signed_in.is_authenticated:
            return redirect("home")
        return render(request, "accounts/invitation_accepted.html", context)
    if invitee.has_usable_password():
        if not signed_in.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.method == "POST":
            return _accept(request, membership, context)
        return render(request, "accounts/invitation_confirm.html", context)
    form = InvitationSignUpForm(invitee, request.POST or None, initial={"full_name": membership.invited_name})
    if request.method == "POST" and form.is_valid():
        response = _accept(
            request,
            membership,
            context,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["new_password1"],
        )
        if response.status_code == 302:
            login(request, invitee, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = membership.organization_id
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/invitation_sign_up.html", {**context, "form": form}, status=status)


def _accept(request, membership, context, **new_login):
    try:
        membership = invitation_accept(user=membership.user, membership=membership, **new_login)
    except DomainError as error:
        refusal = {"title": gettext("This invitation cannot be accepted"), "message": error.message}
        return render(request, "accounts/invitation_unusable.html", {"error": refusal}, status=error.status_code)
    return _joined(request, membership)
