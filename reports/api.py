from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import (
    ModelSerializer,
    ScopedQuerysetMixin,
    ScopedRelatedField,
    StrictSerializer,
    ThroughText,
    ViewerMixin,
)
from accounts.api_filters import FilterSet, Pagination
from accounts.api_schema import YearMonthField
from accounts.permissions import OPERATORS, STAFF, RolePermission
from accounts.replica import reporting_reads
from houses.models import House

from . import services
from .downloads import PDF_RENDERERS, report_file
from .metrics import Month, as_json, monthly_metrics, reportable
from .models import MonthClose, Report
from .selectors import month_closes_for, reports_for


class MonthField(serializers.CharField):
    def to_internal_value(self, data):
        try:
            return Month.parse(super().to_internal_value(data))
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error

    def to_representation(self, value):
        return str(value)


def reportable_month(month: Month, *, request) -> Month:
    """The month as reportable today (the running one to date); a month with no night over yet is refused."""
    try:
        return reportable(organization=request.viewer.organization, month=month)
    except ValueError as error:
        raise serializers.ValidationError(str(error)) from error


class MonthlyQuery(StrictSerializer):
    month = MonthField(help_text=_("YYYY-MM: a finished month, or the current one to date (through last night)"))
    house = ScopedRelatedField(queryset=House.objects.all(), required=False, help_text=_("One house instead of all"))
    page = serializers.IntegerField(required=False, min_value=1, help_text="Page of the houses, from 1")
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=Pagination.max_page_size, help_text="Houses per page (default 50)"
    )

    def validate_month(self, month):
        return reportable_month(month, request=self.context["request"])


MONTHLY_METRICS_RESPONSE = inline_serializer(
    "MonthlyMetrics",
    {
        "organization": serializers.DictField(help_text="id, name and currency"),
        "month": serializers.CharField(help_text="YYYY-MM"),
        "through": serializers.DateField(help_text="The last night counted"),
        "partial": serializers.BooleanField(help_text="The month is still running"),
        "scope": serializers.ChoiceField(choices=["organization", "house"]),
        "totals": serializers.DictField(help_text="Each section's figures over every house in scope"),
        "count": serializers.IntegerField(help_text="Houses in scope, on every page"),
        "next": serializers.URLField(allow_null=True, help_text="The next page of houses"),
        "previous": serializers.URLField(allow_null=True, help_text="The previous page of houses"),
        "houses": serializers.ListField(
            child=serializers.DictField(), help_text="This page's houses: id, name and each section's figures"
        ),
    },
)


class MonthlyMetricsView(ViewerMixin, APIView):
    """The month's figures (occupancy, compliance, money, referrals) as JSON: the organization's totals plus one
    entry per house, the houses paged as every list is (``count``, ``next``, ``previous``; ``houses`` holds the
    page: ``?page=``, ``?page_size=`` up to 200, default 50, by name). The totals always cover every house. The same
    numbers the PDF shows. Managers may ask for one of their houses. The current month is reported to date
    (``partial``: true, ``through``: last night); a month with no night over yet is a 400."""

    permission_classes = [RolePermission]
    read_roles = STAFF

    @extend_schema(parameters=[MonthlyQuery], responses=MONTHLY_METRICS_RESPONSE)
    def get(self, request):
        query = MonthlyQuery(data=request.query_params.dict(), context={"request": request})
        query.is_valid(raise_exception=True)
        house = query.validated_data.get("house")
        if house is None and not request.viewer.is_operator:
            raise serializers.ValidationError({"house": [_("Managers ask for one of their houses.")]})
        # The figures may come from a read replica (config/db_routers.py); nothing here writes.
        with reporting_reads():
            metrics = monthly_metrics(
                organization=request.viewer.organization, month=query.validated_data["month"], house=house
            )
        pages = Pagination()
        houses = pages.paginate_queryset(metrics.pop("houses"), request, view=self)
        body = {
            **metrics,
            "count": pages.page.paginator.count,
            "next": pages.get_next_link(),
            "previous": pages.get_previous_link(),
            "houses": houses,
        }
        return Response(as_json(body))


class ReportSerializer(ModelSerializer):
    month = YearMonthField(read_only=True)
    house_name = ThroughText(source="house.name", default=None, allow_null=True)
    download_url = serializers.SerializerMethodField()
    sha256 = serializers.CharField(read_only=True, help_text="SHA-256 of the PDF file (hex); empty until it is ready")
    fingerprint = serializers.CharField(
        read_only=True, help_text="SHA-256 of the figures, printed on the cover (a PDF cannot carry its own file hash)"
    )
    superseded = serializers.SerializerMethodField(help_text="Its month was reopened after it was made")

    class Meta:
        model = Report
        fields = [
            "id", "kind", "month", "house", "house_name", "audience", "status", "progress_done", "progress_total",
            "pages", "error", "created_at", "finished_at", "download_url", "sha256", "fingerprint", "superseded",
            "superseded_at",
        ]  # fmt: skip

    def get_superseded(self, report) -> bool:
        return report.superseded_at is not None

    def get_download_url(self, report) -> str | None:
        if report.status != Report.Status.DONE:
            return None
        return f"/api/v1/reports/{report.pk}/download/"


class ReportRequestSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Report.Kind.choices, default=Report.Kind.MONTHLY)
    month = MonthField(help_text=_("YYYY-MM"))
    house = ScopedRelatedField(queryset=House.objects.all(), required=False, allow_null=True)
    refresh = serializers.BooleanField(default=False, help_text="Make a new report even if the figures are unchanged")
    audience = serializers.ChoiceField(
        choices=Report.Audience.choices,
        default=Report.Audience.INTERNAL,
        help_text='"internal" names residents; "funder" names none and shows counts of people under 5 as "<5"',
    )

    def validate_month(self, month):
        return reportable_month(month, request=self.context["request"])


class ReportFilter(FilterSet):
    class Meta:
        model = Report
        fields = ["kind", "status", "house"]


class ReportViewSet(
    ViewerMixin, ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Generated reports. POST asks for one (202 with its id); GET shows status and progress; download streams the
    PDF once it is ready."""

    queryset = Report.objects.all()
    selector = staticmethod(reports_for)
    serializer_class = ReportSerializer
    permission_classes = [RolePermission]
    filterset_class = ReportFilter
    search_fields = ["house__name"]
    ordering_fields = ["created_at", "month"]
    read_roles = STAFF
    write_roles = STAFF

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportSerializer, 200: ReportSerializer})
    def create(self, request):
        data = ReportRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        report, _created = services.report_request(
            actor=request.viewer,
            organization=request.viewer.organization,
            month=data.validated_data["month"],
            house=data.validated_data.get("house"),
            refresh=data.validated_data["refresh"],
            audience=data.validated_data["audience"],
        )
        report.refresh_from_db()
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"], renderer_classes=PDF_RENDERERS)
    def download(self, request, pk=None):
        return report_file(get_object_or_404(self.get_queryset(), pk=pk))


class MonthCloseSerializer(ModelSerializer):
    month = YearMonthField(read_only=True)
    closed_by_name = serializers.SerializerMethodField()
    reopened_by_name = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField(help_text="The month is closed now (not reopened)")
    report_status = ThroughText(source="report.status", default=None, allow_null=True)
    report_sha256 = serializers.CharField(
        source="report.sha256",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="SHA-256 of the stored PDF file (hex)",
    )
    report_download_url = serializers.SerializerMethodField()

    class Meta:
        model = MonthClose
        fields = [
            "id", "month", "in_force", "closed_by_name", "closed_at", "report", "report_status", "report_sha256",
            "report_download_url", "reopened_by_name", "reopened_at", "reopen_reason",
        ]  # fmt: skip

    def get_closed_by_name(self, close) -> str | None:
        return close.closed_by.get_full_name() if close.closed_by else None

    def get_reopened_by_name(self, close) -> str | None:
        return close.reopened_by.get_full_name() if close.reopened_by else None

    def get_in_force(self, close) -> bool:
        return close.reopened_at is None

    def get_report_download_url(self, close) -> str | None:
        request = self.context.get("request")
        if request is None or not request.viewer.is_operator:  # an organization report is the operators' to read
            return None
        if close.report is None or close.report.status != Report.Status.DONE:
            return None
        return f"/api/v1/reports/{close.report_id}/download/"


class MonthCloseInput(StrictSerializer):
    month = MonthField(help_text=_("YYYY-MM: a month that is over, the one after the latest closed month"))


class MonthReopenInput(StrictSerializer):
    reason = serializers.CharField(max_length=300, help_text="Why the month is reopened (kept in the audit log)")


class MonthCloseViewSet(
    ViewerMixin, ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Closed months, newest first, with their history. POST closes a month (operators): nothing can be dated into
    it afterwards, and its organization report is made once and stored. ``reopen`` reopens the latest closed month
    (operators, with a reason; audit-logged) and marks its stored reports superseded."""

    queryset = MonthClose.objects.all()
    selector = staticmethod(month_closes_for)
    serializer_class = MonthCloseSerializer
    permission_classes = [RolePermission]
    ordering_fields = ["month", "closed_at"]
    read_roles = STAFF
    write_roles = OPERATORS

    @extend_schema(request=MonthCloseInput, responses={201: MonthCloseSerializer})
    def create(self, request):
        data = MonthCloseInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        close = services.month_close(
            actor=request.viewer, organization=request.viewer.organization, month=data.validated_data["month"],
            request=request,
        )  # fmt: skip
        close = self.get_queryset().get(pk=close.pk)
        return Response(self.get_serializer(close).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MonthReopenInput, responses={200: MonthCloseSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        close = get_object_or_404(self.get_queryset(), pk=pk)
        data = MonthReopenInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        close = services.month_reopen(
            actor=request.viewer, close=close, reason=data.validated_data["reason"], request=request
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=close.pk)).data)
