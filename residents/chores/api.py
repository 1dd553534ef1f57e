"""Chores API: chore definitions (staff), the weekly rotation and its assignments (residents see their own)."""

import django_filters
from django.db.models import F
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import (
    ScopedReadOnlyViewSet,
    ScopedRelatedField,
    ScopedViewSet,
    StrictModelSerializer,
    StrictSerializer,
)
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter
from accounts.calendar import week_of
from accounts.permissions import EVERYONE, STAFF
from houses.models import House
from residents.chores import selectors, services
from residents.chores.models import WEEKDAYS
from residents.models import Chore, ChoreAssignment, Resident

Status = ChoreAssignment.Status


class ChoreSerializer(StrictModelSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    house_name = serializers.CharField(source="house.name", read_only=True)
    weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=WEEKDAYS),
        source="weekday_names",
        required=False,
        help_text="Days a weekly chore runs (mon ... sun); leave empty for a daily chore",
    )

    class Meta:
        model = Chore
        fields = [
            "id", "house", "house_name", "name", "description", "frequency", "weekdays", "is_active", "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]
        validators = []  # the service checks uniqueness, so the error names the field

    @staticmethod
    def service_arguments(validated_data) -> dict:
        data = dict(validated_data)
        if "weekday_names" in data:
            data["weekdays"] = data.pop("weekday_names")
        return data


class ChoreFilter(FilterSet):
    house = ScopedModelChoiceFilter(House)
    is_active = StrictBooleanFilter()
    weekday = django_filters.ChoiceFilter(
        choices=[(day, day) for day in WEEKDAYS], method="filter_weekday", label="Runs on this weekday"
    )

    class Meta:
        model = Chore
        fields = ["house", "frequency", "is_active", "weekday"]

    def filter_weekday(self, queryset, name, value):
        return queryset.alias(on_day=F("weekdays").bitand(1 << WEEKDAYS.index(value))).filter(on_day__gt=0)


class ChoreViewSet(ScopedViewSet):
    """Chores of the houses the member runs: what needs doing, daily or on chosen weekdays.

    A chore that was ever assigned cannot be deleted (409): deactivate it. Deactivating it, or taking days out of its
    schedule, cancels its pending assignments after today.
    """

    queryset = Chore.objects.all()
    selector = staticmethod(selectors.chores_for)
    serializer_class = ChoreSerializer
    filterset_class = ChoreFilter
    search_fields = ["name", "description", "house__name"]
    ordering_fields = ["name", "house__name", "frequency", "is_active", "created_at"]
    read_roles = STAFF
    write_roles = STAFF

    def perform_create(self, serializer):
        data = serializer.service_arguments(serializer.validated_data)
        serializer.instance = services.chore_create(actor=self.request.viewer, **data)

    def perform_update(self, serializer):
        data = serializer.service_arguments(serializer.validated_data)
        serializer.instance = services.chore_update(actor=self.request.viewer, chore=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.chore_delete(actor=self.request.viewer, chore=instance)


class ChoreAssignmentSerializer(serializers.ModelSerializer):
    house_name = serializers.CharField(source="house.name", read_only=True)
    chore_name = serializers.CharField(source="chore.name", read_only=True)
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    marked_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ChoreAssignment
        fields = [
            "id", "house", "house_name", "chore", "chore_name", "resident", "resident_name", "stay", "due_date",
            "status", "note", "marked_by", "marked_by_name", "marked_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_marked_by_name(self, assignment) -> str | None:
        return str(assignment.marked_by) if assignment.marked_by_id else None


class GenerateWeekInput(StrictSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    week_start = serializers.DateField(help_text="The Monday the week starts on")


class GenerateWeekOutput(serializers.Serializer):
    house = serializers.IntegerField(source="house.pk")
    week_start = serializers.DateField()
    created = serializers.IntegerField(help_text="Assignments created by this run")
    reassigned = serializers.IntegerField(help_text="Chores handed on from residents who left, or given out again")
    cancelled = serializers.IntegerField(help_text="Chores of residents who left that nobody can take")
    assignments = ChoreAssignmentSerializer(many=True, help_text="The whole week, after this run")


class MarkInput(StrictSerializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in (Status.DONE, Status.MISSED, Status.EXCUSED)])
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required to excuse")


class ChoreAssignmentFilter(FilterSet):
    house = ScopedModelChoiceFilter(House)
    resident = ScopedModelChoiceFilter(Resident)
    chore = ScopedModelChoiceFilter(Chore)
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    week = django_filters.DateFilter(method="filter_week", label="Any date of the week (Monday to Sunday) to show")

    class Meta:
        model = ChoreAssignment
        fields = ["house", "resident", "chore", "status", "due_from", "due_to", "week"]

    def filter_week(self, queryset, name, value):
        return queryset.filter(due_date__range=week_of(value))


class ChoreAssignmentViewSet(ScopedReadOnlyViewSet):
    """Who does which chore on which day. Residents see their own; staff see their houses', generate weeks and
    mark each chore done, missed or excused."""

    queryset = ChoreAssignment.objects.all()
    selector = staticmethod(selectors.chore_assignments_for)
    serializer_class = ChoreAssignmentSerializer
    filterset_class = ChoreAssignmentFilter
    search_fields = ["chore__name", "resident__legal_first_name", "resident__legal_last_name",
                     "resident__preferred_name", "note"]  # fmt: skip
    ordering_fields = ["due_date", "status", "chore__name", "resident__legal_last_name", "marked_at", "created_at"]
    read_roles = EVERYONE
    action_roles = {"generate": STAFF, "mark": STAFF}

    @extend_schema(request=GenerateWeekInput, responses={200: GenerateWeekOutput})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Generates (or completes) one week of a house's rotation. Safe to repeat: nothing is created twice."""
        data = GenerateWeekInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        result = services.chore_rotation_generate(actor=request.viewer, **data.validated_data)
        week = selectors.chore_week(viewer=request.viewer, house=result.house, week_start=result.week_start)
        body = {
            "house": result.house, "week_start": result.week_start, "created": result.created,
            "reassigned": result.reassigned, "cancelled": result.cancelled, "assignments": week,
        }  # fmt: skip
        return Response(GenerateWeekOutput(body, context=self.get_serializer_context()).data, status=status.HTTP_200_OK)

    @extend_schema(request=MarkInput, responses={200: ChoreAssignmentSerializer})
    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        """Marks a chore done, missed or excused (with a reason); records who and when."""
        assignment = self.get_object()
        data = MarkInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.chore_assignment_mark(actor=request.viewer, assignment=assignment, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=assignment.pk)).data)
