"""Grievances over the API: residents file theirs and follow them; operators answer and close them.

House managers cannot list or read grievances at all (403): a grievance may be about them.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import ScopedViewSet, StrictSerializer
from accounts.api_schema import ClosedSchema, staff_or_resident
from accounts.models import Membership, Role
from accounts.permissions import OPERATORS
from residents.conduct.filters import GrievanceFilter
from residents.conduct.selectors.grievances import grievances_for
from residents.conduct.services import grievances as services
from residents.models import Grievance

RESIDENTS = frozenset({Role.RESIDENT})
OPERATORS_AND_RESIDENTS = frozenset({Role.OPERATOR, Role.RESIDENT})


class GrievanceResidentSerializer(ClosedSchema, serializers.ModelSerializer):
    """What the resident who filed it sees: their words, the status and the answer."""

    staff_member_name = serializers.CharField(source="staff_member.user.full_name", read_only=True, allow_null=True)
    house_name = serializers.CharField(source="house.name", read_only=True)

    class Meta:
        model = Grievance
        fields = [
            "id", "house", "house_name", "subject", "details", "about", "staff_member", "staff_member_name", "status",
            "filed_at", "response", "responded_at", "closed_at",
        ]  # fmt: skip
        read_only_fields = fields


class GrievanceSerializer(GrievanceResidentSerializer):
    """What an operator sees: also who filed it, who answered and who closed it."""

    closed_schema = False

    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    responded_by = serializers.CharField(source="responded_by.full_name", read_only=True, allow_null=True)
    closed_by = serializers.CharField(source="closed_by.full_name", read_only=True, allow_null=True)

    class Meta(GrievanceResidentSerializer.Meta):
        fields = [
            "id", "resident", "resident_name", "house", "house_name", "subject", "details", "about", "staff_member",
            "staff_member_name", "status", "filed_at", "response", "responded_at", "responded_by", "closed_at",
            "closed_by",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class StaffMemberField(serializers.PrimaryKeyRelatedField):
    """A staff member (operator or manager) of the viewer's organization; any other id reads as 'does not exist'."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None or not getattr(request, "viewer", None):
            return Membership.objects.none()
        return Membership.objects.active().filter(
            organization_id=request.viewer.organization_id, role__in=[Role.OPERATOR, Role.MANAGER]
        )


class GrievanceFileInput(StrictSerializer):
    subject = serializers.CharField(max_length=200)
    details = serializers.CharField(max_length=5000)
    about = serializers.ChoiceField(choices=Grievance.About.choices)
    staff_member = StaffMemberField(required=False, allow_null=True, help_text=_("Membership id, when about staff"))


class GrievanceRespondInput(StrictSerializer):
    response = serializers.CharField(max_length=5000)
    close = serializers.BooleanField(default=False, help_text="Close it with this response")


class GrievanceCloseInput(StrictSerializer):
    response = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, help_text="Required to close an open grievance"
    )


def _grievance_for_viewer(many=False):
    return staff_or_resident(
        "GrievanceForViewer", staff=GrievanceSerializer, resident=GrievanceResidentSerializer, many=many
    )


@extend_schema_view(
    list=extend_schema(responses=_grievance_for_viewer(many=True)),
    retrieve=extend_schema(responses=_grievance_for_viewer()),
)
class GrievanceViewSet(ScopedViewSet):
    """Grievances. A resident files one (POST) and reads their own; an operator lists, answers and closes them."""

    queryset = Grievance.objects.all()
    selector = staticmethod(grievances_for)
    serializer_class = GrievanceSerializer
    filterset_class = GrievanceFilter
    search_fields = ["subject", "details", "resident__legal_first_name", "resident__legal_last_name"]
    ordering_fields = ["filed_at", "responded_at", "closed_at", "status"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = OPERATORS_AND_RESIDENTS
    action_roles = {"create": RESIDENTS, "respond": OPERATORS, "close": OPERATORS}

    def get_serializer_class(self):
        viewer = getattr(self.request, "viewer", None)
        if viewer and viewer.is_resident:
            return GrievanceResidentSerializer
        return GrievanceSerializer

    def _respond(self, grievance, code=status.HTTP_200_OK):
        grievance = self.get_queryset().get(pk=grievance.pk)
        return Response(self.get_serializer(grievance).data, status=code)

    @extend_schema(request=GrievanceFileInput, responses={201: GrievanceResidentSerializer})
    def create(self, request, *args, **kwargs):
        data = GrievanceFileInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        grievance = services.grievance_file(actor=request.viewer, **data.validated_data)
        return self._respond(grievance, status.HTTP_201_CREATED)

    @extend_schema(request=GrievanceRespondInput, responses={200: GrievanceSerializer})
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        grievance = self.get_object()  # out of scope is a 404 whatever the body says
        data = GrievanceRespondInput(data=request.data)
        data.is_valid(raise_exception=True)
        grievance = services.grievance_respond(actor=request.viewer, grievance=grievance, **data.validated_data)
        return self._respond(grievance)

    @extend_schema(request=GrievanceCloseInput, responses={200: GrievanceSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        grievance = self.get_object()  # out of scope is a 404 whatever the body says
        data = GrievanceCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        grievance = services.grievance_close(actor=request.viewer, grievance=grievance, **data.validated_data)
        return self._respond(grievance)
