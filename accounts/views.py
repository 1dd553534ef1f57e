from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services, tasks, throttling
from .exceptions import DomainError
from .models import Role
from .pages import refuse
from .queue import enqueue_on_commit
from .tenancy import SESSION_KEY, memberships_of


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail and password do not match an account. Check them and try again."),
    }
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Per account, django-axes locks an e-mail out; this stops one address trying many accounts (spraying).
        wait = throttling.login_failures_wait(request)
        if wait is not None:
            return render(
                request, "registration/locked_out.html", {"message": throttling.address_lockout_message(wait)},
                status=429,
            )  # fmt: skip
        # From many addresses at one account: a higher limit per e-mail, whichever address asks.
        wait = throttling.account_failures_wait(request, request.POST.get("username", ""))
        if wait is not None:
            return render(
                request, "registration/locked_out.html", {"message": throttling.account_lockout_message(wait)},
                status=429,
            )  # fmt: skip
        return super().post(request, *args, **kwargs)


class QueuedPasswordResetForm(PasswordResetForm):
    """Queues the e-mail instead of sending it during the request: an answer that took an SMTP round trip only for
    addresses with an account would tell anyone timing it which e-mails have one."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        user_id, domain, protocol = context["user"].pk, context["domain"], context["protocol"]
        enqueue_on_commit(tasks.send_password_reset, user_id, domain, protocol)


class PasswordResetView(auth_views.PasswordResetView):
    """Sends no more than a few reset e-mails per address and per e-mail.

    Over the per-e-mail limit the page answers exactly as when an e-mail is sent, so asking reveals nothing about
    whether the e-mail has an account, or whether someone else asked for it. Over the per-address limit it answers
    429: that counter counts every request from the address whatever the e-mail, so it reveals nothing either.
    """

    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        if throttling.password_resets_exhausted_for_address(self.request):
            return render(self.request, "registration/password_reset_limited.html", status=429)
        if throttling.password_resets_exhausted_for_email(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


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
    """Each role lands on its own page: staff on the dashboard, residents on the portal, referrers on their partner's
    pages."""
    if not request.viewer:
        return render(request, "accounts/no_membership.html", status=403)
    if request.viewer.is_resident:
        return redirect("portal")
    if request.viewer.role == Role.REFERRER:
        return redirect("vacancies-partner:referrer-home")
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
        messages.error(request, gettext("You are not a member of that organization."))
    else:
        request.session[SESSION_KEY] = membership.organization_id
        messages.success(
            request, gettext("Now working in %(organization)s.") % {"organization": membership.organization.name}
        )
    next_url = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    return redirect(next_url if membership is None else reverse("home"))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, widget=forms.RadioSelect)


@login_required
@require_http_methods(["GET", "POST"])
def language(request):
    """Your language: the one Hearth speaks to the signed-in person on every page, in e-mails and in the API."""
    form = LanguageForm(request.POST or None, initial={"language": request.user.preferred_language})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferred_language(request.user, form.cleaned_data["language"])
        except DomainError as error:
            refuse(form, error, fields={"preferred_language": "language"})
        else:
            # This answer already speaks the new language.
            translation.activate(request.user.preferred_language)
            messages.success(request, gettext("Hearth now speaks your language."))
            return redirect("account-language")
    status = 400 if form.errors else 200
    return render(request, "accounts/language.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD"])
def language_switch(request, code):
    """The signed-out language switch: plain links (templates/partials/language_switch.html), so a publicly cached
    page carries no one's CSRF token. Sets the language cookie, then returns to ``next`` (only a path of this site)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)
