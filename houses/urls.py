"""Operator pages under /dashboard/: houses, rooms and beds, staff, organization settings, audit log.

The dashboard itself and the bed board are resident pages (``residents.urls``): they show who sleeps where.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("houses/", views.house_list, name="houses"),
    path("houses/new/", views.house_new, name="house-new"),
    path("houses/<int:house_id>/edit/", views.house_edit, name="house-edit"),
    path("houses/<int:house_id>/rooms/", views.rooms, name="house-rooms"),
    path("houses/<int:house_id>/rooms/add/", views.room_add, name="room-add"),
    path("houses/<int:house_id>/beds/add/", views.bed_add, name="bed-add"),
    path(
        "houses/<int:house_id>/beds/<int:bed_id>/out-of-service/", views.bed_out_of_service, name="bed-out-of-service"
    ),
    path(
        "houses/<int:house_id>/beds/<int:bed_id>/back-in-service/",
        views.bed_back_in_service,
        name="bed-back-in-service",
    ),
    path("houses/<int:house_id>/beds/<int:bed_id>/edit/", views.bed_edit, name="bed-edit"),
    path("houses/<int:house_id>/beds/<int:bed_id>/retire/", views.bed_retire, name="bed-retire"),
    path("houses/<int:house_id>/beds/<int:bed_id>/unretire/", views.bed_unretire, name="bed-unretire"),
    path("houses/<int:house_id>/beds/<int:bed_id>/outages/", views.bed_outages, name="bed-outages"),
    path("houses/<int:house_id>/beds/<int:bed_id>/outages/add/", views.bed_outage_add, name="bed-outage-add"),
    path(
        "houses/<int:house_id>/beds/<int:bed_id>/outages/<int:outage_id>/edit/",
        views.bed_outage_edit,
        name="bed-outage-edit",
    ),
    path(
        "houses/<int:house_id>/beds/<int:bed_id>/outages/<int:outage_id>/remove/",
        views.bed_outage_remove,
        name="bed-outage-remove",
    ),
    path("staff/", views.staff_list, name="staff"),
    path("staff/invite/", views.staff_invite_page, name="staff-invite"),
    path("staff/<int:membership_id>/", views.staff_detail, name="staff-member"),
    path("staff/<int:membership_id>/active/", views.staff_set_active, name="staff-set-active"),
    path("staff/<int:membership_id>/withdraw/", views.staff_invitation_withdraw, name="staff-invitation-withdraw"),
    path("staff/<int:membership_id>/resend/", views.staff_invitation_resend, name="staff-invitation-resend"),
    path("settings/", views.organization_settings, name="organization-settings"),
    path("audit/", views.audit_log, name="audit-log"),
]
