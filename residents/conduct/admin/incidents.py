"""Admin pages for incidents and resident notes: read-only and audited (changes go through the API's services)."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from accounts.audit import AuditedAdminMixin
from residents.models import Incident, ResidentNote


@admin.register(Incident)
class IncidentAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["house", "occurred_at", "category", "severity", "action", "fine_amount", "reported_by"]
    list_filter = ["organization", "house", "category", "severity", "action"]
    search_fields = ["what_happened", "rule_reference"]
    date_hierarchy = "occurred_at"
    list_select_related = ["house", "reported_by"]
    filter_horizontal = ["residents"]


@admin.register(ResidentNote)
class ResidentNoteAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["resident", "house", "author", "created_at"]
    list_filter = ["organization", "house"]
    search_fields = ["resident__legal_first_name", "resident__legal_last_name", "body"]
    date_hierarchy = "created_at"
    list_select_related = ["resident", "house", "author"]
