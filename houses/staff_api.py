"""Memberships: who works in (or lives in) the organization, and which houses each manager runs.

Creating one invites the person: the membership is pending (``status`` "invited") until they accept through the
e-mailed link. Until then the API shows the name the inviter typed, never the name of an account that already uses
the address, and answers alike whether or not the address has an account.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter
from accounts.invitations import invitation_resend
from accounts.models import Membership
from accounts.permissions import OPERATORS
from accounts.selectors import MEMBERSHIP_STATUSES, member_name, membership_status, memberships_for

from . import services
from .models import House

STATUS_CHOICES = [
    ("invited", "Invited, not yet accepted"),
    ("active", "Active"),
    ("inactive", "Deactivated"),
]


class MemberNameField(serializers.CharField):
    """Takes the name the inviter types; shows the name the organization sees (the typed one until accepted).

    The name shown may be longer than the 150 characters a typed name may have (with no name given it is the e-mail
    address), so the limit is checked here rather than declared (a declared ``max_length`` would bind the answer's
    schema too)."""

    NAME_LENGTH = 150

    def get_attribute(self, membership):
        return member_name(membership)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) > self.NAME_LENGTH:
            self.fail("max_length", max_length=self.NAME_LENGTH)
        return value


class MembershipSerializer(StrictModelSerializer):
    email = serializers.EmailField(source="user.email")
    full_name = MemberNameField(
        source="invited_name",
        required=False,
        allow_blank=True,
        help_text=_(
            "On invitation, the name to greet them by (at most 150 characters); shown until they accept, then the "
            "name they chose"
        ),
    )
    status = serializers.SerializerMethodField()
    houses = ScopedRelatedField(many=True, required=False, queryset=House.objects.all())

    class Meta:
        model = Membership
        fields = [
            "id", "email", "full_name", "role", "is_active", "status", "houses", "invited_language", "created_at",
            "accepted_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "accepted_at"]

    @extend_schema_field(serializers.ChoiceField(choices=STATUS_CHOICES))
    def get_status(self, membership) -> str:
        return membership_status(membership)


class MembershipFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House", field_name="houses", label="Manager of this house")
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status")

    class Meta:
        model = Membership
        fields = ["role", "is_active", "status", "house"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(**MEMBERSHIP_STATUSES[value])


class MembershipViewSet(ScopedViewSet):
    """Staff and resident logins of the organization. Creating one invites the person by e-mail; it grants nothing
    until they accept.

    Deleting an invitation not yet accepted withdraws it (its link stops working); deleting an accepted membership
    deactivates it: the membership and everything it did stay on record.
    """

    queryset = Membership.objects.all()
    selector = staticmethod(memberships_for)
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    # Searched and sorted by the name shown, so a pending invitation cannot be used to probe an account's name.
    search_fields = ["user__email", "shown_name"]
    ordering_fields = ["created_at", "role", "user__email", "shown_name"]
    read_roles = OPERATORS
    write_roles = OPERATORS

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.staff_invite(
            actor=self.request.viewer,
            email=data["user"]["email"],
            full_name=data.get("invited_name", ""),
            role=data["role"],
            houses=data.get("houses", []),
            base_url=self.request.build_absolute_uri("/"),
            language=data.get("invited_language", ""),
        )

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        email = changes.pop("user", {}).get("email")
        serializer.instance = services.staff_update(
            actor=self.request.viewer, membership=serializer.instance, email=email, **changes
        )

    def perform_destroy(self, instance):
        services.staff_remove(actor=self.request.viewer, membership=instance)

    @extend_schema(
        request=None,
        responses={
            200: MembershipSerializer,
            409: OpenApiResponse(
                inline_serializer("InvitationAlreadyAccepted", {"detail": serializers.CharField()}),
                description="The invitation has already been accepted",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """E-mails a pending invitation again (409 once it has been accepted)."""
        membership = invitation_resend(
            actor=request.viewer, membership=self.get_object(), base_url=request.build_absolute_uri("/")
        )
        return Response(self.get_serializer(membership).data)
