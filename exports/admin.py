from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from .models import DataExport


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    # Read-only: exports are asked for on the Export page or by the command, and their files are downloaded there.
    list_display = ["created_at", "organization", "scope", "status", "progress_done", "progress_total", "size"]
    list_filter = ["status", "scope"]
    list_select_related = ["organization"]
    exclude = ["file"]
