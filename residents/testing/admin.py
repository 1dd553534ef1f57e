"""Admin pages for drug tests, requests, draws and house policies.

Tests, requests and draws change only through their services (the API); the admin shows them, and reading a test
here is audited like anywhere else.
"""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline
from accounts.audit import AuditedAdminMixin
from residents.models import Draw, DrugTest, DrugTestPolicy, DrugTestSubstance, TestRequest


class DrugTestSubstanceInline(ReadOnlyInline):
    model = DrugTestSubstance
    fields = ["substance", "positive"]
    extra = 0


@admin.register(DrugTest)
class DrugTestAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["resident", "house", "collected_at", "method", "reason", "result", "collected_by"]
    list_filter = ["organization", "house", "method", "reason", "result"]
    search_fields = ["resident__legal_first_name", "resident__legal_last_name", "lab_reference"]
    date_hierarchy = "collected_at"
    list_select_related = ["resident", "house", "collected_by"]
    inlines = [DrugTestSubstanceInline]


@admin.register(TestRequest)
class TestRequestAdmin(ReadOnlyAdmin):
    list_display = ["resident", "house", "reason", "requested_on", "due_on", "status", "fulfilled_by"]
    list_filter = ["organization", "house", "reason", "status"]
    search_fields = ["resident__legal_first_name", "resident__legal_last_name"]
    date_hierarchy = "due_on"
    list_select_related = ["resident", "house", "fulfilled_by"]


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ["house", "week_start", "population_on", "percentage", "count", "drawn_by", "drawn_at"]
    list_filter = ["organization", "house"]
    date_hierarchy = "week_start"
    list_select_related = ["house", "drawn_by"]


@admin.register(DrugTestPolicy)
class DrugTestPolicyAdmin(admin.ModelAdmin):
    list_display = ["house", "percentage", "due_days", "random_draws_enabled", "updated_at"]
    list_filter = ["organization", "random_draws_enabled"]
    list_select_related = ["house"]
    readonly_fields = ["organization"]

    def save_model(self, request, obj, form, change):
        obj.organization_id = obj.house.organization_id  # always the house's, never chosen
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False
