"""Login throttling hooks for django-axes, shared by the login page and the token endpoint."""

from django.http import JsonResponse
from django.shortcuts import render

LOCKOUT_MESSAGE = "Too many failed sign-in attempts. Try again in 30 minutes or reset your password."


def login_attempt_username(request, credentials):
    """The e-mail being tried: the page form posts ``username``, the API posts ``email``."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if not value:
        data = getattr(request, "POST", {}) or {}
        value = data.get("username") or data.get("email") or ""
    return str(value).strip().lower()


def lockout_response(request, *args, **kwargs):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": LOCKOUT_MESSAGE}, status=429)
    return render(request, "registration/locked_out.html", {"message": LOCKOUT_MESSAGE}, status=429)
