from django.urls import path

from . import views

urlpatterns = [
    path("", views.reports_page, name="reports"),
    path("<int:report_id>/download/", views.report_download, name="report-download"),
    path("close/", views.month_close, name="month-close"),
    path("reopen/", views.month_reopen, name="month-reopen"),
]
