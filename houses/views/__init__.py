"""House and organization pages for operators, one module per topic, under /dashboard/."""

from .audit import audit_log
from .houses import house_edit, house_list, house_new
from .organization import organization_settings
from .outages import bed_outage_add, bed_outage_edit, bed_outage_remove, bed_outages
from .rooms import bed_add, bed_back_in_service, bed_edit, bed_out_of_service, bed_retire, bed_unretire, room_add, rooms
from .staff import (
    staff_detail,
    staff_invitation_resend,
    staff_invitation_withdraw,
    staff_invite_page,
    staff_list,
    staff_set_active,
)

__all__ = [
    "audit_log", "bed_add", "bed_back_in_service", "bed_edit", "bed_out_of_service", "bed_outage_add",
    "bed_outage_edit", "bed_outage_remove", "bed_outages", "bed_retire", "bed_unretire",
    "house_edit", "house_list", "house_new",
    "organization_settings", "room_add", "rooms", "staff_detail", "staff_invitation_resend",
    "staff_invitation_withdraw", "staff_invite_page", "staff_list", "staff_set_active",
]  # fmt: skip
