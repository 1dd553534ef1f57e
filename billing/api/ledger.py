"""Ledger entries: read here; written only through the service endpoints (charge, credit, refund, reverse)."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import ScopedReadOnlyViewSet, ScopedRelatedField, StrictSerializer
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter
from accounts.permissions import EVERYONE, STAFF
from residents.models import Resident

from ..models import EntryKind, LedgerEntry
from ..models.ledger import CHARGE_KIND_CHOICES
from ..selectors.ledger import ENTRY_JOINS, entries_for
from ..services import ledger as services
from .common import RESIDENT_NAME_SEARCH, money
from .serializers import LedgerEntrySerializer


class ChargeInput(StrictSerializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    kind = serializers.ChoiceField(choices=CHARGE_KIND_CHOICES)
    amount = money(help_text="Positive, at most two decimal places")
    memo = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    effective_on = serializers.DateField(required=False, help_text="Defaults to today; cannot be in the future")


class CreditInput(StrictSerializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    amount = money(help_text="Positive: how much to take off what the resident owes")
    memo = serializers.CharField(max_length=300, help_text="Why the credit is given")
    effective_on = serializers.DateField(required=False)


class RefundInput(StrictSerializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    amount = money(help_text="Positive; at most the resident's credit balance")
    memo = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    effective_on = serializers.DateField(required=False)


class ReverseInput(StrictSerializer):
    memo = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    effective_on = serializers.DateField(required=False, help_text="Defaults to today")


class LedgerEntryFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House")
    resident = ScopedModelChoiceFilter("residents.Resident")
    stay = ScopedModelChoiceFilter("residents.Stay")
    kind = django_filters.MultipleChoiceFilter(choices=EntryKind.choices)
    effective_after = django_filters.DateFilter(field_name="effective_on", lookup_expr="gte", label="On or after")
    effective_before = django_filters.DateFilter(field_name="effective_on", lookup_expr="lte", label="On or before")
    reversed = StrictBooleanFilter(method="filter_reversed", label="Cancelled by a reversal")

    class Meta:
        model = LedgerEntry
        fields = ["house", "resident", "stay", "kind", "effective_after", "effective_before", "reversed"]

    def filter_reversed(self, queryset, name, value):
        return queryset.filter(reversed_by__isnull=not value)


def _today(request):
    return request.viewer.organization.today()


class LedgerEntryViewSet(ScopedReadOnlyViewSet):
    """A resident's ledger: every charge, payment, credit, refund and reversal. Amounts are signed: above zero adds
    to what the resident owes, below zero takes from it; the balance is their sum. Entries are never edited or
    deleted: reverse one and post the right one. Residents see their own entries; managers their houses' residents'.
    """

    queryset = LedgerEntry.objects.all()
    selector = staticmethod(entries_for)
    serializer_class = LedgerEntrySerializer
    filterset_class = LedgerEntryFilter
    search_fields = ["memo", *RESIDENT_NAME_SEARCH]
    ordering_fields = ["effective_on", "amount", "created_at", "kind", "id"]
    ordering = ["-effective_on", "-id"]
    read_roles = EVERYONE
    action_roles = {"charge": STAFF, "credit": STAFF, "refund": STAFF, "reverse": STAFF}

    def _respond(self, entry):
        entry = LedgerEntry.objects.select_related(*ENTRY_JOINS).get(pk=entry.pk)
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def _post(self, input_class, service, *extra_fields):
        """Runs one posting service with the resident, amount, memo and date (today unless given) of the input."""
        data = self._input(input_class)
        entry = service(
            actor=self.request.viewer,
            resident=data["resident"],
            amount=data["amount"],
            memo=data["memo"],
            effective_on=data.get("effective_on") or _today(self.request),
            **{name: data[name] for name in extra_fields},
        )
        return self._respond(entry)

    @extend_schema(request=ChargeInput, responses={201: LedgerEntrySerializer})
    @action(detail=False, methods=["post"])
    def charge(self, request):
        """Posts a one-off charge: a program fee, a fine, a deposit, a late fee or another charge."""
        return self._post(ChargeInput, services.charge_post, "kind")

    @extend_schema(request=CreditInput, responses={201: LedgerEntrySerializer})
    @action(detail=False, methods=["post"])
    def credit(self, request):
        """Posts a credit or adjustment that lowers what the resident owes."""
        return self._post(CreditInput, services.credit_post)

    @extend_schema(request=RefundInput, responses={201: LedgerEntrySerializer})
    @action(detail=False, methods=["post"])
    def refund(self, request):
        """Records money handed back to the resident, up to their credit balance."""
        return self._post(RefundInput, services.refund_post)

    @extend_schema(request=ReverseInput, responses={201: LedgerEntrySerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Cancels this entry with a reversal of the opposite amount. An entry is reversed at most once; a
        reversal cannot be reversed."""
        entry = self.get_object()
        data = self._input(ReverseInput)
        reversal = services.entry_reverse(
            actor=request.viewer, entry=entry, memo=data["memo"], effective_on=data.get("effective_on")
        )
        return self._respond(reversal)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
