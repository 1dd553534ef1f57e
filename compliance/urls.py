"""Certification pages, under /dashboard/ (included from config/urls.py)."""

from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("certification/", views.organization_overview, name="overview"),
    path("houses/<int:house_id>/certification/", views.house_certification, name="house-certification"),
    path("houses/<int:house_id>/certification/documents/", views.document_upload, name="document-upload"),
    path("houses/<int:house_id>/certification/pack/", views.evidence_pack, name="certification-pack"),
    path("documents/<int:document_id>/download/", views.document_download, name="document-download"),
    path("houses/<int:house_id>/drills/", views.drill_create, name="drill-create"),
    path("houses/<int:house_id>/inspections/start/", views.inspection_start, name="inspection-start"),
    path("houses/<int:house_id>/inspections/<int:inspection_id>/", views.inspection_form, name="inspection"),
    path(
        "houses/<int:house_id>/corrective-actions/<int:action_id>/fix/",
        views.corrective_action_fix,
        name="corrective-action-fix",
    ),
]
