"""Operator pages under /dashboard/import/: upload a sheet, map its columns, check it, import it."""

from django.urls import path

from . import views

app_name = "spreadsheets"

urlpatterns = [
    path("", views.imports, name="imports"),
    path("<int:run_id>/", views.run_detail, name="run"),
    path("<int:run_id>/import/", views.run_import, name="run-import"),
    path("<int:run_id>/delete-file/", views.run_delete_file, name="run-delete-file"),
]
