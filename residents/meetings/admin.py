from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from residents.models import HouseMeeting, RecoveryMeetingAttendance


@admin.register(HouseMeeting)
class HouseMeetingAdmin(ReadOnlyAdmin):
    list_display = ["held_at", "house", "facilitator_display", "attendee_count"]
    list_filter = ["organization", "house"]
    search_fields = ["minutes", "facilitator_name", "house__name"]
    date_hierarchy = "held_at"
    list_select_related = ["house", "facilitator__user"]

    @admin.display(description="Attendees")
    def attendee_count(self, meeting):
        return meeting.attendees.count()


@admin.register(RecoveryMeetingAttendance)
class RecoveryMeetingAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["attended_on", "resident", "meeting_type", "name", "verified_by", "verified_at"]
    list_filter = ["organization", "meeting_type", "stay__house"]
    search_fields = ["name", "resident__legal_first_name", "resident__legal_last_name"]
    date_hierarchy = "attended_on"
    list_select_related = ["resident", "verified_by"]
