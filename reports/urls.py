from django.urls import path

from . import views

urlpatterns = [
    path("", views.reports_page, name="reports"),
    path("<int:report_id>/download/", views.report_download, name="report-download"),
]
