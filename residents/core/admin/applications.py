from django.contrib import admin

from accounts.admin import ReadOnlyInline
from residents.models import Application, ApplicationEvent


class ApplicationEventInline(ReadOnlyInline):
    model = ApplicationEvent
    extra = 0
    fields = ["from_status", "to_status", "at", "actor", "note"]
    readonly_fields = fields  # some are not editable: kept out of the inline's form


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Status changes go through the application services (API and pages), so the admin shows them read-only."""

    list_display = ["__str__", "organization", "preferred_house", "preferred_gender", "applied_on", "status"]
    list_filter = ["organization", "status", "preferred_gender", "preferred_house"]
    search_fields = ["first_name", "last_name", "preferred_name", "phone", "email"]
    date_hierarchy = "applied_on"
    # The response times and how it arrived are stamped by the services: edited here, they would falsify the
    # monthly figures.
    readonly_fields = [
        "status", "status_changed_at", "resident", "received_via", "received_at", "first_contacted_at", "decided_at",
        "decline_reason", "erased_at",
    ]  # fmt: skip
    list_select_related = ["organization", "preferred_house"]
    inlines = [ApplicationEventInline]

    def has_delete_permission(self, request, obj=None):
        return False
