from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import ScopedQuerysetMixin, ScopedRelatedField, StrictSerializer, ViewerMixin
from accounts.permissions import STAFF, RolePermission
from houses.models import House

from . import services
from .downloads import report_file
from .metrics import Month, as_json, monthly_metrics
from .models import Report


class MonthField(serializers.CharField):
    def to_internal_value(self, data):
        try:
            return Month.parse(super().to_internal_value(data))
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error

    def to_representation(self, value):
        return str(value)


class MonthlyQuery(StrictSerializer):
    month = MonthField(help_text="YYYY-MM")
    house = ScopedRelatedField(queryset=House.objects.all(), required=False, help_text="One house instead of all")


class MonthlyMetricsView(ViewerMixin, APIView):
    """The month's figures (occupancy, compliance, money) as JSON: organization totals plus one entry per house.
    The same numbers the PDF shows. Managers may ask for one of their houses."""

    permission_classes = [RolePermission]
    read_roles = STAFF

    @extend_schema(parameters=[MonthlyQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        query = MonthlyQuery(data=request.query_params.dict(), context={"request": request})
        query.is_valid(raise_exception=True)
        house = query.validated_data.get("house")
        if house is None and not request.viewer.is_operator:
            raise serializers.ValidationError({"house": ["Managers ask for one of their houses."]})
        metrics = monthly_metrics(
            organization=request.viewer.organization, month=query.validated_data["month"], house=house
        )
        return Response(as_json(metrics))


class ReportSerializer(serializers.ModelSerializer):
    month = serializers.DateField(format="%Y-%m")
    house_name = serializers.CharField(source="house.name", read_only=True, default=None)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id", "kind", "month", "house", "house_name", "status", "progress_done", "progress_total", "pages",
            "error", "created_at", "finished_at", "download_url",
        ]  # fmt: skip

    def get_download_url(self, report) -> str | None:
        if report.status != Report.Status.DONE:
            return None
        return f"/api/v1/reports/{report.pk}/download/"


class ReportRequestSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Report.Kind.choices, default=Report.Kind.MONTHLY)
    month = MonthField(help_text="YYYY-MM")
    house = ScopedRelatedField(queryset=House.objects.all(), required=False, allow_null=True)
    refresh = serializers.BooleanField(default=False, help_text="Make a new report even if the figures are unchanged")

    def validate_month(self, month):
        today = self.context["request"].viewer.organization.today()
        if month.first > today:
            raise serializers.ValidationError("That month has not started yet.")
        return month


class ReportViewSet(
    ViewerMixin, ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Generated reports. POST asks for one (202 with its id); GET shows status and progress; download streams the
    PDF once it is ready."""

    queryset = Report.objects.select_related("house")
    serializer_class = ReportSerializer
    permission_classes = [RolePermission]
    filterset_fields = ["kind", "status", "house"]
    search_fields = ["house__name"]
    ordering_fields = ["created_at", "month"]
    read_roles = STAFF
    write_roles = STAFF

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportSerializer, 200: ReportSerializer})
    def create(self, request):
        data = ReportRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        house = data.validated_data.get("house")
        if house is None and not request.viewer.is_operator:
            raise serializers.ValidationError({"house": ["Managers ask for one of their houses."]})
        report, _created = services.report_request(
            actor=request.user,
            organization=request.viewer.organization,
            month=data.validated_data["month"],
            house=house,
            refresh=data.validated_data["refresh"],
        )
        report.refresh_from_db()
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return report_file(get_object_or_404(self.get_queryset(), pk=pk))
