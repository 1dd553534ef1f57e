from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("dashboard/export/", views.exports_page, name="exports"),
    path("dashboard/export/<int:export_id>/download/", views.export_download, name="export-download"),
    path("portal/my-record/", views.my_record_page, name="my-record"),
    path("portal/my-record/<int:export_id>/download/", views.my_record_download, name="my-record-download"),
]
