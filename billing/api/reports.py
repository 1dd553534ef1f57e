"""Balances, aging, delinquency, open charges and statements: read-only answers computed from the ledger."""

from decimal import Decimal

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import ScopedReadOnlyViewSet, StrictModelSerializer, StrictSerializer, ViewerMixin
from accounts.api_filters import FilterSet, Pagination, ScopedModelChoiceFilter, StrictBooleanFilter
from accounts.api_schema import error_response
from accounts.permissions import EVERYONE, STAFF, RolePermission
from residents.core.selectors.nights import residents_ever_in
from residents.models import Resident

from ..selectors.aging import DELINQUENCY_ORDERINGS, aging_report, delinquency, open_charges_of
from ..selectors.allocation import BUCKETS, buckets_of
from ..selectors.balances import resident_balance, residents_with_balances
from ..selectors.ledger import statement
from .common import id_field, money, optional_house_in_scope, read_query, resident_in_scope
from .serializers import LedgerEntrySerializer

NOT_IN_SCOPE = error_response("No such resident or house among those this login may see.")

# Bucket names such as "1_30" are not Python identifiers, so the class is built from a dict.
AgingBucketsSerializer = type("AgingBucketsSerializer", (serializers.Serializer,), {name: money() for name in BUCKETS})


class BalanceQuery(StrictSerializer):
    resident = id_field(required=False, help_text="Staff: whose balance. Residents: their own (may be left out)")


class BalanceSerializer(serializers.Serializer):
    balance = money(help_text="Sum of the ledger: above zero the resident owes, below zero they are in credit")
    pending = money(help_text="Payments on their way, not yet credited")
    currency = serializers.CharField()


class BalanceView(ViewerMixin, APIView):
    """A resident's balance: their own, or for staff the ``resident`` named. Amounts are decimal strings."""

    permission_classes = [RolePermission]
    read_roles = EVERYONE

    @extend_schema(
        parameters=[OpenApiParameter("resident", int, description="Staff: the resident")],
        responses={200: BalanceSerializer, 404: NOT_IN_SCOPE},
    )
    def get(self, request):
        query = read_query(BalanceQuery, request)
        resident = resident_in_scope(request, query.get("resident"))
        return Response(BalanceSerializer(resident_balance(resident=resident)).data)


class ResidentBalanceSerializer(StrictModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    balance = money(read_only=True)
    pending = money(read_only=True)

    class Meta:
        model = Resident
        fields = ["id", "name", "balance", "pending"]
        read_only_fields = fields


class ResidentBalanceFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House", method="filter_house", label="Has lived in this house")
    owing = StrictBooleanFilter(method="filter_owing", label="Balance above zero")
    in_credit = StrictBooleanFilter(method="filter_in_credit", label="Balance below zero")

    class Meta:
        model = Resident
        fields = ["house", "owing", "in_credit"]

    def filter_house(self, queryset, name, value):
        return queryset.filter(pk__in=residents_ever_in(value))

    def filter_owing(self, queryset, name, value):
        return queryset.filter(balance__gt=0) if value else queryset.filter(balance__lte=0)

    def filter_in_credit(self, queryset, name, value):
        return queryset.filter(balance__lt=0) if value else queryset.filter(balance__gte=0)


class ResidentBalanceViewSet(ScopedReadOnlyViewSet):
    """Each resident's balance (the sum of their ledger) and pending payments, for staff."""

    queryset = Resident.objects.all()
    selector = staticmethod(residents_with_balances)
    serializer_class = ResidentBalanceSerializer
    filterset_class = ResidentBalanceFilter
    search_fields = ["legal_first_name", "legal_last_name", "preferred_name"]
    ordering_fields = ["balance", "pending", "legal_last_name", "legal_first_name"]
    ordering = ["legal_last_name", "legal_first_name", "id"]
    read_roles = STAFF


class AgingQuery(StrictSerializer):
    house = id_field(required=False, help_text="One house; without it, every house the viewer may see")
    as_of = serializers.DateField(required=False, help_text="Defaults to today")


class AgingSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    house = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()
    buckets = AgingBucketsSerializer()
    total_owed = money(help_text="Always the sum of the buckets")
    residents_owing = serializers.IntegerField()
    credit_balances = money(help_text="Money residents have in credit; not part of aging")
    residents_in_credit = serializers.IntegerField()


class AgingView(ViewerMixin, APIView):
    """What residents owe, by days past each open charge's effective date: current, 1-30, 31-60, 61-90 and over
    90 days. Payments pay the oldest charges first; ``total_owed`` always equals the sum of the buckets."""

    permission_classes = [RolePermission]
    read_roles = STAFF

    @extend_schema(parameters=[AgingQuery], responses={200: AgingSerializer, 404: NOT_IN_SCOPE})
    def get(self, request):
        query = read_query(AgingQuery, request)
        house = optional_house_in_scope(request, query.get("house"))
        return Response(AgingSerializer(aging_report(viewer=request.viewer, house=house, on=query.get("as_of"))).data)


class DelinquencyQuery(StrictSerializer):
    house = id_field(required=False)
    as_of = serializers.DateField(required=False)
    min_days = serializers.IntegerField(required=False, min_value=0, max_value=3650, default=1)
    search = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    bucket = serializers.ChoiceField(
        choices=BUCKETS, required=False, default="", help_text="Only residents with something open in this bucket"
    )
    min_owed = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        default=None,
        help_text="Only residents who owe at least this much",
    )
    ordering = serializers.ChoiceField(
        choices=[f"{sign}{name}" for name in DELINQUENCY_ORDERINGS for sign in ("", "-")],
        required=False,
        default="-amount",
    )


