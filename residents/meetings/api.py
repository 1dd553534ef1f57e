"""Meetings API: house meetings (staff) and outside recovery-meeting attendance (residents log their own)."""

from datetime import datetime, time, timedelta

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter
from accounts.models import Membership
from accounts.permissions import EVERYONE, STAFF
from houses.models import House
from residents.meetings import selectors, services
from residents.models import HouseMeeting, RecoveryMeetingAttendance, Resident


class OrganizationMemberField(serializers.PrimaryKeyRelatedField):
    """A membership id of the acting member's organization, any role (residents often chair house meetings)."""

    def get_queryset(self):
        request = self.context.get("request")
        viewer = getattr(request, "viewer", None) if request else None
        if not viewer:
            return Membership.objects.none()
        return Membership.objects.active().filter(organization_id=viewer.organization_id)


def _local_midnight(request, day):
    return datetime.combine(day, time.min, tzinfo=request.viewer.organization.tzinfo)


class HouseMeetingSerializer(StrictModelSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    house_name = serializers.CharField(source="house.name", read_only=True)
    facilitator = OrganizationMemberField(
        required=False,
        allow_null=True,
        help_text=_("Membership id of the member who led it (or give facilitator_name)"),
    )
    facilitator_display = serializers.CharField(read_only=True)
    attendees = ScopedRelatedField(
        queryset=Resident.objects.all(),
        many=True,
        required=False,
        help_text=_("Residents living in the house that day"),
    )
    attendee_names = serializers.SerializerMethodField()

    class Meta:
        model = HouseMeeting
        fields = [
            "id", "house", "house_name", "held_at", "facilitator", "facilitator_name", "facilitator_display",
            "attendees", "attendee_names", "minutes", "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_by", "created_at"]
        validators = []  # the service checks the one-meeting-at-a-time rule, naming held_at

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_attendee_names(self, meeting) -> list[str]:
        return [resident.display_name for resident in meeting.attendees.all()]


def _organization_members(viewer):
    return Membership.objects.filter(organization_id=viewer.organization_id)


class HouseMeetingFilter(FilterSet):
    house = ScopedModelChoiceFilter(House)
    facilitator = ScopedModelChoiceFilter(Membership, scope=_organization_members)
    held_from = django_filters.DateFilter(method="filter_held_from", label="Held on or after this date")
    held_to = django_filters.DateFilter(method="filter_held_to", label="Held on or before this date")

    class Meta:
        model = HouseMeeting
        fields = ["house", "facilitator", "held_from", "held_to"]

    # Dates are the organization's calendar days, not UTC ones.
    def filter_held_from(self, queryset, name, value):
        return queryset.filter(held_at__gte=_local_midnight(self.request, value))

    def filter_held_to(self, queryset, name, value):
        return queryset.filter(held_at__lt=_local_midnight(self.request, value + timedelta(days=1)))


class HouseMeetingViewSet(ScopedViewSet):
    """Weekly house meetings of the houses the member runs: who led them, who came, the minutes.

    Attendees must live in the house on the meeting's date. Meetings are history: they are corrected, never deleted.
    """

    queryset = HouseMeeting.objects.all()
    selector = staticmethod(selectors.house_meetings_for)
    serializer_class = HouseMeetingSerializer
    filterset_class = HouseMeetingFilter
    search_fields = ["minutes", "facilitator_name", "house__name"]
    ordering_fields = ["held_at", "house__name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_roles = STAFF
    write_roles = STAFF

    def perform_create(self, serializer):
        serializer.instance = services.house_meeting_log(actor=self.request.viewer, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.house_meeting_update(
            actor=self.request.viewer, meeting=serializer.instance, **serializer.validated_data
        )


class RecoveryMeetingAttendanceSerializer(StrictModelSerializer):
    resident = ScopedRelatedField(
        queryset=Resident.objects.all(),
        required=False,
        help_text=_("Staff: required. Residents: leave out (it is you)."),
    )
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house = serializers.IntegerField(source="stay.house_id", read_only=True)
    house_name = serializers.CharField(source="stay.house.name", read_only=True)
    verified = serializers.BooleanField(
        source="is_verified", required=False, default=False, help_text="Staff only: log it as verified at once"
    )
    verified_by_name = serializers.SerializerMethodField()

    class Meta:
        model = RecoveryMeetingAttendance
        fields = [
            "id", "resident", "resident_name", "stay", "house", "house_name", "attended_on", "meeting_type", "name",
            "verified", "verified_by", "verified_by_name", "verified_at", "created_at",
        ]  # fmt: skip
        read_only_fields = ["stay", "verified_by", "verified_at", "created_at"]
        validators = []  # the service checks duplicates, naming the field

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_verified_by_name(self, attendance) -> str | None:
        return str(attendance.verified_by) if attendance.verified_by_id else None


class RecoveryMeetingFilter(FilterSet):
    resident = ScopedModelChoiceFilter(Resident)
    house = ScopedModelChoiceFilter(House, field_name="stay__house")
    attended_from = django_filters.DateFilter(field_name="attended_on", lookup_expr="gte", label="On or after")
    attended_to = django_filters.DateFilter(field_name="attended_on", lookup_expr="lte", label="On or before")
    verified = StrictBooleanFilter(field_name="verified_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = RecoveryMeetingAttendance
        fields = ["resident", "house", "meeting_type", "attended_from", "attended_to", "verified"]


class RecoveryMeetingAttendanceViewSet(ScopedViewSet):
    """Outside recovery meetings (AA, NA, CA, SMART, Celebrate Recovery, other) residents went to.

    Residents log and read their own (unverified); staff log them for residents of their houses and verify them.
    """

    queryset = RecoveryMeetingAttendance.objects.all()
    selector = staticmethod(selectors.recovery_meetings_for)
    serializer_class = RecoveryMeetingAttendanceSerializer
    filterset_class = RecoveryMeetingFilter
    search_fields = ["name", "resident__legal_first_name", "resident__legal_last_name", "resident__preferred_name"]
    ordering_fields = ["attended_on", "meeting_type", "verified_at", "created_at", "resident__legal_last_name"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = STAFF
    action_roles = {"create": EVERYONE, "verify": STAFF}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["verified"] = data.pop("is_verified", False)
        serializer.instance = services.recovery_meeting_record(actor=self.request.viewer, **data)

    @extend_schema(request=None, responses={200: RecoveryMeetingAttendanceSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Confirms the meeting took place (a signed sheet, a sponsor's word). Repeating it changes nothing."""
        attendance = services.recovery_meeting_verify(actor=request.viewer, attendance=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=attendance.pk)).data)
