"""Staff pages for beds, stays, residents and applications, under /dashboard/."""

from django.urls import path

from residents.core.views import applications, bed_board, residents

urlpatterns = [
    path("houses/<int:house_id>/beds/", bed_board.bed_board_page, name="bed-board"),
    path("houses/<int:house_id>/beds/<int:bed_id>/admit/", bed_board.admit, name="admit"),
    path("houses/<int:house_id>/waitlist/", bed_board.waitlist, name="waitlist"),
    path("stays/<int:stay_id>/transfer/", bed_board.transfer, name="transfer"),
    path("stays/<int:stay_id>/discharge/", bed_board.discharge, name="discharge"),
    path("residents/", residents.resident_list, name="residents"),
    path("residents/<int:resident_id>/", residents.resident_detail, name="resident"),
    path("residents/<int:resident_id>/profile/", residents.resident_profile, name="resident-profile"),
    path("residents/<int:resident_id>/portal-login/", residents.resident_portal_login, name="resident-portal-login"),
    path(
        "residents/<int:resident_id>/portal-login/withdraw/",
        residents.resident_portal_invitation_withdraw,
        name="resident-portal-invitation-withdraw",
    ),
    path(
        "residents/<int:resident_id>/portal-login/resend/",
        residents.resident_portal_invitation_resend,
        name="resident-portal-invitation-resend",
    ),
    path("applications/", applications.application_list, name="applications"),
    path("applications/new/", applications.application_new, name="application-new"),
    path("applications/<int:application_id>/", applications.application_detail, name="application"),
    path("applications/<int:application_id>/move/", applications.application_move, name="application-move"),
    path(
        "applications/<int:application_id>/admit/",
        applications.application_accept_and_admit,
        name="application-accept-and-admit",
    ),
]
