from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from residents.models import Chore, ChoreAssignment, ChoreRotationMember


@admin.register(Chore)
class ChoreAdmin(ReadOnlyAdmin):
    list_display = ["name", "house", "frequency", "schedule", "is_active", "created_at"]
    list_filter = ["organization", "house", "frequency", "is_active"]
    search_fields = ["name", "description", "house__name"]
    list_select_related = ["house"]

    @admin.display(description="Weekdays")
    def schedule(self, chore):
        return ", ".join(chore.weekday_names)


@admin.register(ChoreAssignment)
class ChoreAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["due_date", "chore", "resident", "house", "status", "marked_by", "marked_at"]
    list_filter = ["organization", "house", "status"]
    search_fields = ["chore__name", "resident__legal_first_name", "resident__legal_last_name", "note"]
    date_hierarchy = "due_date"
    list_select_related = ["chore__house", "resident", "house", "marked_by"]


@admin.register(ChoreRotationMember)
class ChoreRotationMemberAdmin(ReadOnlyAdmin):
    list_display = ["resident", "house", "joined_on", "starting_count"]
    list_filter = ["organization", "house"]
    search_fields = ["resident__legal_first_name", "resident__legal_last_name"]
    list_select_related = ["resident", "house"]
