"""Memberships: who works in (or lives in) the organization, and which houses each manager runs."""

import django_filters
from rest_framework import serializers

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer
from accounts.models import Membership, Role
from accounts.permissions import OPERATORS

from . import services
from .models import House


class MembershipSerializer(StrictModelSerializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name", max_length=150, required=False, allow_blank=True)
    houses = ScopedRelatedField(many=True, required=False, queryset=House.objects.all())

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "is_active", "houses", "created_at"]
        read_only_fields = ["created_at"]

    def validate_email(self, value):
        if self.instance is not None and value.lower() != self.instance.user.email.lower():
            raise serializers.ValidationError("The e-mail of an existing member cannot be changed here.")
        return value

    def validate(self, attrs):
        role = attrs.get("role", getattr(self.instance, "role", None))
        if attrs.get("houses") and role != Role.MANAGER:
            raise serializers.ValidationError({"houses": ["Only managers are assigned to houses."]})
        return attrs

    def create(self, validated_data):
        request = self.context["request"]
        user = validated_data.pop("user")
        return services.staff_invite(
            actor=request.viewer,
            email=user["email"],
            full_name=user.get("full_name", ""),
            role=validated_data["role"],
            houses=validated_data.get("houses", []),
            base_url=request.build_absolute_uri("/"),
        )

    def update(self, instance, validated_data):
        validated_data.pop("user", None)
        return services.staff_update(actor=self.context["request"].viewer, membership=instance, **validated_data)


class MembershipFilter(django_filters.FilterSet):
    house = django_filters.NumberFilter(field_name="houses", label="Manager of this house")

    class Meta:
        model = Membership
        fields = ["role", "is_active", "house"]


class MembershipViewSet(ScopedViewSet):
    """Staff and resident logins of the organization. Creating one invites the person by e-mail.

    Deleting deactivates: the membership and everything it did stay on record.
    """

    queryset = Membership.objects.select_related("user").prefetch_related("houses")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    search_fields = ["user__email", "user__full_name"]
    ordering_fields = ["created_at", "role", "user__email", "user__full_name"]
    read_roles = OPERATORS
    write_roles = OPERATORS

    def perform_destroy(self, instance):
        services.staff_update(actor=self.request.viewer, membership=instance, is_active=False)
