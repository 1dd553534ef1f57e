"""Evacuation drills, and the houses whose drills are overdue."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer, ThroughText
from accounts.api_datetimes import OffsetDateTimeField, OffsetDateTimeFilter
from accounts.api_filters import FilterSet
from accounts.permissions import STAFF
from houses.models import House

from ..models import Drill
from ..selectors.safety import drills_for, houses_with_overdue_drills
from ..services import drills as drill_services


class DrillSerializer(StrictModelSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    house_name = serializers.CharField(source="house.name", read_only=True)
    evacuation_minutes = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    recorded_by_name = ThroughText(source="recorded_by.get_full_name", default="")

    class Meta:
        model = Drill
        fields = [
            "id", "house", "house_name", "kind", "held_at", "residents_present", "evacuation_minutes", "notes",
            "recorded_by", "recorded_by_name", "created_at",
        ]  # fmt: skip
        read_only_fields = ["recorded_by", "created_at"]


class OverdueDrillSerializer(serializers.Serializer):
    house = serializers.IntegerField(source="pk")
    house_name = serializers.CharField(source="name")
    level = serializers.IntegerField(source="narr_level", allow_null=True)
    last_drill_at = OffsetDateTimeField(allow_null=True)
    drill_due_on = serializers.DateField(allow_null=True, help_text="Empty when the house never held one")


class DrillFilter(FilterSet):
    held_after = OffsetDateTimeFilter(field_name="held_at", lookup_expr="gte")
    held_before = OffsetDateTimeFilter(field_name="held_at", lookup_expr="lte")

    class Meta:
        model = Drill
        fields = ["house", "kind", "held_after", "held_before"]


class DrillViewSet(ScopedViewSet):
    """Evacuation drills, logged after they are held (a time in the future is refused). Drills are evidence: they
    are not edited or deleted."""

    queryset = Drill.objects.all()
    selector = staticmethod(drills_for)
    serializer_class = DrillSerializer
    filterset_class = DrillFilter
    search_fields = ["notes", "house__name"]
    ordering_fields = ["held_at", "evacuation_minutes", "residents_present"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = STAFF
    write_roles = STAFF

    def perform_create(self, serializer):
        serializer.instance = drill_services.drill_log(actor=self.request.viewer, **serializer.validated_data)

    @extend_schema(responses=OverdueDrillSerializer(many=True))
    @action(
        detail=False,
        methods=["get"],
        filterset_class=None,
        search_fields=None,
        ordering_fields=None,
        pagination_class=None,  # a short list, one row per house: answered whole, and documented so
        filter_backends=[],
    )
    def overdue(self, request):
        """Houses that must hold drills (Level II and up, or Level I configured to) and held none within their
        drill interval."""
        houses = houses_with_overdue_drills(viewer=request.viewer)
        return Response(OverdueDrillSerializer(houses, many=True).data)
