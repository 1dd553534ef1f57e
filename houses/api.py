from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter
from accounts.api_schema import ClosedSchema, staff_or_resident
from accounts.permissions import OPERATORS, STAFF

from . import selectors, services
from .models import Bed, BedOutage, House, Room


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

    def create(self, validated_data):
        return services.house_create(actor=self.context["request"].viewer, **validated_data)

    def update(self, instance, validated_data):
        changes = {name: value for name, value in validated_data.items() if getattr(instance, name) != value}
        if not changes:
            return instance
        return services.house_update(actor=self.context["request"].viewer, house=instance, **changes)


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

    queryset = House.objects.prefetch_related("staff")
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

    def get_queryset(self):
        queryset = super().get_queryset()
        viewer = getattr(self.request, "viewer", None)
        return queryset.with_capacity(viewer.organization.today()) if viewer else queryset

    def perform_create(self, serializer):
        house = serializer.save()
        serializer.instance = self.get_queryset().get(pk=house.pk)  # with tonight's capacity

    def perform_update(self, serializer):
        house = serializer.save()
        serializer.instance = self.get_queryset().get(pk=house.pk)


class RoomSerializer(StrictModelSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    bed_count = serializers.SerializerMethodField()

    class Meta:
        model = Room
        fields = ["id", "house", "name", "floor", "notes", "bed_count"]
        validators = []  # uniqueness is checked in validate() so the error names the field

    @extend_schema_field(serializers.IntegerField())
    def get_bed_count(self, room) -> int:
        return len(room.beds.all())

    def validate_house(self, house):
        if self.instance is not None and house != self.instance.house:
            raise serializers.ValidationError("A room cannot move to another house.")
        return house

    def validate(self, attrs):
        house = attrs.get("house") or (self.instance and self.instance.house)
        name = attrs.get("name") or (self.instance and self.instance.name)
        clash = Room.objects.filter(house=house, name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError({"name": ["This house already has a room with this name."]})
        return attrs


class RoomFilter(FilterSet):
    class Meta:
        model = Room
        fields = ["house", "floor"]


class RoomViewSet(ScopedViewSet):
    """Rooms of the houses the member runs. A room with beds cannot be deleted (409)."""

    queryset = Room.objects.select_related("house").prefetch_related("beds")
    serializer_class = RoomSerializer
    filterset_class = RoomFilter
    search_fields = ["name", "house__name"]
    ordering_fields = ["name", "floor", "house__name"]
    read_roles = STAFF
    write_roles = STAFF


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

    OUTAGE_FIELDS = ("status", "out_of_service_reason", "out_of_service_from", "out_of_service_until")

    @transaction.atomic
    def create(self, validated_data):
        actor = self.context["request"].viewer
        bed = services.bed_create(
            actor=actor, room=validated_data["room"], label=validated_data["label"],
            in_service_from=validated_data.get("in_service_from"),
        )  # fmt: skip
        if validated_data.get("retired_on"):
            bed = services.bed_retire(actor=actor, bed=bed, on=validated_data["retired_on"])
        if validated_data.get("status") == Bed.Status.OUT_OF_SERVICE:
            bed = self._take_out(bed, validated_data)
        return bed

    @transaction.atomic
    def update(self, instance, validated_data):
        actor = self.context["request"].viewer
        stored = Bed.objects.get(pk=instance.pk)
        changed = {name: value for name, value in validated_data.items() if getattr(stored, name) != value}
        bed = stored
        details = {name: changed[name] for name in ("label", "room", "in_service_from") if name in changed}
        if details:
            bed = services.bed_update(actor=actor, bed=bed, **details)
        if "retired_on" in changed:
            if changed["retired_on"] is None:
                bed = services.bed_unretire(actor=actor, bed=bed)
            else:
                bed = services.bed_retire(actor=actor, bed=bed, on=changed["retired_on"])
        if any(name in changed for name in self.OUTAGE_FIELDS):
            if validated_data.get("status", stored.status) == Bed.Status.OUT_OF_SERVICE:
                bed = self._take_out(bed, {**self._outage_of(stored), **validated_data})
            else:
                bed = services.bed_return_to_service(actor=actor, bed=bed)
        return bed

    @staticmethod
    def _outage_of(bed):
        return {name: getattr(bed, name) for name in BedSerializer.OUTAGE_FIELDS}

    def _take_out(self, bed, data):
        return services.bed_take_out_of_service(
            actor=self.context["request"].viewer, bed=bed, reason=data.get("out_of_service_reason") or "",
            start=data.get("out_of_service_from"), until=data.get("out_of_service_until"),
        )  # fmt: skip


class BedFilter(FilterSet):
    class Meta:
        model = Bed
        fields = ["house", "room", "status"]


class BedViewSet(ScopedViewSet):
    """Beds of the houses the member runs. Only a bed that has not served a night yet (in service from today or
    later) can be deleted; any other answers 409: retire it (``retired_on``) instead, so past months keep its nights."""

    queryset = Bed.objects.select_related("room")
    serializer_class = BedSerializer
    filterset_class = BedFilter
    search_fields = ["label", "room__name"]
    ordering_fields = ["label", "status", "room__name"]
    read_roles = STAFF
    write_roles = STAFF

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

    def validate_bed(self, bed):
        if self.instance is not None and bed != self.instance.bed:
            raise serializers.ValidationError("An outage cannot move to another bed; remove it and record a new one.")
        return bed

    def create(self, validated_data):
        return services.bed_outage_create(actor=self.context["request"].viewer, **validated_data)

    def update(self, instance, validated_data):
        changes = {name: value for name, value in validated_data.items() if name != "bed"}
        return services.bed_outage_update(actor=self.context["request"].viewer, outage=instance, **changes)


class BedOutageFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House", field_name="bed__house")

    class Meta:
        model = BedOutage
        fields = ["bed", "house"]


class BedOutageViewSet(ScopedViewSet):
    """The outage history of the beds of the houses the member runs, past, running and ahead. Recording, correcting
    (the new ``start``, ``end`` and ``reason`` replace the old: one record) and removing an outage are refused over
    another outage of the bed, over nights a resident sleeps in it, and in a closed month."""

    queryset = BedOutage.objects.select_related("bed__room").order_by("-start", "-pk")
    serializer_class = BedOutageSerializer
    filterset_class = BedOutageFilter
    ordering_fields = ["start", "end"]
    read_roles = STAFF
    write_roles = STAFF

    def get_queryset(self):
        viewer = getattr(self.request, "viewer", None)
        return selectors.outages_for(viewer=viewer) if viewer else BedOutage.objects.none()

    def perform_destroy(self, instance):
        services.bed_outage_delete(actor=self.request.viewer, outage=instance)
