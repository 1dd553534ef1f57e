from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from residents.models import Grievance


@admin.register(Grievance)
class GrievanceAdmin(ReadOnlyAdmin):
    """Grievances change only through filing, responding and closing; the admin shows them."""

    list_display = ["subject", "resident", "house", "about", "status", "filed_at", "responded_at", "closed_at"]
    list_filter = ["organization", "status", "about", "house"]
    search_fields = ["subject", "details", "resident__legal_first_name", "resident__legal_last_name"]
    date_hierarchy = "filed_at"
    list_select_related = ["resident", "house"]
