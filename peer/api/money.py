"""A peer-run house's money: standing expenses and the share (the comptroller), bills, members' shares taken and
the bank register (the treasurer), monthly audits (prepared by the comptroller, signed by the members named) and
behaviour contracts (the president, at a meeting). Every member reads them all for their own house."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import ScopedViewSet, StrictModelSerializer, StrictSerializer, validated
from accounts.models import Role
from accounts.permissions import EVERYONE
from billing.models import Payment
from peer.api.fields import BankEntryField, BillField, MeetingField, MemberField, PeerHouseField
from peer.models import (
    BankEntry,
    BehaviourContract,
    ExpectedExpense,
    HouseBill,
    MonthlyAudit,
    ShareRate,
)
from peer.selectors import access
from peer.selectors.money import is_signed_off
from peer.services import money

MEMBERS = frozenset({Role.RESIDENT})


class ExpectedExpenseSerializer(StrictModelSerializer):
    house = PeerHouseField()

    class Meta:
        model = ExpectedExpense
        fields = ["id", "house", "kind", "payee", "amount", "period", "is_active", "created_at"]
        read_only_fields = ["is_active", "created_at"]


class ExpectedExpenseViewSet(ScopedViewSet):
    """The house's standing expenses, from which the weekly share is computed. The comptroller adds them and ends
    them (``end``)."""

    queryset = ExpectedExpense.objects.all()
    selector = staticmethod(access.expected_expenses_for)
    serializer_class = ExpectedExpenseSerializer
    filterset_fields = ["house", "is_active"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS

    def perform_create(self, serializer):
        serializer.instance = money.expected_expense_add(actor=self.request.viewer, **serializer.validated_data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        expense = money.expected_expense_end(actor=request.viewer, expense=self.get_object())
        return Response(self.get_serializer(expense).data)


class ShareRateSerializer(StrictModelSerializer):
    house = PeerHouseField()

    class Meta:
        model = ShareRate
        fields = ["id", "house", "starts_on", "amount", "weekly_expenses", "beds", "created_at"]
        read_only_fields = ["amount", "weekly_expenses", "beds", "created_at"]
        validators = []


class ShareRateViewSet(ScopedViewSet):
    """The weekly share, rate by rate. The comptroller sets it (POST ``house``, ``starts_on``): the expected weekly
    expenses divided by the beds in service, posted weekly to every member's ledger from then on."""

    queryset = ShareRate.objects.all()
    selector = staticmethod(access.share_rates_for)
    serializer_class = ShareRateSerializer
    filterset_fields = ["house"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS

    def perform_create(self, serializer):
        serializer.instance = money.share_set(actor=self.request.viewer, **serializer.validated_data)


class SharePaymentInput(StrictSerializer):
    member = MemberField()
    method = serializers.ChoiceField(choices=[(m, m.replace("_", " ")) for m in money.SHARE_METHODS])
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    received_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, max_length=60)


class SharePaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "resident", "method", "amount", "received_on", "reference", "receipt_number"]


class SharePaymentViewSet(ScopedViewSet):
    """Shares members paid to the treasurer. POST (the treasurer): cash, check or money order, with a receipt."""

    queryset = Payment.objects.all()
    selector = staticmethod(access.share_payments_for)
    serializer_class = SharePaymentSerializer
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS

    @extend_schema(request=SharePaymentInput, responses={201: SharePaymentSerializer})
    def create(self, request):
        data = validated(SharePaymentInput, request)
        payment = money.share_payment_record(actor=request.viewer, **data)
        return Response(SharePaymentSerializer(payment).data, status=201)


class HouseBillSerializer(StrictModelSerializer):
    house = PeerHouseField()

    class Meta:
        model = HouseBill
        fields = ["id", "house", "kind", "payee", "amount", "received_on", "due_on", "created_at"]
        read_only_fields = ["created_at"]


