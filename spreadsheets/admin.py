from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    # Imports are made on the import page or by import_sheet, through the services; the admin only reads them.
    list_display = ["original_name", "organization", "kind", "status", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["original_name", "sha256"]
