from django.contrib import admin

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline
from residents.models import BedAssignment, Resident, Stay


class StayInline(ReadOnlyInline):
    model = Stay
    extra = 0
    fields = ["house", "move_in", "move_out", "discharge_reason"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["display_name", "organization", "phone", "email", "payer", "sobriety_date", "created_at"]
    list_filter = ["organization", "payer"]
    search_fields = ["legal_first_name", "legal_last_name", "preferred_name", "phone", "email"]
    list_select_related = ["organization"]
    inlines = [StayInline]

    def has_delete_permission(self, request, obj=None):
        return False


class BedAssignmentInline(admin.TabularInline):
    model = BedAssignment
    extra = 0
    can_delete = False


@admin.register(Stay)
class StayAdmin(ReadOnlyAdmin):
    """Stays change only through admissions, transfers and discharges; the admin shows them."""

    list_display = ["resident", "house", "move_in", "move_out", "discharge_reason"]
    list_filter = ["organization", "house", "discharge_reason"]
    search_fields = ["resident__legal_first_name", "resident__legal_last_name", "resident__preferred_name"]
    date_hierarchy = "move_in"
    list_select_related = ["resident", "house"]
    inlines = [BedAssignmentInline]
