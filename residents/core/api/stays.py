import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import (
    ScopedReadOnlyViewSet,
    ScopedRelatedField,
    StrictSerializer,
    ViewerMixin,
    scoped,
)
from accounts.api_filters import FilterSet, StrictBooleanFilter
from accounts.permissions import EVERYONE, STAFF, RolePermission
from houses.models import Bed, House
from residents.core.api.serializers import StaySerializer
from residents.core.selectors.bed_board import bed_board, bed_board_summary
from residents.core.selectors.stays import stays_for
from residents.core.services import stays as stay_services
from residents.models import Resident, Stay


class AdmitInput(StrictSerializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    bed = ScopedRelatedField(queryset=Bed.objects.all())
    on = serializers.DateField(help_text="First night in the house")


class TransferInput(StrictSerializer):
    bed = ScopedRelatedField(queryset=Bed.objects.all())
    on = serializers.DateField(help_text="First night in the new bed")


class DischargeInput(StrictSerializer):
    on = serializers.DateField(help_text="First night no longer in the house (move-out date)")
    reason = serializers.ChoiceField(choices=Stay.DischargeReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class PlanMoveOutInput(StrictSerializer):
    on = serializers.DateField(
        allow_null=True, help_text="Planned first night away, after today; null clears the planned move-out"
    )


class StayFilter(FilterSet):
    open = StrictBooleanFilter(field_name="move_out", lookup_expr="isnull", label="Still living there")
    move_in_after = django_filters.DateFilter(field_name="move_in", lookup_expr="gte")
    move_in_before = django_filters.DateFilter(field_name="move_in", lookup_expr="lte")

    class Meta:
        model = Stay
        fields = ["house", "resident", "open", "discharge_reason", "move_in_after", "move_in_before"]


class StayViewSet(ScopedReadOnlyViewSet):
    """Stays from admission to discharge. Admit, transfer and discharge are the only ways to change one."""

    queryset = Stay.objects.all()
    selector = staticmethod(stays_for)
    serializer_class = StaySerializer
    filterset_class = StayFilter
    search_fields = ["resident__legal_first_name", "resident__legal_last_name", "resident__preferred_name"]
    ordering_fields = ["move_in", "move_out", "created_at"]
    read_roles = EVERYONE
    action_roles = {"admit": STAFF, "transfer": STAFF, "discharge": STAFF, "plan_move_out": STAFF}

    def _respond(self, stay, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=stay.pk)).data, status=code)

    @extend_schema(request=AdmitInput, responses={201: StaySerializer})
    @action(detail=False, methods=["post"])
    def admit(self, request):
        """Admits a resident into a free, in-service bed from a date."""
        data = AdmitInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        stay = stay_services.stay_admit(actor=request.viewer, **data.validated_data)
        return self._respond(stay, status.HTTP_201_CREATED)

    @extend_schema(request=TransferInput, responses=StaySerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Moves a current resident to another bed, in this or another house, from a date."""
        stay = self.get_object()
        data = TransferInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        stay_services.stay_transfer(actor=request.viewer, stay=stay, **data.validated_data)
        return self._respond(stay)

    @extend_schema(request=DischargeInput, responses=StaySerializer)
    @action(detail=True, methods=["post"])
    def discharge(self, request, pk=None):
        """Ends a stay with a date and a reason."""
        stay = self.get_object()
        data = DischargeInput(data=request.data)
        data.is_valid(raise_exception=True)
        stay_services.stay_discharge(actor=request.viewer, stay=stay, **data.validated_data)
        return self._respond(stay)

    @extend_schema(request=PlanMoveOutInput, responses=StaySerializer)
    @action(detail=True, methods=["post"], url_path="plan-move-out")
    def plan_move_out(self, request, pk=None):
        """Sets or clears a current resident's planned move-out: the bed is offered to the waitlist ahead of it."""
        stay = self.get_object()
        data = PlanMoveOutInput(data=request.data)
        data.is_valid(raise_exception=True)
        stay_services.stay_plan_move_out(actor=request.viewer, stay=stay, **data.validated_data)
        return self._respond(stay)


class OccupantSerializer(serializers.Serializer):
    resident = serializers.IntegerField()
    stay = serializers.IntegerField()
    name = serializers.CharField()
    move_in = serializers.DateField()
    days_in_house = serializers.IntegerField()


class BoardBedSerializer(serializers.ModelSerializer):
    room_name = serializers.CharField(source="room.name")
    floor = serializers.IntegerField(source="room.floor")
    in_service_tonight = serializers.SerializerMethodField()
    occupant = serializers.SerializerMethodField()
    booked_from = serializers.DateField(allow_null=True)

    class Meta:
        model = Bed
        fields = [
            "id", "label", "room", "room_name", "floor", "status", "out_of_service_reason", "out_of_service_until",
            "in_service_tonight", "occupant", "booked_from",
        ]  # fmt: skip

    def get_in_service_tonight(self, bed) -> bool:
        return bed.in_service_on(self.context["night"])

    @extend_schema(responses=OccupantSerializer(allow_null=True))
    def get_occupant(self, bed) -> dict | None:
        if not bed.occupant_stay_id:
            return None
        first = bed.occupant_preferred_name or bed.occupant_first_name
        return {
            "resident": bed.occupant_resident_id,
            "stay": bed.occupant_stay_id,
            "name": f"{first} {bed.occupant_last_name}",
            "move_in": bed.occupant_move_in,
            "days_in_house": (self.context["night"] - bed.occupant_move_in).days,
        }


class BedBoardSummarySerializer(serializers.Serializer):
    beds = serializers.IntegerField()
    in_service = serializers.IntegerField()
    occupied = serializers.IntegerField()
    free = serializers.IntegerField()


class BedBoardSerializer(serializers.Serializer):
    house = serializers.IntegerField()
    house_name = serializers.CharField()
    night = serializers.DateField()
    summary = BedBoardSummarySerializer()
    beds = BoardBedSerializer(many=True)


class BedBoardQuery(StrictSerializer):
    night = serializers.DateField(required=False, help_text="Which night to show (default: tonight)")


class BedBoardView(ViewerMixin, APIView):
    """Every bed of a house with its room, status and tonight's occupant (name, move-in date, days in house)."""

    permission_classes = [RolePermission]
    read_roles = STAFF
    selector = scoped(House)

    @extend_schema(parameters=[BedBoardQuery], responses=BedBoardSerializer)
    def get(self, request, pk):
        house = get_object_or_404(self.selector(viewer=request.viewer), pk=pk)
        query = BedBoardQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        night = query.validated_data.get("night") or request.viewer.organization.today()
        beds = list(bed_board(viewer=request.viewer, house=house, on=night))
        payload = {
            "house": house.pk,
            "house_name": house.name,
            "night": night,
            "summary": bed_board_summary(beds, night=night),
            "beds": beds,
        }
        return Response(BedBoardSerializer(payload, context={"night": night}).data)
