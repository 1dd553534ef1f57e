import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from ..exceptions import DomainError
from . import services

QR_TITLE = gettext_lazy("QR code for your authenticator app")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        help_text=gettext_lazy("The six-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=16,
        help_text=gettext_lazy("The six digits the app shows for Hearth, to check it is set up right."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TurnOffForm(forms.Form):
    password_or_code = forms.CharField(
        label=gettext_lazy("Your password or a current code"),
        strip=False,
        help_text=gettext_lazy(
            "To check it is you: your password, or the six-digit code your authenticator app shows now."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _requiring_organization(request):
    """The organization the user acts in, when it requires two-factor of them (staff) — named on the pages."""
    viewer = request.viewer
    if viewer and viewer.role in services.STAFF_ROLES and viewer.organization.require_staff_two_factor:
        return viewer.organization
    return None


@login_required
def security(request):
    """Account security: whether two-factor is on, setting it up, recovery codes, turning it off."""
    return _security_page(request)


def _security_page(request, turn_off_form=None, recovery_form=None, status=200):
    user = request.user
    enrolled = services.has_two_factor(user)
    context = {
        "enrolled": enrolled,
        "codes_left": services.recovery_codes_left(user) if enrolled else 0,
        "required_by": _requiring_organization(request),
        "turn_off_form": turn_off_form or TurnOffForm(),
        "recovery_form": recovery_form or TurnOffForm(prefix="recovery"),
    }
    return render(request, "accounts/security.html", context, status=status)


@login_required
@require_POST
def setup_start(request):
    """Makes the key the authenticator app will hold (a POST: a page load or a crawler creates nothing)."""
    try:
        services.setup_start(user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("account-security")
    return redirect("account-security-setup")


@login_required
def setup(request):
    """Setting up an authenticator app: scan the QR code (or type the key), then confirm with a first code."""
    user = request.user
    device = services.setup_pending(user)
    if device is None or services.has_two_factor(user):
        return redirect("account-security")
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.setup_confirm(user=user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            otp_login(request, device)
            request.session[services.SESSION_KEY] = True
            request.session.cycle_key()
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "just_set_up": True})
    context = {
        "form": form,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, title=str(QR_TITLE)),
        "secret": services.secret_for_display(device),
        "required_by": _requiring_organization(request),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes, shown this once; the old ones stop working."""
    form = TurnOffForm(request.POST, prefix="recovery")
    if form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(
                user=request.user, password_or_code=form.cleaned_data["password_or_code"]
            )
        except DomainError as error:
            form.add_error("password_or_code", error.message)
        else:
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    return _security_page(request, recovery_form=form, status=400)


@login_required
@require_POST
def turn_off(request):
    form = TurnOffForm(request.POST)
    if form.is_valid():
        try:
            services.two_factor_disable(user=request.user, password_or_code=form.cleaned_data["password_or_code"])
        except DomainError as error:
            form.add_error("password_or_code", error.message)
    if form.errors:
        return _security_page(request, turn_off_form=form, status=400)
    request.session[services.SESSION_KEY] = False
    organization = _requiring_organization(request)
    if organization:
        messages.warning(
            request,
            _(
                "Two-factor sign-in is off. %(organization)s requires it for operators and managers, "
                "so set up an authenticator app again now."
            )
            % {"organization": organization.name},
        )
    else:
        messages.success(request, _("Two-factor sign-in is off. Your password alone now signs you in."))
    return redirect("account-security")


@login_required
def verify(request):
    """The sign-in's second step, for an account with an authenticator app."""
    done = _safe_next(request, reverse("home"))
    if not services.session_pending(request):
        return redirect(done)
    if not services.has_two_factor(request.user):
        # Turned off from another session since this one signed in.
        request.session[services.SESSION_KEY] = False
        return redirect(done)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.code_verify(user=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id for the now fully signed-in session
            if isinstance(device, StaticDevice):
                left = services.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code, which is now used up; %(left)s left. "
                        "Make new ones on Account security if you are running low."
                    )
                    % {"left": left},
                )
            return redirect(done)
    status = 400 if form.errors else 200
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": done}, status=status)
