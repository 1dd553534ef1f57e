"""Incidents and resident notes: staff records, sensitive, audited on every read and change by staff.

Residents cannot reach either (403), not even incidents they were involved in.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api_base import RefuseReadOnlyInput, ScopedRelatedField, ScopedViewSet, StrictModelSerializer
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, organization_users
from accounts.api_local_dates import LocalDateFilter
from accounts.permissions import STAFF
from houses.models import House
from residents.conduct.selectors import incidents as selectors
from residents.conduct.services import incidents as services
from residents.models import Incident, Resident, ResidentNote


class IncidentSerializer(RefuseReadOnlyInput, StrictModelSerializer):
    house = ScopedRelatedField(queryset=House.objects.all())
    house_name = serializers.CharField(source="house.name", read_only=True)
    residents = ScopedRelatedField(
        many=True, required=False, queryset=Resident.objects.all(), help_text=_("Residents involved")
    )
    resident_names = serializers.SerializerMethodField()
    reported_by_name = serializers.StringRelatedField(source="reported_by", allow_null=True)

    class Meta:
        model = Incident
        fields = [
            "id", "house", "house_name", "residents", "resident_names", "occurred_at", "category", "rule_reference",
            "severity", "what_happened", "action", "fine_amount", "follow_up_on", "reported_by", "reported_by_name",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["reported_by", "created_at", "updated_at"]
        extra_kwargs = {"fine_amount": {"help_text": "Per resident involved; only with action=fine, positive"}}

    def get_resident_names(self, incident) -> list[str]:
        return [resident.display_name for resident in incident.residents.all()]


class IncidentFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House")
    resident = ScopedModelChoiceFilter(
        "residents.Resident", field_name="residents", distinct=True, label="Involved this resident"
    )
    occurred_from = LocalDateFilter(field_name="occurred_at", lookup_expr="gte", label="Occurred on or after")
    occurred_to = LocalDateFilter(field_name="occurred_at", lookup_expr="lte", label="Occurred on or before")
    follow_up_by = django_filters.DateFilter(field_name="follow_up_on", lookup_expr="lte", label="Follow-up due by")

    class Meta:
        model = Incident
        fields = ["category", "severity", "action"]


class IncidentViewSet(ScopedViewSet):
    """Incidents in the houses the member runs: what happened, which rule, who, and the consequence.
    Never deleted; a correction is a change, and every change is audited."""

    queryset = Incident.objects.all()
    selector = staticmethod(selectors.incidents_for)
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    search_fields = ["what_happened", "rule_reference", "residents__legal_last_name", "residents__legal_first_name"]
    ordering_fields = ["occurred_at", "severity", "category", "follow_up_on", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_roles = STAFF
    write_roles = STAFF

    # Writes go through the services, which check the rules and audit them.
    def perform_create(self, serializer):
        serializer.instance = services.incident_record(actor=self.request.viewer, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.incident_update(
            actor=self.request.viewer, incident=serializer.instance, **serializer.validated_data
        )


class ResidentNoteSerializer(RefuseReadOnlyInput, StrictModelSerializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    author_name = serializers.StringRelatedField(source="author")

    class Meta:
        model = ResidentNote
        fields = ["id", "resident", "resident_name", "house", "body", "author", "author_name", "created_at"]
        read_only_fields = ["house", "author", "created_at"]


class ResidentNoteFilter(FilterSet):
    resident = ScopedModelChoiceFilter("residents.Resident")
    house = ScopedModelChoiceFilter("houses.House")
    author = ScopedModelChoiceFilter("accounts.User", scope=organization_users)
    written_from = LocalDateFilter(field_name="created_at", lookup_expr="gte")
    written_to = LocalDateFilter(field_name="created_at", lookup_expr="lte")

    class Meta:
        model = ResidentNote
        fields = []


class ResidentNoteViewSet(ScopedViewSet):
    """Staff notes about residents. Append-only: notes are added and read, never changed or deleted (405)."""

    queryset = ResidentNote.objects.all()
    selector = staticmethod(selectors.resident_notes_for)
    serializer_class = ResidentNoteSerializer
    filterset_class = ResidentNoteFilter
    search_fields = ["body", "resident__legal_last_name", "resident__legal_first_name", "resident__preferred_name"]
    ordering_fields = ["created_at", "resident__legal_last_name"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = STAFF
    write_roles = STAFF

    def perform_create(self, serializer):
        # The service checks the rules and audits the note.
        serializer.instance = services.resident_note_add(actor=self.request.viewer, **serializer.validated_data)
