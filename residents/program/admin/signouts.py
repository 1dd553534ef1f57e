from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from residents.models import OvernightPass, SignOut


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