class HouseBillViewSet(ScopedViewSet):
    """Bills the house received. The treasurer records them; a check in the register pays one."""

    queryset = HouseBill.objects.all()
    selector = staticmethod(access.bills_for)
    serializer_class = HouseBillSerializer
    filterset_fields = ["house", "kind"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS

    def perform_create(self, serializer):
        serializer.instance = money.bill_record(actor=self.request.viewer, **serializer.validated_data)


class BankEntrySerializer(StrictModelSerializer):
    house = PeerHouseField()
    signed_by = MemberField(required=False, allow_null=True)
    cosigned_by = MemberField(required=False, allow_null=True)
    bill = BillField(required=False, allow_null=True)

    class Meta:
        model = BankEntry
        fields = ["id", "house", "kind", "entry_on", "amount", "number", "payee", "memo", "bill", "signed_by",
                  "cosigned_by", "cleared_in", "created_at"]  # fmt: skip
        read_only_fields = ["cleared_in", "created_at"]
        validators = []


class BankEntryViewSet(ScopedViewSet):
    """The house's bank register. The treasurer writes it (POST): the opening balance, deposits, bank fees, and
    checks with their number, payee and two signing officers. Append-only."""

    queryset = BankEntry.objects.all()
    selector = staticmethod(access.bank_entries_for)
    serializer_class = BankEntrySerializer
    filterset_fields = ["house", "kind"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS

    def perform_create(self, serializer):
        serializer.instance = money.bank_entry_record(actor=self.request.viewer, **serializer.validated_data)


class MonthlyAuditSerializer(StrictModelSerializer):
    house = PeerHouseField()
    auditors = MemberField(many=True)
    cleared = BankEntryField(many=True, write_only=True, help_text=_("Register entries on the statement"))
    signed_by = serializers.SerializerMethodField()
    is_reconciled = serializers.BooleanField(read_only=True)
    is_signed_off = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyAudit
        fields = ["id", "house", "month", "statement_balance", "register_balance", "uncleared_in", "uncleared_out",
                  "difference", "is_reconciled", "notes", "auditors", "cleared", "signed_by", "is_signed_off",
                  "created_at"]  # fmt: skip
        read_only_fields = ["register_balance", "uncleared_in", "uncleared_out", "difference", "created_at"]
        validators = []

    def get_signed_by(self, audit) -> list[int]:
        return [signature.member_id for signature in audit.signatures.all()]

    def get_is_signed_off(self, audit) -> bool:
        return is_signed_off(audit)


class MonthlyAuditViewSet(ScopedViewSet):
    """Monthly audits of the register against the bank statement. The comptroller prepares one (POST) once the
    month has ended; each member named to audit signs it (``sign``). A month is reconciled when the difference is 0."""

    queryset = MonthlyAudit.objects.all()
    selector = staticmethod(access.audits_for)
    serializer_class = MonthlyAuditSerializer
    filterset_fields = ["house", "month"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS

    def perform_create(self, serializer):
        audit = money.audit_prepare(actor=self.request.viewer, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=audit.pk)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        audit = self.get_object()
        money.audit_sign(actor=request.viewer, audit=audit)
        return Response(self.get_serializer(self.get_queryset().get(pk=audit.pk)).data)


class BehaviourContractSerializer(StrictModelSerializer):
    meeting = MeetingField()
    member = MemberField()

    class Meta:
        model = BehaviourContract
        fields = ["id", "house", "meeting", "member", "amount_behind", "terms", "created_at"]
        read_only_fields = ["house", "amount_behind", "created_at"]


class BehaviourContractViewSet(ScopedViewSet):
    """Behaviour contracts of members behind on shares by more than the charter's limit, recorded by the president
    at a meeting."""

    queryset = BehaviourContract.objects.all()
    selector = staticmethod(access.contracts_for)
    serializer_class = BehaviourContractSerializer
    filterset_fields = ["house", "member"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS

    def perform_create(self, serializer):
        serializer.instance = money.behaviour_contract_record(actor=self.request.viewer, **serializer.validated_data)
