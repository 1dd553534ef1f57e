from django.contrib import admin

from residents.models import Grievance


@admin.register(Grievance)
class GrievanceAdmin(admin.ModelAdmin):
    """Grievances change only through filing, responding and closing; the admin shows them."""

    list_display = ["subject", "resident", "house", "about", "status", "filed_at", "responded_at", "closed_at"]
    list_filter = ["organization", "status", "about", "house"]
    search_fields = ["subject", "details", "resident__legal_first_name", "resident__legal_last_name"]
    date_hierarchy = "filed_at"
    list_select_related = ["resident", "house"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
