"""A peer-run house's governance: its charter and officers (read by its members; set by an operator), elections."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import (
    ScopedReadOnlyViewSet,
    ScopedViewSet,
    StrictModelSerializer,
    StrictSerializer,
    ViewerMixin,
    validated,
)
from accounts.models import Role
from accounts.permissions import EVERYONE, OPERATORS, RolePermission
from houses.models import House
from peer.api.fields import ChapterField, MeetingField, MemberField, PeerHouseField
from peer.models import HouseCharter, Office, OfficerTerm
from peer.selectors import access
from peer.selectors.houses import officers_on
from peer.selectors.money import member_balances, register_balance, unreconciled_months
from peer.services import governance
from residents.models import Resident

MEMBERS_AND_OPERATORS = frozenset({Role.OPERATOR, Role.RESIDENT})


class OfficerTermSerializer(StrictModelSerializer):
    house = PeerHouseField()
    resident = MemberField()
    elected_at = MeetingField(required=False, allow_null=True)
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    office_label = serializers.CharField(source="get_office_display", read_only=True)

    class Meta:
        model = OfficerTerm
        fields = ["id", "house", "office", "office_label", "resident", "resident_name", "starts_on", "ends_on",
                  "elected_at", "created_at"]  # fmt: skip
        read_only_fields = ["ends_on", "created_at"]
        validators = []


class OfficerTermViewSet(ScopedViewSet):
    """Officers of the peer-run houses, term by term. A term ends on its own after the charter's months.

    Elect (POST): the president at an open meeting of the house (``elected_at``), or an operator before the house's
    first meeting (its first officers). A president cannot serve two terms in a row."""

    queryset = OfficerTerm.objects.all()
    selector = staticmethod(access.officer_terms_for)
    serializer_class = OfficerTermSerializer
    filterset_fields = ["house", "office", "resident"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS_AND_OPERATORS

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = governance.officer_elect(
            actor=self.request.viewer, house=data["house"], office=data["office"], resident=data["resident"],
            starts_on=data["starts_on"], meeting=data.get("elected_at"),
        )  # fmt: skip


class GovernanceInput(StrictSerializer):
    governance = serializers.ChoiceField(choices=House.Governance.choices)
    term_months = serializers.IntegerField(required=False, min_value=1, max_value=6)
    admission_percent = serializers.IntegerField(required=False, min_value=51, max_value=100)
    dismissal_percent = serializers.IntegerField(required=False, min_value=51, max_value=100)
    behind_limit = serializers.DecimalField(required=False, max_digits=12, decimal_places=2, min_value=0)
    share_due_weekday = serializers.IntegerField(required=False, min_value=0, max_value=6)
    chapter = ChapterField(required=False, allow_null=True)


class CharterSerializer(serializers.ModelSerializer):
    chapter_name = serializers.CharField(source="chapter.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = HouseCharter
        fields = ["term_months", "admission_percent", "dismissal_percent", "behind_limit", "share_due_weekday",
                  "chapter", "chapter_name"]  # fmt: skip


class PeerHouseListSerializer(serializers.ModelSerializer):
    charter = CharterSerializer(read_only=True, allow_null=True)

    class Meta:
        model = House
        fields = ["id", "name", "governance", "charter"]


class PeerHouseSerializer(serializers.ModelSerializer):
    charter = CharterSerializer(read_only=True, allow_null=True, help_text=_("None for a staff-run house"))
    officers = serializers.SerializerMethodField()
    bank_balance = serializers.SerializerMethodField()
    unreconciled_months = serializers.SerializerMethodField()

    class Meta:
        model = House
        fields = ["id", "name", "governance", "charter", "officers", "bank_balance", "unreconciled_months"]

    def get_officers(self, house) -> list[dict]:
        today = house.organization.today()
        return [
            {"office": term.office, "resident": term.resident_id, "name": term.resident.display_name,
             "ends_on": term.ends_on}
            for term in officers_on(house, today)
        ]  # fmt: skip

    def get_bank_balance(self, house) -> str:
        return str(register_balance(house))

    def get_unreconciled_months(self, house) -> list[str]:
        return [month.strftime("%Y-%m") for month in unreconciled_months(house, today=house.organization.today())]


class MemberBalanceSerializer(serializers.Serializer):
    resident = serializers.IntegerField()
    name = serializers.CharField()
    balance = serializers.DecimalField(max_digits=12, decimal_places=2)
    offices = serializers.ListField(child=serializers.ChoiceField(choices=Office.choices))


class PeerHouseViewSet(ScopedReadOnlyViewSet):
    """The peer-run houses: each with its charter, today's officers, the register's balance and the months not yet
    reconciled. ``members`` lists every member with what they owe (every member sees the house's finances).
    An operator makes a house peer-run (or staff-run again) with ``PUT /houses/{id}/governance/``."""

    queryset = House.objects.all()
    selector = staticmethod(access.peer_houses_for)
    serializer_class = PeerHouseSerializer
    read_roles = EVERYONE

    def get_queryset(self):
        return super().get_queryset().select_related("organization")

    def get_serializer_class(self):
        return PeerHouseSerializer if self.action == "retrieve" else PeerHouseListSerializer

    @extend_schema(responses=MemberBalanceSerializer(many=True))
    @action(detail=True, methods=["get"])
    def members(self, request, pk=None):
        house = self.get_object()
        offices = {}
        for term in officers_on(house, house.organization.today()):
            offices.setdefault(term.resident_id, []).append(term.office)
        balances = member_balances(house)
        residents = sorted(Resident.objects.filter(pk__in=balances), key=lambda resident: resident.display_name)
        rows = [
            {"resident": r.pk, "name": r.display_name, "balance": balances[r.pk], "offices": offices.get(r.pk, [])}
            for r in residents
        ]
        return Response(MemberBalanceSerializer(rows, many=True).data)


class HouseGovernanceView(ViewerMixin, APIView):
    """Makes one of the organization's houses peer-run (with its charter) or staff-run again. Operators only."""

    permission_classes = [RolePermission]
    read_roles = OPERATORS
    write_roles = OPERATORS
    selector = staticmethod(access.houses_to_govern)

    @extend_schema(request=GovernanceInput, responses=PeerHouseSerializer)
    def put(self, request, pk):
        house = get_object_or_404(self.selector(viewer=request.viewer), pk=pk)
        data = validated(GovernanceInput, request)
        house = governance.house_governance_set(actor=request.viewer, house=house, **data)
        house = House.objects.select_related("organization", "charter__chapter").get(pk=house.pk)
        return Response(PeerHouseSerializer(house).data)
