"""Grievance pages (operators), under /dashboard/."""

from django.urls import path

from residents.conduct import views as grievances

urlpatterns = [
    path("grievances/", grievances.grievance_list, name="grievances"),
    path("grievances/<int:grievance_id>/", grievances.grievance_detail, name="grievance"),
    path("grievances/<int:grievance_id>/respond/", grievances.grievance_respond, name="grievance-respond"),
    path("grievances/<int:grievance_id>/close/", grievances.grievance_close, name="grievance-close"),
]