class DelinquentResidentSerializer(serializers.Serializer):
    resident = serializers.IntegerField(source="resident_id")
    resident_name = serializers.CharField()
    house = serializers.IntegerField(source="house_id", help_text="Where the oldest open charge was posted")
    house_name = serializers.CharField()
    owed = money()
    balance = money()
    oldest_due_on = serializers.DateField()
    days_overdue = serializers.IntegerField()
    buckets = AgingBucketsSerializer()


class PageFirstPaginator(Paginator):
    """Reads the page before the count: the delinquency rows carry their total, so both cost one query."""

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = self.object_list[bottom : bottom + self.per_page]
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(rows, number, self)


class DelinquencyPagination(Pagination):
    django_paginator_class = PageFirstPaginator


class DelinquencyView(ViewerMixin, ListAPIView):
    """Residents with charges open at least ``min_days`` days (default 1), with what they owe and how long.
    ``ordering``: ``amount``, ``age`` or ``name`` (``-`` for descending; default ``-amount``); ``bucket`` and
    ``min_owed`` narrow the list. Computed, filtered, sorted and paged by the database."""

    permission_classes = [RolePermission]
    read_roles = STAFF
    pagination_class = DelinquencyPagination
    serializer_class = DelinquentResidentSerializer
    filter_backends = []
    selector = staticmethod(delinquency)  # rows, not a queryset: computed from the ledger the viewer may see

    # On ``get``: an APIView's schema is read from its HTTP methods, not from ``list``.
    @extend_schema(parameters=[DelinquencyQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        query = read_query(DelinquencyQuery, request)
        house = optional_house_in_scope(request, query.pop("house", None))
        rows = type(self).selector(viewer=request.viewer, house=house, on=query.pop("as_of", None), **query)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class OpenChargeSerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="entry_id")
    kind = serializers.CharField()
    house = serializers.IntegerField(source="house_id")
    effective_on = serializers.DateField()
    amount = money()
    open = money(help_text="What payments and credits have not covered yet")
    days_past = serializers.IntegerField()
    bucket = serializers.ChoiceField(choices=BUCKETS)


class OpenChargesQuery(StrictSerializer):
    resident = id_field(required=False)
    as_of = serializers.DateField(required=False)


class OpenChargesSerializer(serializers.Serializer):
    resident = serializers.IntegerField(source="resident_id")
    as_of = serializers.DateField()
    balance = money()
    owed = money(help_text="The sum of the open charges: the balance when above zero, else zero")
    credit = money(help_text="The balance below zero, as a positive amount; else zero")
    buckets = AgingBucketsSerializer()
    charges = OpenChargeSerializer(many=True, source="open_charges")


class OpenChargesView(ViewerMixin, APIView):
    """Which of a resident's charges are still open, oldest first, and how old: the explanation of their aging."""

    permission_classes = [RolePermission]
    read_roles = EVERYONE

    @extend_schema(parameters=[OpenChargesQuery], responses={200: OpenChargesSerializer, 404: NOT_IN_SCOPE})
    def get(self, request):
        query = read_query(OpenChargesQuery, request)
        resident = resident_in_scope(request, query.get("resident"))
        on = query.get("as_of") or resident.organization.today()
        position = open_charges_of(resident=resident, on=on)
        body = {
            "resident_id": resident.pk,
            "as_of": on,
            "balance": position.balance,
            "owed": position.owed(),
            "credit": position.credit,
            "buckets": buckets_of(position.open_charges),
            "open_charges": position.open_charges,
        }
        return Response(OpenChargesSerializer(body).data)


class StatementQuery(StrictSerializer):
    resident = id_field(required=False)
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end cannot be before the start.")]})
        return attrs


class StatementLineSerializer(LedgerEntrySerializer):
    running_balance = money(read_only=True)

    class Meta(LedgerEntrySerializer.Meta):
        fields = [*LedgerEntrySerializer.Meta.fields, "running_balance"]
        read_only_fields = fields


class StatementSerializer(serializers.Serializer):
    resident = serializers.IntegerField(source="resident.pk")
    start = serializers.DateField()
    end = serializers.DateField()
    currency = serializers.CharField()
    opening_balance = money()
    charges = money(help_text="Everything that raised the balance in the range")
    credits = money(help_text="Everything that lowered it, as a positive amount")
    closing_balance = money()
    entries = serializers.SerializerMethodField()

    @extend_schema_field(StatementLineSerializer(many=True))
    def get_entries(self, result):
        for line in result.lines:
            line.entry.running_balance = line.running_balance
        return StatementLineSerializer([line.entry for line in result.lines], many=True).data


class StatementView(ViewerMixin, APIView):
    """A resident's statement from ``start`` to ``end`` (both included): opening balance, every entry with the
    balance after it, closing balance. Residents fetch their own."""

    permission_classes = [RolePermission]
    read_roles = EVERYONE

    @extend_schema(parameters=[StatementQuery], responses={200: StatementSerializer, 404: NOT_IN_SCOPE})
    def get(self, request):
        query = read_query(StatementQuery, request)
        resident = resident_in_scope(request, query.get("resident"))
        return Response(StatementSerializer(statement(resident=resident, start=query["start"], end=query["end"])).data)
