import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer
from accounts.permissions import OPERATORS, STAFF

from .models import Bed, House, Room


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
    capacity = serializers.IntegerField(read_only=True, help_text="Beds in service now")
    bed_count = serializers.IntegerField(read_only=True, help_text="All beds, in service or not")
    staff = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Membership ids of this house's managers"
    )

    class Meta:
        model = House
        fields = [
            "id", "name", "address_line1", "address_line2", "city", "state", "postal_code", "phone",
            "gender", "narr_level", "status", "opened_on", "capacity", "bed_count", "staff", "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]

    def validate_name(self, name):
        organization = self.context["request"].viewer.organization_id
        clash = House.objects.filter(organization_id=organization, name__iexact=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError("The organization already has a house with this name.")
        return name


class HousePublicSerializer(HouseSerializer):
    """What a resident may know about their own house."""

    class Meta(HouseSerializer.Meta):
        fields = ["id", "name", "address_line1", "address_line2", "city", "state", "postal_code", "phone", "gender"]


class HouseFilter(django_filters.FilterSet):
    class Meta:
        model = House
        fields = ["status", "gender", "narr_level", "city", "state"]


class HouseViewSet(ScopedViewSet):
    """Houses of the organization. Operators create and edit them; managers edit their own; residents see theirs.

    A house is never deleted: close it (``status=closed``) so its history stays.
    """

    queryset = House.objects.with_capacity().prefetch_related("staff")
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
        serializer.save(organization=self.request.viewer.organization)


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


class RoomFilter(django_filters.FilterSet):
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
            "id", "house", "room", "room_name", "label", "status",
            "out_of_service_reason", "out_of_service_from", "out_of_service_until",
        ]  # fmt: skip
        validators = []  # uniqueness is checked in validate() so the error names the field

    def validate_room(self, room):
        if self.instance is not None and room.house_id != self.instance.house_id:
            raise serializers.ValidationError("A bed cannot move to another house.")
        return room

    def validate(self, attrs):
        attrs = validate_with_model(self, attrs)
        room = attrs.get("room") or self.instance.room
        label = attrs.get("label") or self.instance.label
        clash = Bed.objects.filter(room=room, label=label)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError({"label": ["This room already has a bed with this label."]})
        return attrs


class BedFilter(django_filters.FilterSet):
    class Meta:
        model = Bed
        fields = ["house", "room", "status"]


class BedViewSet(ScopedViewSet):
    """Beds of the houses the member runs. A bed that has ever held a resident cannot be deleted (409)."""

    queryset = Bed.objects.select_related("room")
    serializer_class = BedSerializer
    filterset_class = BedFilter
    search_fields = ["label", "room__name"]
    ordering_fields = ["label", "status", "room__name"]
    read_roles = STAFF
    write_roles = STAFF
