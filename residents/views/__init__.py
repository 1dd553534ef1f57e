"""Resident pages, one module per topic: staff pages under /dashboard/, the resident portal under /portal/."""

from .applications import (
    application_accept_and_admit,
    application_detail,
    application_list,
    application_move,
    application_new,
)
from .bed_board import admit, bed_board_page, discharge, transfer, waitlist
from .dashboard import dashboard
from .portal import portal, portal_chores, portal_phase, portal_rules, portal_rules_sign, portal_tests
from .portal_actions import (
    portal_grievance,
    portal_grievance_new,
    portal_grievances,
    portal_meetings,
    portal_pass_cancel,
    portal_passes,
    portal_sign_in,
    portal_sign_out,
)
from .residents import (
    resident_detail,
    resident_list,
    resident_portal_invitation_resend,
    resident_portal_invitation_withdraw,
    resident_portal_login,
    resident_profile,
)

__all__ = [
    "admit", "application_accept_and_admit", "application_detail", "application_list", "application_move",
    "application_new", "bed_board_page",
    "dashboard", "discharge", "portal", "portal_chores", "portal_grievance", "portal_grievance_new",
    "portal_grievances", "portal_meetings", "portal_pass_cancel", "portal_passes", "portal_phase", "portal_rules",
    "portal_rules_sign", "portal_sign_in", "portal_sign_out", "portal_tests", "resident_detail", "resident_list",
    "resident_portal_invitation_resend", "resident_portal_invitation_withdraw",
    "resident_portal_login", "resident_profile", "transfer", "waitlist",
]  # fmt: skip
