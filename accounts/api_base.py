"""The shared shape of every API endpoint: tenant scoping, strict input, one error format.

Every viewset derives from ``ScopedViewSet`` (or uses ``ViewerMixin``): the acting membership is resolved once after
authentication, querysets are narrowed with ``visible_to``, and any object outside that scope is simply not found.
Every request runs on its organization's clock, and every serializer takes datetimes only with their UTC offset.
"""

from contextlib import ExitStack

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, viewsets
from rest_framework.routers import DefaultRouter, SimpleRouter

from . import audit, request_log
from .api_datetimes import OffsetDateTimeField
from .dates import attach_sane_date_validator
from .permissions import RolePermission
from .tenancy import organization_clock, resolve_viewer
from .two_factor import services as two_factor


class StrictSerializerMixin:
    """Rejects fields the endpoint does not know, instead of dropping them silently."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class RefuseReadOnlyInput:
    """A read-only field sent in a request is refused by name, instead of being silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            fixed = sorted(name for name in data if name in self.fields and self.fields[name].read_only)
            if fixed:
                raise serializers.ValidationError({name: [_("This cannot be set here.")] for name in fixed})
        return super().to_internal_value(data)


class SaneDatesMixin:
    """Every date a serializer takes in lies within the years 1900 to 2200 (``accounts.dates``), declared or
    model-derived, alone or in a list."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            for candidate in (field, getattr(field, "child", None)):
                if isinstance(candidate, serializers.DateField | serializers.DateTimeField) and not candidate.read_only:
                    attach_sane_date_validator(candidate)
        return fields


class ModelSerializer(SaneDatesMixin, serializers.ModelSerializer):
    """The API's model serializer: a model's datetime takes input only with its UTC offset (a test checks every
    writable datetime of the API, model-derived or declared, is an ``OffsetDateTimeField``)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: OffsetDateTimeField,
    }


class StrictModelSerializer(StrictSerializerMixin, ModelSerializer):
    pass


class StrictSerializer(StrictSerializerMixin, SaneDatesMixin, serializers.Serializer):
    pass


class ThroughText(serializers.CharField):
    """Read-only text read through a relation that may be empty (``source="actor.get_full_name"``): its ``default``
    whenever the relation is empty, in every answer. DRF's own default is skipped in a partial update's answer, which
    would then lack a field the schema says is always there."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_default(self):
        if self.default is serializers.empty:
            raise serializers.SkipField()
        return self.default() if callable(self.default) else self.default


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must be visible to the acting member; anything else reads as 'does not exist'."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None or not getattr(request, "viewer", None):
            return queryset.none()
        return queryset.visible_to(request.viewer)


class ViewerMixin:
    """Resolves ``request.viewer`` right after authentication, before permissions and throttles run, and runs the
    rest of the request on the viewer's organization's clock.

    The page middleware cannot do the latter for the API: a token is only read here, after every middleware."""

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self._organization_clock:
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        self.perform_authentication(request)
        # A token's user hears the API in their own language too (pages: accounts.middleware.LanguageMiddleware).
        if request.user.is_authenticated and request.user.preferred_language:
            self._organization_clock.enter_context(translation.override(request.user.preferred_language))
            request.LANGUAGE_CODE = request.user.preferred_language
        request.viewer = resolve_viewer(request, request.user)
        request_log.identify(request.user, request.viewer)
        # The audit's channel (accounts.audit): the token's user, not the session's the page middleware saw.
        self._audit_channel = self._organization_clock.enter_context(audit.channel(request, api=True))
        if request.viewer:
            self._organization_clock.enter_context(organization_clock(request.viewer.organization))
            # Also a token issued before the organization turned the requirement on (pages: TwoFactorMiddleware).
            if two_factor.setup_required(request.user, request.viewer):
                raise exceptions.PermissionDenied(two_factor.SETUP_REQUIRED_MESSAGE)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "_audit_channel", None) is not None:
            self._audit_channel.answered(response.status_code)
        return response


class ScopedQuerysetMixin:
    """The view's rows come from one selector given the acting member (``selector``, a function taking ``viewer=``
    and returning a queryset already scoped and joined); anything else is a 404. ``queryset`` only names the model
    (for the router and the schema). ``ScopedRouter`` refuses to route a viewset without a selector."""

    selector = None

    def get_queryset(self):
        viewer = getattr(self.request, "viewer", None)
        if not viewer:  # schema generation
            return super().get_queryset().none()
        if self.selector is None:
            raise ImproperlyConfigured(f"{type(self).__name__} has no selector.")
        return self.selector(viewer=viewer)


def scoped(model):
    """The default selector of a model whose rows need nothing but the tenant scope (``TenantQuerySet.visible_to``)."""

    def selector(*, viewer):
        return model.objects.visible_to(viewer)

    selector.__name__ = f"{model._meta.model_name}_visible_to"
    return staticmethod(selector)


class RequireSelectorMixin:
    """A router that routes only viewsets that take their rows from a selector, so an endpoint cannot forget the
    tenant scope."""

    def register(self, prefix, viewset, basename=None):
        if getattr(viewset, "selector", None) is None:
            raise ImproperlyConfigured(f"{viewset.__name__} has no selector: set `selector` (see ScopedQuerysetMixin).")
        super().register(prefix, viewset, basename)


class ScopedRouter(RequireSelectorMixin, DefaultRouter):
    """The API root's router: routes only viewsets with a selector."""


class ScopedSimpleRouter(RequireSelectorMixin, SimpleRouter):
    """An app's router (no root view): routes only viewsets with a selector."""


class ScopedViewSet(ViewerMixin, ScopedQuerysetMixin, viewsets.ModelViewSet):
    permission_classes = [RolePermission]


class ScopedReadOnlyViewSet(ViewerMixin, ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [RolePermission]


def validated(serializer_class, request) -> dict:
    """An action's input, parsed by its input serializer (400 with each field's message when it does not parse)."""
    data = serializer_class(data=request.data, context={"request": request})
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def validate_with_model(serializer, attrs):
    """Runs the model's own ``clean()`` on the would-be instance so rules live in one place (the model)."""
    instance = serializer.instance or serializer.Meta.model()
    for name, value in attrs.items():
        setattr(instance, name, value)
    try:
        instance.clean()
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.message_dict) from error
    return attrs
