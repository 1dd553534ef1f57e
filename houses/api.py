from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter
from accounts.api_schema import ClosedSchema, staff_or_resident
from accounts.permissions import OPERATORS, STAFF

from . import selectors, services
from .models import Bed, BedOutage, House, Room


class HouseSerializer(StrictModelSerializer):
    capacity = serializers.IntegerField(read_only=True, help_text="Beds in service tonight")
    bed_count = serializers.IntegerField(read_only=True, help_text="Beds the house has tonight, in service or not")
    staff = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Membership ids of this house's managers"
    )

    class Meta:
        model = House
        fields = [
            "id", "name", "address_line1", "address_line2", "city", "state", "postal_code", "phone",
            "gender", "narr_level", "status", "opened_on", "closed_on", "capacity", "bed_count", "staff",
            "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]
        validators = []  # the service checks names, so the error names the field
        extra_kwargs = {
            "opened_on": {"help_text": "First night the house offers beds (default: today)."},
            "closed_on": {
                "help_text": "First night the house offers no bed. Setting it (or status=closed, which means tonight) "
                "closes the house; refused while a resident sleeps there on or after that night."
            },
        }


class HousePublicSerializer(ClosedSchema, HouseSerializer):
    """What a resident may know about their own house."""

    class Meta(HouseSerializer.Meta):
        fields = ["id", "name", "address_line1", "address_line2", "city", "state", "postal_code", "phone", "gender"]


class HouseFilter(FilterSet):
    class Meta:
        model = House
        fields = ["status", "gender", "narr_level", "city", "state"]


def _house_for_viewer(many=False):
    return staff_or_resident("HouseForViewer", staff=HouseSerializer, resident=HousePublicSerializer, many=many)


@extend_schema_view(
    list=extend_schema(responses=_house_for_viewer(many=True)), retrieve=extend_schema(responses=_house_for_viewer())
)
class HouseViewSet(ScopedViewSet):
    """Houses of the organization. Operators create and edit them; managers edit their own; residents see theirs.

    A house is never deleted: close it (``status=closed``) so its history stays.
    """

    queryset = House.objects.all()
    selector = staticmethod(selectors.houses_with_staff)
    serializer_class = HouseSerializer
    filterset_class = HouseFilter
    search_fields = ["name", "city", "address_line1"]
    ordering_fields = ["name", "opened_on", "created_at", "city"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    action_roles = {"create": OPERATORS, "update": STAFF, "partial_update": STAFF}

    def get_serializer_class(self):
        viewer = getattr(self.request, "viewer", None)
        if viewer and viewer.is_resident:
            return HousePublicSerializer
        return HouseSerializer

    def perform_create(self, serializer):
        house = services.house_create(actor=self.request.viewer, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=house.pk)  # with tonight's capacity

    def perform_update(self, serializer):
        house = serializer.instance
        changes = {name: value for name, value in serializer.validated_data.items() if getattr(house, name) != value}
        if changes:
            house = services.house_update(actor=self.request.viewer, house=house, **changes)
        serializer.instance = self.get_queryset().get(pk=house.pk)


class RoomSerializer(StrictModelSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    bed_count = serializers.SerializerMethodField()

    class Meta:
        model = Room
        fields = ["id", "house", "name", "floor", "notes", "bed_count"]
        validators = []  # the services check names, so the error names the field

    @extend_schema_field(serializers.IntegerField())
    def get_bed_count(self, room) -> int:
        return len(room.beds.all())


class RoomFilter(FilterSet):
    class Meta:
        model = Room
        fields = ["house", "floor"]


class RoomViewSet(ScopedViewSet):
    """Rooms of the houses the member runs. A room with beds cannot be deleted (409)."""

    queryset = Room.objects.all()
    selector = staticmethod(selectors.rooms_for)
    serializer_class = RoomSerializer
    filterset_class = RoomFilter
    search_fields = ["name", "house__name"]
    ordering_fields = ["name", "floor", "house__name"]
    read_roles = STAFF
    write_roles = STAFF

    def perform_create(self, serializer):
        serializer.instance = services.room_create(actor=self.request.viewer, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.room_update(
            actor=self.request.viewer, room=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.room_delete(actor=self.request.viewer, room=instance)


class BedSerializer(StrictModelSerializer):
    room = ScopedRelatedField(queryset=Room.objects.all())
    house = serializers.PrimaryKeyRelatedField(read_only=True)
    room_name = serializers.CharField(source="room.name", read_only=True)

    class Meta:
        model = Bed
        fields = [
            "id", "house", "room", "room_name", "label", "in_service_from", "retired_on", "status",
            "out_of_service_reason", "out_of_service_from", "out_of_service_until",
        ]  # fmt: skip
        validators = []  # the services check labels, so the error names the field
        extra_kwargs = {
            "in_service_from": {
                "required": False,
                "help_text": "First night the bed is offered (default: today; the house's opening for beds entered "
                "with the house, the day it was created, before anyone lived there).",
            },
            "retired_on": {
                "help_text": "First night the bed is no longer offered. Refused while a resident sleeps in it on or "
                "after that night; null takes the retirement back."
            },
            "status": {
                "help_text": "out_of_service with a reason and dates takes the bed out (or corrects its outage); "
                "available puts it back from tonight."
            },
        }


class BedFilter(FilterSet):
    class Meta:
        model = Bed
        fields = ["house", "room", "status"]


class BedViewSet(ScopedViewSet):
    """Beds of the houses the member runs. Only a bed that has not served a night yet (in service from today or
    later) can be deleted; any other answers 409: retire it (``retired_on``) instead, so past months keep its nights."""

    queryset = Bed.objects.all()
    selector = staticmethod(selectors.beds_for)
    serializer_class = BedSerializer
    filterset_class = BedFilter
    search_fields = ["label", "room__name"]
    ordering_fields = ["label", "status", "room__name"]
    read_roles = STAFF
    write_roles = STAFF

    def perform_create(self, serializer):
        serializer.instance = services.bed_record(actor=self.request.viewer, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.bed_change(
            actor=self.request.viewer, bed=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.bed_delete(actor=self.request.viewer, bed=instance)


class BedOutageSerializer(StrictModelSerializer):
    bed = ScopedRelatedField(queryset=Bed.objects.all())
    house = serializers.IntegerField(source="bed.house_id", read_only=True)
    bed_label = serializers.CharField(source="bed.label", read_only=True)
    room_name = serializers.CharField(source="bed.room.name", read_only=True)

    class Meta:
        model = BedOutage
        fields = ["id", "bed", "house", "room_name", "bed_label", "start", "end", "reason"]
        validators = []  # the services refuse overlaps, so the error names the field
        extra_kwargs = {
            "start": {"help_text": "First night the bed is out of service."},
            "end": {"help_text": "First night the bed is back in service; null while unknown."},
            "reason": {"help_text": "Why the bed is out of service."},
        }


class BedOutageFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House", field_name="bed__house")

    class Meta:
        model = BedOutage
        fields = ["bed", "house"]


class BedOutageViewSet(ScopedViewSet):
    """The outage history of the beds of the houses the member runs, past, running and ahead. Recording, correcting
    (the new ``start``, ``end`` and ``reason`` replace the old: one record) and removing an outage are refused over
    another outage of the bed, over nights a resident sleeps in it, and in a closed month."""

    queryset = BedOutage.objects.all()
    selector = staticmethod(selectors.outages_for)
    serializer_class = BedOutageSerializer
    filterset_class = BedOutageFilter
    ordering_fields = ["start", "end"]
    read_roles = STAFF
    write_roles = STAFF

    def perform_create(self, serializer):
        serializer.instance = services.bed_outage_create(actor=self.request.viewer, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.bed_outage_update(
            actor=self.request.viewer, outage=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.bed_outage_delete(actor=self.request.viewer, outage=instance)
