"""Sign-out and pass pages, under /dashboard/."""

from django.urls import path

from residents.program.views import phases, signouts

HOUSE = "houses/<int:house_id>/"

urlpatterns = [
    path(f"{HOUSE}sign-outs/", signouts.house_sign_outs, name="house-sign-outs"),
    path(f"{HOUSE}sign-outs/sign-out/", signouts.house_sign_out, name="house-sign-out"),
    path(f"{HOUSE}sign-outs/<int:stay_id>/sign-in/", signouts.house_sign_in, name="house-sign-in"),
    path(f"{HOUSE}passes/", signouts.house_passes, name="house-passes"),
    path(f"{HOUSE}passes/<int:pass_id>/decide/", signouts.house_pass_decide, name="house-pass-decide"),
    path(f"{HOUSE}passes/<int:pass_id>/return/", signouts.house_pass_return, name="house-pass-return"),
    path("phases/", phases.phase_list, name="phases"),
    path("phases/add/", phases.phase_add, name="phase-add"),
    path("phases/<int:phase_id>/edit/", phases.phase_edit, name="phase-edit"),
]
