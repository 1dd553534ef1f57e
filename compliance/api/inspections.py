"""Safety inspections, their lines and the corrective actions failed lines open."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import ScopedReadOnlyViewSet, ScopedRelatedField, StrictSerializer, ThroughText
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter
from accounts.permissions import STAFF
from houses.models import House

from ..models import CorrectiveAction, Inspection, InspectionLine
from ..selectors.safety import corrective_actions_for, inspection_lines_for, inspections_for
from ..services import inspections as inspection_services


class InspectionLineSerializer(serializers.ModelSerializer):
    room_name = ThroughText(source="room.name", default=None, allow_null=True)
    # Read-only model fields lose allow_blank, so the schema would not admit a line not answered yet ("").
    result = serializers.ChoiceField(
        choices=InspectionLine.Result.choices, allow_blank=True, read_only=True, help_text="Empty until answered"
    )
    inspection_house = serializers.IntegerField(source="inspection.house_id", read_only=True)

    class Meta:
        model = InspectionLine
        fields = [
            "id", "inspection", "inspection_house", "position", "item", "label", "room", "room_name", "floor",
            "equipment", "result", "note", "location", "quantity", "expires_on", "last_serviced_on",
            "recorded_by", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    house_name = serializers.CharField(source="house.name", read_only=True)
    line_count = serializers.IntegerField(read_only=True)
    answered_count = serializers.IntegerField(read_only=True)
    failed_count = serializers.IntegerField(read_only=True)
    lines = InspectionLineSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id", "house", "house_name", "inspected_on", "status", "notes", "started_by", "started_at",
            "completed_by", "completed_at", "line_count", "answered_count", "failed_count", "lines",
        ]  # fmt: skip
        read_only_fields = fields


class InspectionStartInput(StrictSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    inspected_on = serializers.DateField(required=False, help_text="Default: today")


class InspectionCompleteInput(StrictSerializer):
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class LineRecordInput(StrictSerializer):
    result = serializers.ChoiceField(choices=InspectionLine.Result.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    due_on = serializers.DateField(required=False, help_text="For a fail: when the fix is due (default +7 days)")
    location = serializers.CharField(required=False, max_length=120, help_text="Extinguisher or naloxone lines")
    quantity = serializers.IntegerField(required=False, min_value=0, max_value=100, help_text="Naloxone doses")
    expires_on = serializers.DateField(required=False, help_text="Naloxone expiry")
    last_serviced_on = serializers.DateField(required=False, help_text="Extinguisher's last service")


class InspectionFilter(FilterSet):
    inspected_after = django_filters.DateFilter(field_name="inspected_on", lookup_expr="gte")
    inspected_before = django_filters.DateFilter(field_name="inspected_on", lookup_expr="lte")

    class Meta:
        model = Inspection
        fields = ["house", "status", "inspected_after", "inspected_before"]


class InspectionViewSet(ScopedReadOnlyViewSet):
    """Safety inspections. ``start`` generates the checklist from the house; lines are answered one by one
    (``/inspection-lines/{id}/record/``); ``complete`` is refused while any line is unanswered."""

    queryset = Inspection.objects.all()
    selector = staticmethod(inspections_for)
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    search_fields = ["house__name", "notes"]
    ordering_fields = ["inspected_on", "completed_at", "started_at"]
    read_roles = STAFF
    action_roles = {"start": STAFF, "complete": STAFF}

    def _respond(self, inspection, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=inspection.pk)).data, status=code)

    @extend_schema(request=InspectionStartInput, responses={201: InspectionSerializer})
    @action(detail=False, methods=["post"])
    def start(self, request):
        """Starts an inspection of a house and generates its lines."""
        data = InspectionStartInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        inspection = inspection_services.inspection_start(actor=request.viewer, **data.validated_data)
        return self._respond(inspection, status.HTTP_201_CREATED)

    @extend_schema(request=InspectionCompleteInput, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Completes the inspection; refused (400, naming ``lines``) while a line is unanswered."""
        inspection = self.get_object()
        data = InspectionCompleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        inspection_services.inspection_complete(actor=request.viewer, inspection=inspection, **data.validated_data)
        return self._respond(inspection)


class InspectionLineFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House", field_name="inspection__house")
    answered = StrictBooleanFilter(method="filter_answered")

    class Meta:
        model = InspectionLine
        fields = ["inspection", "house", "item", "result", "answered"]

    def filter_answered(self, queryset, name, value):
        return queryset.exclude(result="") if value else queryset.filter(result="")


class InspectionLineViewSet(ScopedReadOnlyViewSet):
    """The lines of inspections. ``record`` answers one: pass, or fail with a note (which opens a corrective
    action due in 7 days unless ``due_on`` says otherwise)."""

    queryset = InspectionLine.objects.all()
    selector = staticmethod(inspection_lines_for)
    serializer_class = InspectionLineSerializer
    filterset_class = InspectionLineFilter
    search_fields = ["label", "note", "location"]
    ordering_fields = ["position", "recorded_at", "item"]
    read_roles = STAFF
    action_roles = {"record": STAFF}

    @extend_schema(request=LineRecordInput, responses=InspectionLineSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        line = self.get_object()
        data = LineRecordInput(data=request.data)
        data.is_valid(raise_exception=True)
        line = inspection_services.inspection_line_record(actor=request.viewer, line=line, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=line.pk)).data)


class CorrectiveActionSerializer(serializers.ModelSerializer):
    house_name = serializers.CharField(source="house.name", read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    fixed_by_name = ThroughText(source="fixed_by.get_full_name", default="")

    class Meta:
        model = CorrectiveAction
        fields = [
            "id", "house", "house_name", "inspection", "line", "description", "due_on", "is_open", "opened_by",
            "opened_at", "fixed_on", "fixed_by", "fixed_by_name", "fix_note", "fix_recorded_at",
        ]  # fmt: skip
        read_only_fields = fields


class FixInput(StrictSerializer):
    note = serializers.CharField(max_length=2000, help_text="What was done")
    fixed_on = serializers.DateField(required=False, help_text="Default: today")


class CorrectiveActionFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=[("open", "Open"), ("fixed", "Fixed")], method="filter_status")
    overdue = StrictBooleanFilter(method="filter_overdue", label="Open and past its due date")
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = CorrectiveAction
        fields = ["house", "inspection", "status", "overdue", "due_after", "due_before"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(fixed_on__isnull=(value == "open"))

    def filter_overdue(self, queryset, name, value):
        today = self.request.viewer.organization.today()
        overdue = queryset.filter(fixed_on__isnull=True, due_on__lt=today)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class CorrectiveActionViewSet(ScopedReadOnlyViewSet):
    """What failed inspections require to be put right. ``fix`` records who fixed it, when and how."""

    queryset = CorrectiveAction.objects.all()
    selector = staticmethod(corrective_actions_for)
    serializer_class = CorrectiveActionSerializer
    filterset_class = CorrectiveActionFilter
    search_fields = ["description", "fix_note", "house__name"]
    ordering_fields = ["due_on", "opened_at", "fixed_on"]
    read_roles = STAFF
    action_roles = {"fix": STAFF}

    @extend_schema(request=FixInput, responses=CorrectiveActionSerializer)
    @action(detail=True, methods=["post"])
    def fix(self, request, pk=None):
        corrective_action = self.get_object()
        data = FixInput(data=request.data)
        data.is_valid(raise_exception=True)
        inspection_services.corrective_action_fix(actor=request.viewer, action=corrective_action, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=corrective_action.pk)).data)
