from django.contrib import admin

from . import services
from .models import Bed, House, Room


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(House)
class HouseAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "gender", "narr_level", "status", "city", "state", "opened_on", "closed_on"]
    list_filter = ["organization", "status", "gender", "narr_level", "state"]
    search_fields = ["name", "city", "address_line1", "organization__name"]
    filter_horizontal = ["staff"]
    list_select_related = ["organization"]
    inlines = [RoomInline]


# A bed's outage and retirement are written by houses.services (which keep the outage history the reports read and
# refuse nights someone sleeps in the bed); the admin shows them only.
BED_READ_ONLY = ["status", "out_of_service_reason", "out_of_service_from", "out_of_service_until", "retired_on"]


class BedInline(admin.TabularInline):
    model = Bed
    extra = 0
    readonly_fields = BED_READ_ONLY
    can_delete = False  # a bed is deleted from its own page, where the rule below is checked


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "house", "floor"]
    list_filter = ["house__organization", "house", "floor"]
    search_fields = ["name", "house__name"]
    list_select_related = ["house"]
    inlines = [BedInline]


@admin.register(Bed)
class BedAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "room",
        "house",
        "status",
        "out_of_service_reason",
        "out_of_service_from",
        "out_of_service_until",
        "in_service_from",
        "retired_on",
    ]
    readonly_fields = BED_READ_ONLY
    list_filter = ["status", "house__organization", "house"]
    search_fields = ["label", "room__name", "house__name"]
    list_select_related = ["room__house", "house"]

    def has_delete_permission(self, request, obj=None):
        # A bed that has served a night is retired, not deleted: past months keep counting its nights.
        return super().has_delete_permission(request, obj) and (obj is None or not services.bed_has_served(obj))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would skip the check above
        return actions
