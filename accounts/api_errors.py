from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from .exceptions import DomainError


def exception_handler(exc, context):
    """Domain errors and database refusals become 4xx JSON; nothing a client sends may become a 500."""
    if isinstance(exc, DomainError):
        body = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        return _respond(body, exc.status_code, context)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    elif isinstance(exc, ProtectedError):
        return _respond({"detail": _("This record is in use by others and cannot be deleted.")}, 409, context)
    elif isinstance(exc, ObjectDoesNotExist):
        # The row was there when the view fetched it and gone when a service locked it: someone removed it meanwhile.
        return _respond({"detail": _("This record no longer exists: it was removed meanwhile.")}, 404, context)
    elif isinstance(exc, IntegrityError):
        return _respond({"detail": _("This change conflicts with another record. Reload and try again.")}, 409, context)
    return drf_exception_handler(exc, context)


def _respond(body, status_code, context):
    set_rollback()
    return Response(body, status=status_code or status.HTTP_400_BAD_REQUEST)
