from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from residents.models import Phase, PhaseChange


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "organization", "meetings_per_week", "drug_tests_per_month", "weeknight_curfew",
                    "weekend_curfew", "passes_per_month", "min_days_before_promotion"]  # fmt: skip
    list_display_links = ["name"]
    list_filter = ["organization"]
    search_fields = ["name", "description"]
    list_select_related = ["organization"]
    ordering = ["organization__name", "order"]


@admin.register(PhaseChange)
class PhaseChangeAdmin(ReadOnlyAdmin):
    """Phase history changes only through the promotion and demotion services; the admin shows it."""

    list_display = ["stay", "phase", "kind", "effective_on", "changed_by", "created_at"]
    list_filter = ["organization", "kind", "phase"]
    search_fields = ["stay__resident__legal_first_name", "stay__resident__legal_last_name", "reason"]
    date_hierarchy = "effective_on"
    list_select_related = ["stay__resident", "stay__house", "phase", "changed_by"]
