"""The Archive page (operators), under /dashboard/."""

from django.urls import path

from residents.retention import views

urlpatterns = [
    path("archive/", views.archive, name="archive"),
    path("archive/archive-due/", views.archive_due, name="archive-due"),
    path("archive/residents/<int:resident_id>/", views.archived_resident, name="archived-resident"),
    path("archive/residents/<int:resident_id>/restore/", views.archive_restore, name="archive-restore"),
]
