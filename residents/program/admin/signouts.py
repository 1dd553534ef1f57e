from django.contrib import admin

from residents.models import OvernightPass, SignOut


class ReadOnlyAdmin(admin.ModelAdmin):
    """The log and passes change only through their services (rules, locks, the pass_returned signal)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignOut)
class SignOutAdmin(ReadOnlyAdmin):
    list_display = ["stay", "house", "destination", "signed_out_at", "expected_return_at", "signed_in_at"]
    list_filter = ["organization", "house"]
    search_fields = ["destination", "stay__resident__legal_first_name", "stay__resident__legal_last_name"]
    date_hierarchy = "signed_out_at"
    list_select_related = ["stay__resident", "house"]


@admin.register(OvernightPass)
class OvernightPassAdmin(ReadOnlyAdmin):
    list_display = ["resident", "house", "leave_on", "return_on", "destination", "status", "allowance_overridden",
                    "decided_by", "returned_at"]  # fmt: skip
    list_filter = ["organization", "house", "status", "allowance_overridden"]
    search_fields = ["destination", "resident__legal_first_name", "resident__legal_last_name"]
    date_hierarchy = "leave_on"
    list_select_related = ["resident", "house", "decided_by"]
