from django.contrib import admin

from residents.models import Application, ApplicationEvent


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "actor", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Status changes go through the application services (API and pages), so the admin shows them read-only."""

    list_display = ["__str__", "organization", "preferred_house", "preferred_gender", "applied_on", "status"]
    list_filter = ["organization", "status", "preferred_gender", "preferred_house"]
    search_fields = ["first_name", "last_name", "preferred_name", "phone", "email"]
    date_hierarchy = "applied_on"
    readonly_fields = ["status", "status_changed_at", "resident"]
    list_select_related = ["organization", "preferred_house"]
    inlines = [ApplicationEventInline]

    def has_delete_permission(self, request, obj=None):
        return False
