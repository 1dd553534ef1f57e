"""Resident pages, one module per topic: staff pages under /dashboard/, the resident portal under /portal/."""

from .applications import application_detail, application_list, application_move, application_new
from .bed_board import admit, bed_board_page, discharge, transfer, waitlist
from .dashboard import dashboard
from .portal import portal
from .residents import resident_detail, resident_list, resident_portal_login, resident_profile

__all__ = [
    "admit", "application_detail", "application_list", "application_move", "application_new", "bed_board_page",
    "dashboard", "discharge", "portal", "resident_detail", "resident_list", "resident_portal_login",
    "resident_profile", "transfer", "waitlist",
]  # fmt: skip
