"""The shared shape of every API endpoint: tenant scoping, strict input, one error format.

Every viewset derives from ``ScopedViewSet`` (or uses ``ViewerMixin``): the acting membership is resolved once after
authentication, querysets are narrowed with ``visible_to``, and any object outside that scope is simply not found.
"""

from rest_framework import exceptions, serializers, viewsets

from .permissions import RolePermission
from .tenancy import resolve_viewer


class StrictSerializerMixin:
    """Rejects fields the endpoint does not know, instead of dropping them silently."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    pass


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must be visible to the acting member; anything else reads as 'does not exist'."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None or not getattr(request, "viewer", None):
            return queryset.none()
        return queryset.visible_to(request.viewer)


class ViewerMixin:
    """Resolves ``request.viewer`` right after authentication, before permissions and throttles run."""

    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        self.perform_authentication(request)
        request.viewer = resolve_viewer(request, request.user)
        super().initial(request, *args, **kwargs)


class ScopedViewSet(ViewerMixin, viewsets.ModelViewSet):
    permission_classes = [RolePermission]

    def get_queryset(self):
        viewer = getattr(self.request, "viewer", None)
        queryset = super().get_queryset()
        if not viewer:  # schema generation
            return queryset.none()
        return queryset.visible_to(viewer)


class ScopedReadOnlyViewSet(ViewerMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [RolePermission]

    # Its own method: borrowing ScopedViewSet's would bind that method's zero-argument super() to the wrong class.
    def get_queryset(self):
        viewer = getattr(self.request, "viewer", None)
        queryset = super().get_queryset()
        if not viewer:  # schema generation
            return queryset.none()
        return queryset.visible_to(viewer)
