"""The evidence pack: one PDF a certifier can read from cover to end, generated from the same selectors as the page.

WeasyPrint writes PDF/UA-1 (tagged, with title, author and language), so screen readers can follow it.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Membership
from houses.models import House

from .evidence import STATUS_LABELS
from .evidence.external import HouseMeeting
from .selectors.certification import certification_status
from .selectors.documents import document_register
from .selectors.safety import evidence_pack_history


def _house_meetings(house: House, since):
    # House meetings live in another module; the pack lists them only where that module is installed.
    if HouseMeeting is None:
        return None
    return list(HouseMeeting.objects.filter(house=house, held_at__date__gt=since).order_by("-held_at"))


def evidence_pack_context(*, viewer: Membership, house: House) -> dict:
    on = house.organization.today()
    status = certification_status(viewer=viewer, house=house, on=on)
    history = evidence_pack_history(viewer=viewer, house=house, on=on)
    for rule in status["rules"]:
        rule["status_label"] = STATUS_LABELS[rule["status"]]
    return {
        "house": house,
        "organization": house.organization,
        "author": viewer.user.get_full_name(),
        "on": on,
        "generated_at": timezone.localtime(timezone.now(), house.organization.tzinfo),
        "status": status,
        "summary": [(STATUS_LABELS[key], key, count) for key, count in status["summary"].items()],
        "meetings": _house_meetings(house, history["since"]),
        "documents": list(document_register(viewer=viewer, house=house)),
        **history,
    }


def evidence_pack_html(*, viewer: Membership, house: House) -> str:
    context = evidence_pack_context(viewer=viewer, house=house)
    with timezone.override(house.organization.tzinfo):  # times in the pack are the house's clock
        return render_to_string("compliance/pack.html", context)


def evidence_pack_pdf(*, viewer: Membership, house: House, base_url: str) -> bytes:
    """The house's evidence pack as PDF/UA-1 bytes."""
    import weasyprint  # imported here: Pango is needed only when a PDF is made

    html = evidence_pack_html(viewer=viewer, house=house)
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
