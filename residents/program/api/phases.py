"""Program phases, each resident's phase and history, and weekly phase compliance, over the API."""

from datetime import timedelta

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from accounts.api_base import (
    ScopedQuerysetMixin,
    ScopedRelatedField,
    ScopedViewSet,
    StrictModelSerializer,
    StrictSerializer,
    ThroughText,
    ViewerMixin,
    validated,
)
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter
from accounts.api_schema import ClockTimeField
from accounts.permissions import EVERYONE, OPERATORS, STAFF, RolePermission
from residents.models import Phase, PhaseChange, Stay
from residents.program.selectors.phase_compliance import LABELS, compliance_stays, phase_compliance
from residents.program.selectors.phases import current_phases, phase_history, phases_for
from residents.program.services import phases as services

# Phases --------------------------------------------------------------------------------------------------------------


class PhaseSerializer(StrictModelSerializer):
    weeknight_curfew = ClockTimeField(
        allow_null=True, required=False,
        help_text=_("Sunday to Thursday nights, HH:MM local time; before 12:00 means after midnight; null: none"),
    )  # fmt: skip
    weekend_curfew = ClockTimeField(
        allow_null=True, required=False,
        help_text=_("Friday and Saturday nights, HH:MM local time; before 12:00 means after midnight; null: none"),
    )  # fmt: skip

    class Meta:
        model = Phase
        fields = [
            "id", "order", "name", "description", "meetings_per_week", "drug_tests_per_month", "weeknight_curfew",
            "weekend_curfew", "passes_per_month", "min_days_before_promotion", "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]
        validators = []  # the service checks orders and names under the organization's lock, naming the field


class PhaseFilter(FilterSet):
    class Meta:
        model = Phase
        fields = ["order", "passes_per_month", "min_days_before_promotion"]


class PhaseViewSet(ScopedViewSet):
    """The organization's program phases, lowest first. Every member reads them; operators manage them.

    A phase someone has been in cannot be deleted (409): its history stays.
    """

    queryset = Phase.objects.all()
    selector = staticmethod(phases_for)
    serializer_class = PhaseSerializer
    filterset_class = PhaseFilter
    search_fields = ["name", "description"]
    ordering_fields = ["order", "name", "created_at"]
    read_roles = EVERYONE
    write_roles = OPERATORS

    def perform_create(self, serializer):
        serializer.instance = services.phase_create(actor=self.request.viewer, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.phase_update(
            actor=self.request.viewer, phase=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.phase_delete(actor=self.request.viewer, phase=instance)


# Phase history, promotions and demotions -----------------------------------------------------------------------------


class PhaseChangeSerializer(StrictModelSerializer):
    resident = serializers.IntegerField(source="stay.resident_id", read_only=True)
    resident_name = serializers.CharField(source="stay.resident.display_name", read_only=True)
    house = serializers.IntegerField(source="stay.house_id", read_only=True)
    house_name = serializers.CharField(source="stay.house.name", read_only=True)
    phase_name = serializers.CharField(source="phase.name", read_only=True)
    phase_order = serializers.IntegerField(source="phase.order", read_only=True)
    changed_by = ThroughText(source="changed_by.get_full_name", default=None, allow_null=True)

    class Meta:
        model = PhaseChange
        fields = [
            "id", "stay", "resident", "resident_name", "house", "house_name", "phase", "phase_name", "phase_order",
            "kind", "effective_on", "reason", "changed_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class StartInput(StrictSerializer):
    stay = ScopedRelatedField(queryset=Stay.objects.all())
    on = serializers.DateField(required=False, help_text="Default: move-in")


class PromoteInput(StrictSerializer):
    stay = ScopedRelatedField(queryset=Stay.objects.all())
    on = serializers.DateField(required=False, help_text="Effective date; default today")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DemoteInput(StrictSerializer):
    stay = ScopedRelatedField(queryset=Stay.objects.all())
    on = serializers.DateField(required=False, help_text="Effective date; default today")
    reason = serializers.CharField()
    to_phase = ScopedRelatedField(
        queryset=Phase.objects.all(), required=False, help_text=_("A lower phase; default the next one down")
    )


class PhaseChangeFilter(FilterSet):
    stay = ScopedModelChoiceFilter("residents.Stay")
    phase = ScopedModelChoiceFilter("residents.Phase")
    resident = ScopedModelChoiceFilter("residents.Resident", field_name="stay__resident")
    house = ScopedModelChoiceFilter("houses.House", field_name="stay__house")
    effective_after = django_filters.DateFilter(field_name="effective_on", lookup_expr="gte")
    effective_before = django_filters.DateFilter(field_name="effective_on", lookup_expr="lte")

    class Meta:
        model = PhaseChange
        fields = ["stay", "resident", "house", "phase", "kind", "effective_after", "effective_before"]


class PhaseChangeViewSet(ScopedViewSet):
    """Each stay's phase history (residents see their own). Staff start, promote and demote through the actions;
    history is never edited."""

    queryset = PhaseChange.objects.all()
    selector = staticmethod(phase_history)
    serializer_class = PhaseChangeSerializer
    filterset_class = PhaseChangeFilter
    search_fields = ["reason", "stay__resident__legal_first_name", "stay__resident__legal_last_name",
                     "stay__resident__preferred_name"]  # fmt: skip
    ordering_fields = ["effective_on", "created_at", "phase__order"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    action_roles = {"create": EVERYONE, "start": STAFF, "promote": STAFF, "demote": STAFF}

    @extend_schema(exclude=True)
    def create(self, request, *args, **kwargs):
        # History is written only by start, promote and demote, which apply the rules.
        raise MethodNotAllowed(request.method)

    def _created(self, change):
        return Response(self.get_serializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StartInput, responses={201: PhaseChangeSerializer})
    @action(detail=False, methods=["post"])
    def start(self, request):
        """Puts a current resident with no phase yet into the first phase."""
        return self._created(services.phase_start(actor=request.viewer, **validated(StartInput, request)))

    @extend_schema(request=PromoteInput, responses={201: PhaseChangeSerializer})
    @action(detail=False, methods=["post"])
    def promote(self, request):
        """Moves a resident up one phase: 400 before the current phase's minimum days, or in the top phase."""
        return self._created(services.phase_promote(actor=request.viewer, **validated(PromoteInput, request)))

    @extend_schema(request=DemoteInput, responses={201: PhaseChangeSerializer})
    @action(detail=False, methods=["post"])
    def demote(self, request):
        """Moves a resident down (to ``to_phase`` or the next phase down), with a reason."""
        return self._created(services.phase_demote(actor=request.viewer, **validated(DemoteInput, request)))


# Each current resident's phase ----------------------------------------------------------------------------------------


class ResidentPhaseSerializer(serializers.ModelSerializer):
    stay = serializers.IntegerField(source="pk", read_only=True)
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    phase = serializers.IntegerField(source="current_phase_id", read_only=True, allow_null=True)
    phase_name = serializers.CharField(source="current_phase_name", read_only=True, allow_null=True)
    phase_order = serializers.IntegerField(source="current_phase_order", read_only=True, allow_null=True)
    phase_since = serializers.DateField(source="current_phase_since", read_only=True, allow_null=True)
    days_in_phase = serializers.SerializerMethodField()
    eligible_on = serializers.SerializerMethodField()
    eligible_for_promotion = serializers.SerializerMethodField()

    class Meta:
        model = Stay
        fields = [
            "stay", "resident", "resident_name", "house", "house_name", "move_in", "phase", "phase_name",
            "phase_order", "phase_since", "days_in_phase", "eligible_on", "eligible_for_promotion",
        ]  # fmt: skip
        read_only_fields = fields

    def _today(self):
        return self.context["request"].viewer.organization.today()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_in_phase(self, stay):
        return None if stay.current_phase_since is None else (self._today() - stay.current_phase_since).days

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_eligible_on(self, stay):
        if stay.current_phase_since is None or stay.current_phase_is_top:
            return None
        return stay.current_phase_since + timedelta(days=stay.current_phase_min_days)

    @extend_schema_field(serializers.BooleanField())
    def get_eligible_for_promotion(self, stay) -> bool:
        eligible_on = self.get_eligible_on(stay)
        return eligible_on is not None and eligible_on <= self._today()


class ResidentPhaseFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House")
    phase = ScopedModelChoiceFilter("residents.Phase", field_name="current_phase", label="Current phase")

    class Meta:
        model = Stay
        fields = ["house", "phase"]


class ResidentPhaseViewSet(ScopedViewSet):
    """Current residents and the phase each is in, since when, and whether they may be promoted. Residents see
    themselves. The id is the stay's."""

    queryset = Stay.objects.all()
    selector = staticmethod(current_phases)
    serializer_class = ResidentPhaseSerializer
    filterset_class = ResidentPhaseFilter
    search_fields = ["resident__legal_first_name", "resident__legal_last_name", "resident__preferred_name"]
    ordering_fields = ["resident__legal_last_name", "current_phase_order", "current_phase_since", "move_in"]
    ordering = ["resident__legal_last_name", "resident__legal_first_name", "pk"]
    http_method_names = ["get", "head", "options"]
    read_roles = EVERYONE


# Weekly phase compliance ---------------------------------------------------------------------------------------------


class PhaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()


class RequirementSerializer(serializers.Serializer):
    requirement = serializers.ChoiceField(choices=list(LABELS))
    label = serializers.CharField()
    unit = serializers.CharField()
    required = serializers.IntegerField(allow_null=True, help_text="Minimum (or, for curfew and passes, maximum)")
    actual = serializers.IntegerField(allow_null=True)
    met = serializers.BooleanField(allow_null=True, help_text="null: not tracked yet")
    missed_by = serializers.IntegerField(allow_null=True, help_text="How far from met; 0 when met")
    status = serializers.CharField()
    informational = serializers.BooleanField(help_text="Never makes a resident behind (days in phase)")
    nights = serializers.ListField(child=serializers.DateField(), required=False, help_text="Curfew: nights missed")
    eligible_for_promotion = serializers.BooleanField(required=False)
    eligible_on = serializers.DateField(required=False)

    # Shown only on the requirement they belong to (curfew; days in phase), as before.
    ONLY_WHERE_SET = ("nights", "eligible_for_promotion", "eligible_on")

    def to_representation(self, requirement):
        data = super().to_representation(requirement)
        for name in self.ONLY_WHERE_SET:
            if getattr(requirement, name) is None:
                del data[name]
        return data


class PhaseComplianceSerializer(serializers.Serializer):
    stay = serializers.IntegerField(source="stay.pk")
    resident = serializers.IntegerField(source="stay.resident_id")
    resident_name = serializers.CharField(source="stay.resident.display_name")
    house = serializers.IntegerField(source="stay.house_id")
    house_name = serializers.CharField(source="stay.house.name")
    phase = PhaseSummarySerializer(allow_null=True, help_text="null: no phase yet, so no requirements")
    phase_since = serializers.DateField(allow_null=True)
    week_start = serializers.DateField()
    week_end = serializers.DateField()
    behind = serializers.BooleanField(help_text="At least one requirement missed")
    requirements = RequirementSerializer(many=True)


class PhaseComplianceFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House")
    # Read by the view: the week to judge, and whether to keep only residents behind (or only those on track).
    week = django_filters.DateFilter(method="read_by_view", label="Any date of the week (Monday to Sunday)")
    behind = StrictBooleanFilter(method="read_by_view", label="Only residents behind (true) or on track (false)")

    class Meta:
        model = Stay
        fields = ["house", "week", "behind"]

    def read_by_view(self, queryset, name, value):
        return queryset


class PhaseComplianceViewSet(ViewerMixin, ScopedQuerysetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Each resident's phase requirements for a week (default this week), met or missed and by how much.

    ``?behind=true`` lists the residents falling behind. Residents see only themselves.
    """

    permission_classes = [RolePermission]
    read_roles = EVERYONE
    queryset = Stay.objects.all()
    selector = staticmethod(compliance_stays)
    serializer_class = PhaseComplianceSerializer
    filterset_class = PhaseComplianceFilter
    search_fields = ["resident__legal_first_name", "resident__legal_last_name", "resident__preferred_name"]
    ordering_fields = ["resident__legal_last_name", "house__name", "move_in"]
    ordering = ["resident__legal_last_name", "resident__legal_first_name", "pk"]

    def list(self, request, *args, **kwargs):
        stays = self.filter_queryset(self.get_queryset())
        params = self.filterset_class(request.query_params, queryset=stays, request=request)
        params.is_valid()  # already validated by the filter backend
        week = params.form.cleaned_data.get("week") or request.viewer.organization.today()
        rows = phase_compliance(viewer=request.viewer, week_start=week, stays=stays)
        behind = params.form.cleaned_data.get("behind")
        if behind is not None:
            rows = [row for row in rows if row.behind == behind]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
