"""The audit log, for operators: who read or changed which sensitive record, when and from where. Read-only."""

from rest_framework import serializers

from .api_base import ScopedReadOnlyViewSet
from .api_filters import FilterSet, ScopedModelChoiceFilter, organization_users
from .api_local_dates import LocalDateFilter
from .models import AuditEntry
from .permissions import OPERATORS
from .selectors import audit_entries


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_email = serializers.EmailField(source="actor.email", read_only=True, allow_null=True)
    actor_name = serializers.StringRelatedField(source="actor", allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id", "at", "actor", "actor_email", "actor_name", "action", "object_type", "object_id", "object_count",
            "ip_address", "path", "detail",
        ]  # fmt: skip
        read_only_fields = fields


class AuditEntryFilter(FilterSet):
    actor = ScopedModelChoiceFilter("accounts.User", scope=organization_users, label="User id of the actor")
    since = LocalDateFilter(field_name="at", lookup_expr="gte", label="On or after this date (organization's)")
    until = LocalDateFilter(field_name="at", lookup_expr="lte", label="On or before this date (organization's)")

    class Meta:
        model = AuditEntry
        fields = ["action", "object_type", "object_id"]


class AuditEntryViewSet(ScopedReadOnlyViewSet):
    """Every audited read and change in the organization, newest first (``accounts.selectors.audit_entries``)."""

    queryset = AuditEntry.objects.all()
    selector = staticmethod(audit_entries)
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    search_fields = ["path", "detail", "actor__email", "actor__full_name"]
    ordering_fields = ["at", "action", "object_type"]
    read_roles = OPERATORS
