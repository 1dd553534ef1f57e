from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Role
from .tenancy import SESSION_KEY, memberships_of


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail and password do not match an account. Check them and try again.",
    }
    username = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


def role_required(*roles):
    """Page decorator: logged in, acting within an organization, in one of ``roles``; otherwise 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.viewer:
                return render(request, "accounts/no_membership.html", status=403)
            if request.viewer.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(Role.OPERATOR, Role.MANAGER)
operator_required = role_required(Role.OPERATOR)
resident_required = role_required(Role.RESIDENT)


@login_required
def home(request):
    """Each role lands on its own page: staff on the dashboard, residents on the portal."""
    if not request.viewer:
        return render(request, "accounts/no_membership.html", status=403)
    if request.viewer.is_resident:
        return redirect("portal")
    return redirect("dashboard")


@login_required
@require_POST
def switch_organization(request):
    organization_id = request.POST.get("organization", "")
    membership = (
        memberships_of(request.user).filter(organization_id=organization_id).first()
        if organization_id.isdigit()
        else None
    )
    if membership is None:
        messages.error(request, "You are not a member of that organization.")
    else:
        request.session[SESSION_KEY] = membership.organization_id
        messages.success(request, f"Now working in {membership.organization.name}.")
    next_url = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    return redirect(next_url if membership is None else reverse("home"))


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)
