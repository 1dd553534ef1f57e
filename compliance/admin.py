"""Admin pages for certification evidence. Writes with rules go through the services (API and pages); the admin
shows the records, and document files only through the authenticated download endpoint."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline
from accounts.audit import AuditedAdminMixin

from .models import (
    CorrectiveAction,
    Document,
    Drill,
    Inspection,
    InspectionLine,
    ReminderSent,
    SafetyEquipment,
    SafetyPolicy,
)


@admin.register(Document)
class DocumentAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Uploads are checked by content in the service, so the admin never takes a file."""

    list_display = ["title", "kind", "organization", "house", "issued_on", "expires_on", "is_current", "uploaded_at"]
    list_filter = ["organization", "kind", "is_current"]
    search_fields = ["title", "original_name", "house__name"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["organization", "house"]
    exclude = ["file"]
    readonly_fields = ["download"]

    @admin.display(description="File")
    def download(self, obj):
        return format_html('<a href="{}">Download</a>', reverse("api:document-download", args=[obj.pk]))


@admin.register(SafetyPolicy)
class SafetyPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "house",
        "inspection_interval_days",
        "drill_interval_days",
        "has_gas_appliances",
        "drills_at_level_one",
    ]
    list_filter = ["organization", "has_gas_appliances"]
    search_fields = ["house__name"]
    list_select_related = ["house"]
    readonly_fields = ["organization", "house"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SafetyEquipment)
class SafetyEquipmentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "house", "quantity", "expires_on", "last_serviced_on", "is_active"]
    list_filter = ["organization", "kind", "is_active"]
    search_fields = ["location", "house__name"]
    list_select_related = ["house"]


class InspectionLineInline(ReadOnlyInline):
    model = InspectionLine
    extra = 0
    fields = ["position", "label", "result", "note", "location", "quantity", "expires_on", "last_serviced_on"]
    readonly_fields = fields


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["house", "inspected_on", "status", "completed_by", "completed_at"]
    list_filter = ["organization", "status"]
    search_fields = ["house__name", "notes"]
    date_hierarchy = "inspected_on"
    list_select_related = ["house", "completed_by"]
    inlines = [InspectionLineInline]


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyAdmin):
    list_display = ["description", "house", "due_on", "fixed_on", "fixed_by"]
    list_filter = ["organization", "house"]
    search_fields = ["description", "fix_note"]
    date_hierarchy = "due_on"
    list_select_related = ["house", "fixed_by"]


@admin.register(Drill)
class DrillAdmin(ReadOnlyAdmin):
    list_display = ["house", "kind", "held_at", "residents_present", "evacuation_minutes"]
    list_filter = ["organization", "kind"]
    search_fields = ["house__name", "notes"]
    date_hierarchy = "held_at"
    list_select_related = ["house"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["summary", "item_type", "threshold", "house", "due_on", "sent_at"]
    list_filter = ["organization", "item_type"]
    search_fields = ["summary"]
    list_select_related = ["house"]
