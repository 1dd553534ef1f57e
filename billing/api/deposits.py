"""Deposit settlements at move-out: the deposit held, deductions with reasons, the refund."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer, StrictSerializer
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter
from accounts.permissions import EVERYONE, STAFF
from residents.models import Stay

from ..models import DepositDeduction, DepositSettlement
from ..selectors.ledger import settlements_for
from ..services.deposits import deposit_settle
from .common import RESIDENT_NAME_SEARCH, money


class DepositDeductionSerializer(StrictModelSerializer):
    class Meta:
        model = DepositDeduction
        fields = ["reason", "amount", "entry"]
        read_only_fields = fields


class DepositSettlementSerializer(StrictModelSerializer):
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    deductions = DepositDeductionSerializer(many=True, read_only=True)

    class Meta:
        model = DepositSettlement
        fields = [
            "id", "stay", "resident", "resident_name", "house", "house_name", "settled_on", "deposit_held",
            "deductions", "deductions_total", "refund_amount", "release_entry", "refund_entry", "note", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class DeductionInput(StrictSerializer):
    reason = serializers.CharField(max_length=200)
    amount = money()


class DepositSettlementInput(StrictSerializer):
    stay = ScopedRelatedField(queryset=Stay.objects.all())
    on = serializers.DateField(required=False, help_text="Defaults to today")
    deductions = DeductionInput(many=True, required=False, default=list)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DepositSettlementFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House")
    resident = ScopedModelChoiceFilter("residents.Resident")
    stay = ScopedModelChoiceFilter("residents.Stay")
    settled_after = django_filters.DateFilter(field_name="settled_on", lookup_expr="gte")
    settled_before = django_filters.DateFilter(field_name="settled_on", lookup_expr="lte")

    class Meta:
        model = DepositSettlement
        fields = ["house", "resident", "stay", "settled_after", "settled_before"]


class DepositSettlementViewSet(ScopedViewSet):
    """Settles a discharged stay's deposit once (``POST``): releases it against what the resident owes, charges
    each deduction with its reason, refunds the rest. Residents see their own settlements."""

    queryset = DepositSettlement.objects.all()
    selector = staticmethod(settlements_for)
    serializer_class = DepositSettlementSerializer
    filterset_class = DepositSettlementFilter
    search_fields = ["note", *RESIDENT_NAME_SEARCH]
    ordering_fields = ["settled_on", "refund_amount", "deposit_held", "created_at"]
    ordering = ["-settled_on", "-id"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = STAFF

    @extend_schema(request=DepositSettlementInput, responses={201: DepositSettlementSerializer})
    def create(self, request, *args, **kwargs):
        data = DepositSettlementInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        settlement = deposit_settle(
            actor=request.viewer,
            stay=values["stay"],
            on=values.get("on") or request.viewer.organization.today(),
            deductions=[dict(item) for item in values["deductions"]],
            note=values["note"],
        )
        settlement = (
            DepositSettlement.objects.select_related("resident", "house")
            .prefetch_related("deductions")
            .get(pk=settlement.pk)
        )
        return Response(DepositSettlementSerializer(settlement).data, status=status.HTTP_201_CREATED)
