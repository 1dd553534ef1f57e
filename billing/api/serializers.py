"""Serializers more than one billing endpoint answers with, so no API module imports another sideways."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api_base import StrictModelSerializer

from ..models import LedgerEntry


class LedgerEntrySerializer(StrictModelSerializer):
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    created_by_name = serializers.SerializerMethodField()
    reversed_by = serializers.SerializerMethodField(help_text="The reversal that cancelled this entry, if any")
    payment = serializers.SerializerMethodField(help_text="The payment this entry credits, if any")
    receipt_number = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        fields = [
            "id", "resident", "resident_name", "stay", "house", "house_name", "kind", "kind_label", "amount",
            "effective_on", "occurred_on", "memo", "created_by_name", "created_at", "reverses", "reversed_by",
            "for_charge", "payment", "receipt_number", "period_start", "period_end", "billed_from", "billed_to",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_created_by_name(self, entry) -> str | None:
        return entry.created_by.get_full_name() if entry.created_by else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_reversed_by(self, entry) -> int | None:
        reversal = getattr(entry, "reversed_by", None)
        return reversal.pk if reversal else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_payment(self, entry) -> int | None:
        payment = getattr(entry, "payment", None)
        return payment.pk if payment else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_receipt_number(self, entry) -> int | None:
        payment = getattr(entry, "payment", None)
        return payment.receipt_number if payment else None
