"""Staff pages for beds, stays and applications, under /dashboard/."""

from django.urls import path

from residents.core.views import applications, bed_board

urlpatterns = [
    path("houses/<int:house_id>/beds/<int:bed_id>/admit/", bed_board.admit, name="admit"),
    path("houses/<int:house_id>/waitlist/", bed_board.waitlist, name="waitlist"),
    path("stays/<int:stay_id>/transfer/", bed_board.transfer, name="transfer"),
    path("stays/<int:stay_id>/discharge/", bed_board.discharge, name="discharge"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/new/", applications.application_new, name="application-new"),
    path("applications/<int:application_id>/", applications.application_detail, name="application"),
    path("applications/<int:application_id>/move/", applications.application_move, name="application-move"),
    path(
        "applications/<int:application_id>/contact/",
        applications.application_record_contact,
        name="application-record-contact",
    ),
    path("applications/<int:application_id>/erase/", applications.application_erase, name="application-erase"),
    path(
        "applications/<int:application_id>/admit/",
        applications.application_accept_and_admit,
        name="application-accept-and-admit",
    ),
]
