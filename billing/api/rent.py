"""Rent terms: each house's default policy, and each stay's schedules (the house default or a manager's override)."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer, StrictSerializer
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter
from accounts.permissions import EVERYONE, OPERATORS, STAFF
from houses.models import House
from residents.models import Stay

from ..models import HouseBillingPolicy, RentPeriod, RentSchedule, Weekday
from ..selectors.ledger import policies_for, schedules_for
from ..services.policies import house_billing_policy_set
from ..services.rent import rent_schedule_set
from .common import money


class HouseBillingPolicySerializer(StrictModelSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    house_name = serializers.CharField(source="house.name", read_only=True)

    class Meta:
        model = HouseBillingPolicy
        fields = [
            "id", "house", "house_name", "rent_amount", "rent_period", "rent_due_weekday", "rent_due_day",
            "deposit_amount", "late_fee_kind", "late_fee_amount", "late_fee_percent", "late_fee_grace_days",
            "owing_alert_above", "rent_reminder_days", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["updated_at"]
        validators = []  # one policy per house is the service's rule, which names the field


class HouseBillingPolicyFilter(FilterSet):
    class Meta:
        model = HouseBillingPolicy
        fields = ["house", "rent_period", "late_fee_kind"]


class HouseBillingPolicyViewSet(ScopedViewSet):
    """Each house's default rent terms, deposit and late-fee rule. Operators set them; managers read their houses'.
    A change applies to stays admitted afterwards; a current stay keeps its schedule unless a manager changes it."""

    queryset = HouseBillingPolicy.objects.all()
    selector = staticmethod(policies_for)
    serializer_class = HouseBillingPolicySerializer
    filterset_class = HouseBillingPolicyFilter
    search_fields = ["house__name"]
    ordering_fields = ["house__name", "rent_amount", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    read_roles = STAFF
    write_roles = OPERATORS

    def perform_create(self, serializer):
        terms = dict(serializer.validated_data)
        serializer.instance = house_billing_policy_set(actor=self.request.viewer, new=True, **terms)

    def perform_update(self, serializer):
        # The same service (rules, audit entry) as the operator page, so a change reads the same whichever way it came.
        terms = dict(serializer.validated_data)
        house = terms.pop("house", None) or serializer.instance.house
        serializer.instance = house_billing_policy_set(
            actor=self.request.viewer, house=house, policy=serializer.instance, **terms
        )


class RentScheduleSerializer(StrictModelSerializer):
    resident = serializers.IntegerField(source="stay.resident_id", read_only=True)
    resident_name = serializers.CharField(source="stay.resident.display_name", read_only=True)
    house = serializers.IntegerField(source="stay.house_id", read_only=True)
    house_name = serializers.CharField(source="stay.house.name", read_only=True)
    due = serializers.CharField(source="due_label", read_only=True)

    class Meta:
        model = RentSchedule
        fields = [
            "id", "stay", "resident", "resident_name", "house", "house_name", "amount", "period", "due_weekday",
            "due_day", "due", "starts_on", "source", "note", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class RentScheduleInput(StrictSerializer):
    stay = ScopedRelatedField(queryset=Stay.objects.all())
    amount = money(required=False, help_text="Defaults to the house's rent")
    period = serializers.ChoiceField(choices=RentPeriod.choices, required=False)
    due_weekday = serializers.ChoiceField(choices=Weekday.choices, required=False, help_text="Weekly: 0 = Monday")
    due_day = serializers.IntegerField(required=False, min_value=1, max_value=31, help_text="Monthly: 1-31")
    starts_on = serializers.DateField(required=False, help_text="Defaults to the first night not yet billed")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RentScheduleFilter(FilterSet):
    stay = ScopedModelChoiceFilter("residents.Stay")
    resident = ScopedModelChoiceFilter("residents.Resident", field_name="stay__resident")
    house = ScopedModelChoiceFilter("houses.House", field_name="stay__house")
    period = django_filters.ChoiceFilter(choices=RentPeriod.choices)
    source = django_filters.ChoiceFilter(choices=RentSchedule.Source.choices)

    class Meta:
        model = RentSchedule
        fields = ["stay", "resident", "house", "period", "source"]


class RentScheduleViewSet(ScopedViewSet):
    """A stay's rent terms, each from its ``starts_on`` until the next. Admission copies the house's defaults;
    a manager overrides them (``POST``) from a night not yet billed. Residents see their own."""

    queryset = RentSchedule.objects.all()
    selector = staticmethod(schedules_for)
    serializer_class = RentScheduleSerializer
    filterset_class = RentScheduleFilter
    search_fields = ["stay__resident__legal_first_name", "stay__resident__legal_last_name", "note"]
    ordering_fields = ["starts_on", "amount", "created_at"]
    ordering = ["-starts_on", "-id"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = STAFF

    @extend_schema(request=RentScheduleInput, responses={201: RentScheduleSerializer})
    def create(self, request, *args, **kwargs):
        data = RentScheduleInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        schedule = rent_schedule_set(actor=request.viewer, **data.validated_data)
        schedule = RentSchedule.objects.select_related("stay__resident", "stay__house").get(pk=schedule.pk)
        return Response(RentScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)
