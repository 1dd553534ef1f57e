"""Chapters and the monthly house reports filed to them."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import ScopedViewSet, StrictModelSerializer, StrictSerializer, validated
from accounts.models import Role
from accounts.permissions import EVERYONE, OPERATORS
from peer.api.fields import PeerHouseField
from peer.models import Chapter, HouseReport
from peer.selectors import access
from peer.services import chapters

MEMBERS_AND_OPERATORS = frozenset({Role.OPERATOR, Role.RESIDENT})


class ChapterSerializer(StrictModelSerializer):
    class Meta:
        model = Chapter
        fields = ["id", "name", "area", "created_at"]
        read_only_fields = ["created_at"]
        validators = []


class ChapterViewSet(ScopedViewSet):
    """The organization's chapters (houses join one through their charter). Operators create them."""

    queryset = Chapter.objects.all()
    selector = staticmethod(access.chapters_for)
    serializer_class = ChapterSerializer
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = OPERATORS

    def perform_create(self, serializer):
        serializer.instance = chapters.chapter_create(actor=self.request.viewer, **serializer.validated_data)


class HouseReportSerializer(StrictModelSerializer):
    house = PeerHouseField()
    house_name = serializers.CharField(source="house.name", read_only=True)
    filed_by_name = serializers.CharField(source="filed_by.display_name", read_only=True)

    class Meta:
        model = HouseReport
        fields = [
            "id", "house", "house_name", "chapter", "month", "beds", "members", "vacancies", "shares_charged",
            "shares_collected", "shares_owed", "bank_balance", "audit_done", "audit_reconciled", "officers",
            "meetings_held", "notes", "filed_by", "filed_by_name", "filed_at", "needs_help", "help_note",
        ]  # fmt: skip
        read_only_fields = [name for name in fields if name not in ("house", "month", "notes")]
        validators = []


class HouseReportMarkInput(StrictSerializer):
    needs_help = serializers.BooleanField()
    help_note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class HouseReportViewSet(ScopedViewSet):
    """Monthly house reports to the chapters. The house services representative files the house's report (POST
    ``house``, ``month``) once the month has ended; the chapter (its representatives, or an operator) marks a house
    that needs help (``mark``)."""

    queryset = HouseReport.objects.all()
    selector = staticmethod(access.house_reports_for)
    serializer_class = HouseReportSerializer
    filterset_fields = ["house", "chapter", "month", "needs_help"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS_AND_OPERATORS

    def perform_create(self, serializer):
        serializer.instance = chapters.house_report_file(actor=self.request.viewer, **serializer.validated_data)

    @extend_schema(request=HouseReportMarkInput)
    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        report = self.get_object()
        data = validated(HouseReportMarkInput, request)
        report = chapters.house_report_mark(
            actor=request.viewer, report=report, needs_help=data["needs_help"], note=data.get("help_note", "")
        )
        return Response(self.get_serializer(report).data)
