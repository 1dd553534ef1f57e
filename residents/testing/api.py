"""Drug tests, test requests, weekly random draws and house test policies.

``/drug-tests/`` is sensitive: every list, retrieval, creation and change by staff is audited. Residents read their
own tests and requests (not audited: they are not staff) and nothing else.
"""

import django_filters
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import (
    RefuseReadOnlyInput,
    ScopedRelatedField,
    ScopedViewSet,
    StrictModelSerializer,
    StrictSerializer,
)
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter
from accounts.api_local_dates import LocalDateFilter
from accounts.api_schema import ClosedSchema, staff_or_resident
from accounts.permissions import EVERYONE, OPERATORS, STAFF
from houses.models import House
from residents.models import (
    Draw,
    DrugTest,
    DrugTestPolicy,
    DrugTestSubstance,
    Resident,
    Substance,
    TestReason,
    TestRequest,
)
from residents.testing import selectors
from residents.testing.services import drug_test_draws as draw_services
from residents.testing.services import drug_test_policies as policy_services
from residents.testing.services import drug_tests as services


def substance_list(**kwargs):
    return serializers.ListField(child=serializers.ChoiceField(choices=Substance.choices), **kwargs)


# Drug tests


class DrugTestSerializer(RefuseReadOnlyInput, StrictModelSerializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    panel = substance_list(allow_empty=False, help_text="Substances the test screens for")
    positive_substances = substance_list(
        required=False, help_text="For a positive result: the substances it was positive for (all on the panel)"
    )
    collected_by_name = serializers.StringRelatedField(source="collected_by", allow_null=True)
    fulfilled_request = serializers.SerializerMethodField(help_text="The test request this test answered")

    class Meta:
        model = DrugTest
        fields = [
            "id", "resident", "resident_name", "stay", "house", "house_name", "collected_at", "method", "reason",
            "panel", "result", "positive_substances", "lab_reference", "notes", "collected_by", "collected_by_name",
            "result_recorded_at", "result_recorded_by", "fulfilled_request", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "stay", "house", "collected_by", "result_recorded_at", "result_recorded_by", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_fulfilled_request(self, test):
        request = getattr(test, "fulfilled_request", None)
        return request.pk if request else None


class DrugTestChangeSerializer(DrugTestSerializer):
    """A recorded test's result changes only through ``complete``; here only the lab reference and notes."""

    resident = serializers.PrimaryKeyRelatedField(read_only=True)
    panel = substance_list(read_only=True)
    positive_substances = substance_list(read_only=True)

    class Meta(DrugTestSerializer.Meta):
        read_only_fields = [name for name in DrugTestSerializer.Meta.fields if name not in ("lab_reference", "notes")]


class ResidentDrugTestSerializer(ClosedSchema, DrugTestSerializer):
    """What a resident sees of their own tests: no staff notes, no staff names."""

    class Meta(DrugTestSerializer.Meta):
        fields = [
            "id", "resident", "resident_name", "house", "house_name", "collected_at", "method", "reason", "panel",
            "result", "positive_substances", "lab_reference", "fulfilled_request",
        ]  # fmt: skip


class DrugTestCompleteInput(StrictSerializer):
    result = serializers.ChoiceField(choices=DrugTest.Result.choices, help_text="The final result")
    positive_substances = substance_list(required=False, default=list)
    lab_reference = serializers.CharField(max_length=80, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


def _has_substance(queryset, value, **extra):
    rows = DrugTestSubstance.objects.filter(test=OuterRef("pk"), substance=value, **extra)
    return queryset.filter(Exists(rows))


class DrugTestFilter(FilterSet):
    resident = ScopedModelChoiceFilter("residents.Resident")
    house = ScopedModelChoiceFilter("houses.House")
    stay = ScopedModelChoiceFilter("residents.Stay")
    substance = django_filters.ChoiceFilter(
        choices=Substance.choices, method="filter_substance", label="Has this substance on the panel"
    )
    positive_for = django_filters.ChoiceFilter(
        choices=Substance.choices, method="filter_positive_for", label="Was positive for this substance"
    )
    collected_from = LocalDateFilter(field_name="collected_at", lookup_expr="gte", label="Collected on or after")
    collected_to = LocalDateFilter(field_name="collected_at", lookup_expr="lte", label="Collected on or before")

    class Meta:
        model = DrugTest
        fields = ["method", "reason", "result"]

    def filter_substance(self, queryset, name, value):
        return _has_substance(queryset, value)

    def filter_positive_for(self, queryset, name, value):
        return _has_substance(queryset, value, positive=True)


def _drug_test_for_viewer(many=False):
    return staff_or_resident(
        "DrugTestForViewer", staff=DrugTestSerializer, resident=ResidentDrugTestSerializer, many=many
    )


@extend_schema_view(
    list=extend_schema(responses=_drug_test_for_viewer(many=True)),
    retrieve=extend_schema(responses=_drug_test_for_viewer()),
)
class DrugTestViewSet(ScopedViewSet):
    """Drug and alcohol tests. Staff record them (a test fulfils the resident's oldest due request), correct the
    lab reference and notes, and complete pending lab results; residents read their own. Nothing is deleted."""

    queryset = DrugTest.objects.all()
    selector = staticmethod(selectors.drug_tests_for)
    serializer_class = DrugTestSerializer
    filterset_class = DrugTestFilter
    search_fields = [
        "resident__legal_first_name",
        "resident__legal_last_name",
        "resident__preferred_name",
        "lab_reference",
    ]
    ordering_fields = ["collected_at", "result", "method", "reason", "created_at", "resident__legal_last_name"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_roles = EVERYONE
    write_roles = STAFF

    def get_serializer_class(self):
        viewer = getattr(self.request, "viewer", None)
        if viewer and viewer.is_resident:
            return ResidentDrugTestSerializer
        if self.action in ("update", "partial_update"):
            return DrugTestChangeSerializer
        return DrugTestSerializer

    def perform_create(self, serializer):
        serializer.instance = services.drug_test_record(actor=self.request.viewer, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.drug_test_annotate(
            actor=self.request.viewer, test=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=DrugTestCompleteInput, responses=DrugTestSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Records the final result of a test that was pending the lab (409 if it already has one)."""
        test = self.get_object()
        data = DrugTestCompleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.drug_test_complete(actor=request.viewer, test=test, **data.validated_data)
        test = self.get_queryset().get(pk=test.pk)
        return Response(DrugTestSerializer(test, context=self.get_serializer_context()).data)


# Test requests


class TestRequestSerializer(StrictModelSerializer):
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    is_overdue = serializers.SerializerMethodField(help_text="Open and due before today (the organization's date)")

    class Meta:
        model = TestRequest
        fields = [
            "id", "resident", "resident_name", "stay", "house", "house_name", "reason", "requested_on", "due_on",
            "status", "is_overdue", "note", "draw", "fulfilled_by", "cancel_reason", "closed_at", "created_by",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_is_overdue(self, test_request) -> bool:
        if "today" not in self.context:
            self.context["today"] = self.context["request"].viewer.organization.today()
        return test_request.status == TestRequest.Status.OPEN and test_request.due_on < self.context["today"]


class ResidentTestRequestSerializer(ClosedSchema, TestRequestSerializer):
    class Meta(TestRequestSerializer.Meta):
        fields = ["id", "resident", "resident_name", "house", "house_name", "reason", "requested_on", "due_on",
                  "status", "is_overdue", "fulfilled_by"]  # fmt: skip
        read_only_fields = fields


class TestRequestInput(StrictSerializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    reason = serializers.ChoiceField(choices=TestReason.choices)
    due_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TestRequestCancelInput(StrictSerializer):
    reason = serializers.CharField(max_length=300, help_text="Why the request is cancelled")


class TestRequestFilter(FilterSet):
    resident = ScopedModelChoiceFilter("residents.Resident")
    house = ScopedModelChoiceFilter("houses.House")
    stay = ScopedModelChoiceFilter("residents.Stay")
    draw = ScopedModelChoiceFilter("residents.Draw")
    due_from = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    overdue = StrictBooleanFilter(method="filter_overdue", label="Open and due before today")

    class Meta:
        model = TestRequest
        fields = ["status", "reason"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(self.request.viewer.organization.today())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


def _test_request_for_viewer(many=False):
    return staff_or_resident(
        "TestRequestForViewer", staff=TestRequestSerializer, resident=ResidentTestRequestSerializer, many=many
    )


@extend_schema_view(
    list=extend_schema(responses=_test_request_for_viewer(many=True)),
    retrieve=extend_schema(responses=_test_request_for_viewer()),
)
class TestRequestViewSet(ScopedViewSet):
    """Requests to test a resident by a date: from the weekly draw, or asked for by staff (scheduled, for cause,
    return from pass). A recorded test fulfils the oldest one due; staff may cancel one, saying why."""

    queryset = TestRequest.objects.all()
    selector = staticmethod(selectors.test_requests_for)
    serializer_class = TestRequestSerializer
    filterset_class = TestRequestFilter
    search_fields = ["resident__legal_first_name", "resident__legal_last_name", "resident__preferred_name", "note"]
    ordering_fields = ["due_on", "requested_on", "status", "created_at", "resident__legal_last_name"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = STAFF
    action_roles = {"overdue": STAFF}

    def get_serializer_class(self):
        viewer = getattr(self.request, "viewer", None)
        if viewer and viewer.is_resident:
            return ResidentTestRequestSerializer
        return TestRequestSerializer

    @extend_schema(request=TestRequestInput, responses={201: TestRequestSerializer})
    def create(self, request, *args, **kwargs):
        data = TestRequestInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        test_request = services.test_request_create(actor=request.viewer, **data.validated_data)
        return Response(self.get_serializer(test_request).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TestRequestCancelInput, responses=TestRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancels an open request (409 if it is already fulfilled or cancelled)."""
        test_request = self.get_object()
        data = TestRequestCancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        test_request = services.test_request_cancel(actor=request.viewer, request=test_request, **data.validated_data)
        return Response(self.get_serializer(test_request).data)

    @extend_schema(responses=TestRequestSerializer(many=True))
    @action(detail=False, methods=["get"])
    def overdue(self, request):
        """Open requests due before today, by house (filter with ``?house=``)."""
        queryset = self.filter_queryset(selectors.overdue_test_requests(viewer=request.viewer))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# Random draws


class DrawSerializer(serializers.ModelSerializer):
    house_name = serializers.CharField(source="house.name", read_only=True)
    seed = serializers.CharField(read_only=True, help_text="As text: it exceeds JavaScript's safe integers")
    population = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    selected = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    drawn_by_name = serializers.StringRelatedField(source="drawn_by", allow_null=True)

    class Meta:
        model = Draw
        fields = [
            "id", "house", "house_name", "week_start", "population_on", "seed", "population", "percentage", "count",
            "selected", "drawn_by", "drawn_by_name", "drawn_at",
        ]  # fmt: skip
        read_only_fields = fields


class DrawInput(StrictSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    week_start = serializers.DateField(help_text="Monday of the week to draw")
    percentage = serializers.IntegerField(
        required=False, min_value=1, max_value=100, help_text="Defaults to the house policy's"
    )


class DrawFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House")
    week_from = django_filters.DateFilter(field_name="week_start", lookup_expr="gte")
    week_to = django_filters.DateFilter(field_name="week_start", lookup_expr="lte")

    class Meta:
        model = Draw
        fields = ["week_start"]


DrawReplay = inline_serializer(
    "DrawReplay",
    {
        "draw": serializers.IntegerField(),
        "selected": serializers.ListField(child=serializers.IntegerField()),
        "replayed": serializers.ListField(
            child=inline_serializer(
                "DrawnResident", {"id": serializers.IntegerField(), "name": serializers.CharField()}
            )
        ),
        "matches": serializers.BooleanField(),
    },
)


class DrawViewSet(ScopedViewSet):
    """Weekly random draws, one per house and week. Posting draws the week (201), or returns the week's existing
    draw unchanged (200). ``replay`` re-runs a draw from its stored seed and population to show it is honest."""

    queryset = Draw.objects.all()
    selector = staticmethod(selectors.draws_for)
    serializer_class = DrawSerializer
    filterset_class = DrawFilter
    search_fields = ["house__name"]
    ordering_fields = ["week_start", "drawn_at", "house__name"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = STAFF
    write_roles = STAFF

    @extend_schema(request=DrawInput, responses={201: DrawSerializer, 200: DrawSerializer})
    def create(self, request, *args, **kwargs):
        data = DrawInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        draw, created = draw_services.drug_test_draw(actor=request.viewer, **data.validated_data)
        return Response(DrawSerializer(draw).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses=DrawReplay)
    @action(detail=True, methods=["get"])
    def replay(self, request, pk=None):
        draw = self.get_object()
        residents = draw_services.draw_replay(draw)
        return Response(
            {
                "draw": draw.pk,
                "selected": draw.selected,
                "replayed": [{"id": resident.pk, "name": resident.display_name} for resident in residents],
                "matches": [resident.pk for resident in residents] == draw.selected,
            }
        )


# House policies


class DrugTestPolicySerializer(RefuseReadOnlyInput, StrictModelSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    house_name = serializers.CharField(source="house.name", read_only=True)

    class Meta:
        model = DrugTestPolicy
        fields = ["id", "house", "house_name", "percentage", "due_days", "random_draws_enabled", "updated_at"]
        read_only_fields = ["updated_at"]


class DrugTestPolicyFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House")

    class Meta:
        model = DrugTestPolicy
        fields = ["random_draws_enabled"]


class DrugTestPolicyViewSet(ScopedViewSet):
    """Each house's random-testing policy (percentage drawn weekly, days to test). Operators set them; a house
    without one draws 25% with two days to test."""

    queryset = DrugTestPolicy.objects.all()
    selector = staticmethod(selectors.drug_test_policies_for)
    serializer_class = DrugTestPolicySerializer
    filterset_class = DrugTestPolicyFilter
    search_fields = ["house__name"]
    ordering_fields = ["house__name", "percentage", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_roles = STAFF
    write_roles = OPERATORS

    def perform_create(self, serializer):
        serializer.instance = policy_services.drug_test_policy_create(
            actor=self.request.viewer, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = policy_services.drug_test_policy_update(
            actor=self.request.viewer, policy=serializer.instance, **serializer.validated_data
        )
