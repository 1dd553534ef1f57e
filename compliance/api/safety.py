"""Safety policies (inspection and drill intervals, gas appliances) and safety equipment (extinguishers, naloxone)."""

import django_filters
from rest_framework import serializers

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer
from accounts.api_filters import FilterSet, StrictBooleanFilter
from accounts.permissions import STAFF
from houses.models import House

from ..models import SafetyEquipment, SafetyPolicy
from ..selectors.safety import equipment_for, safety_policies_for
from ..services import safety as safety_services


class SafetyPolicySerializer(StrictModelSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    house_name = serializers.CharField(source="house.name", read_only=True)

    class Meta:
        model = SafetyPolicy
        fields = [
            "id", "house", "house_name", "inspection_interval_days", "drill_interval_days", "has_gas_appliances",
            "drills_at_level_one", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["updated_at"]
        validators = []  # one policy per house is the service's rule, so the error names the field


class SafetyPolicyFilter(FilterSet):
    has_gas_appliances = StrictBooleanFilter()
    drills_at_level_one = StrictBooleanFilter()

    class Meta:
        model = SafetyPolicy
        fields = ["house", "has_gas_appliances", "drills_at_level_one"]


class SafetyPolicyViewSet(ScopedViewSet):
    """Each house's safety policy. A house without one follows the defaults: inspections every 30 days, drills every
    90, no gas appliances. Policies are changed, never deleted."""

    queryset = SafetyPolicy.objects.all()
    selector = staticmethod(safety_policies_for)
    serializer_class = SafetyPolicySerializer
    filterset_class = SafetyPolicyFilter
    search_fields = ["house__name"]
    ordering_fields = ["house__name", "inspection_interval_days", "drill_interval_days"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    read_roles = STAFF
    write_roles = STAFF

    def perform_create(self, serializer):
        serializer.instance = safety_services.safety_policy_create(
            actor=self.request.viewer, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = safety_services.safety_policy_update(
            actor=self.request.viewer, policy=serializer.instance, **serializer.validated_data
        )


class SafetyEquipmentSerializer(StrictModelSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    house_name = serializers.CharField(source="house.name", read_only=True)
    due_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="Kit expiry, or next extinguisher service"
    )

    class Meta:
        model = SafetyEquipment
        fields = [
            "id", "house", "house_name", "kind", "location", "quantity", "expires_on", "last_serviced_on",
            "due_on", "is_active", "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]


class SafetyEquipmentFilter(FilterSet):
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")
    serviced_before = django_filters.DateFilter(field_name="last_serviced_on", lookup_expr="lte")
    is_active = StrictBooleanFilter()

    class Meta:
        model = SafetyEquipment
        fields = ["house", "kind", "is_active", "expires_before", "serviced_before"]


class SafetyEquipmentViewSet(ScopedViewSet):
    """Extinguishers and naloxone kits kept in each house. An item leaving the house is set inactive, not deleted."""

    queryset = SafetyEquipment.objects.all()
    selector = staticmethod(equipment_for)
    serializer_class = SafetyEquipmentSerializer
    filterset_class = SafetyEquipmentFilter
    search_fields = ["location", "house__name"]
    ordering_fields = ["location", "expires_on", "last_serviced_on", "kind", "house__name"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    read_roles = STAFF
    write_roles = STAFF

    def perform_create(self, serializer):
        values = dict(serializer.validated_data)
        values.pop("is_active", None)
        serializer.instance = safety_services.safety_equipment_add(actor=self.request.viewer, **values)

    def perform_update(self, serializer):
        serializer.instance = safety_services.safety_equipment_update(
            actor=self.request.viewer, equipment=serializer.instance, **serializer.validated_data
        )
