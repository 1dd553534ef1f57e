"""The evidence pack: one PDF a certifier can read from cover to end, generated from the same selectors as the page.

WeasyPrint writes PDF/UA-1 (tagged, with title, author and language), so screen readers can follow it.
"""

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Membership
from houses.models import House

from .evidence import MISSING, STATUS_LABELS
from .evidence.external import HouseMeeting
from .evidence.validity import DocumentTerms, document_status, required_documents
from .models import DocumentKind
from .selectors.certification import certification_status
from .selectors.documents import document_register
from .selectors.safety import evidence_pack_history


def _house_meetings(house: House, since):
    # House meetings live in another module; the pack lists them only where that module is installed.
    if HouseMeeting is None:
        return None
    # Held after ``since`` on the organization's calendar, whatever clock the request or job runs on.
    start = datetime.combine(since + timedelta(days=1), time.min, tzinfo=house.organization.tzinfo)
    return list(HouseMeeting.objects.filter(house=house, held_at__gte=start).order_by("-held_at"))


def document_register_rows(*, viewer: Membership, house: House, on) -> list[dict]:
    """The register: every version of every document that counts for the house, current first, each with the last
    day it counts and its standing on ``on``, dated by the same function as the rule-by-rule table; then a row for
    each kind of document the house's level asks for and nobody has filed."""
    required = required_documents(house.narr_level)
    tz = house.organization.tzinfo
    rows = []
    for document in document_register(viewer=viewer, house=house):
        if document.is_current:
            status, valid_until = document_status(document, required.get(document.kind, DocumentTerms()), tz, on)
        else:
            status, valid_until = None, None  # superseded: no longer evidence of anything
        rows.append({"document": document, "kind": document.kind, "valid_until": valid_until, "status": status,
                     "status_label": STATUS_LABELS[status] if status else "Superseded"})  # fmt: skip
    filed = {row["kind"] for row in rows if row["status"]}
    for kind in required:
        if kind not in filed:
            rows.append({"document": None, "kind": kind, "label": DocumentKind(kind).label, "valid_until": None,
                         "status": MISSING, "status_label": STATUS_LABELS[MISSING]})  # fmt: skip
    return rows


def evidence_pack_context(*, viewer: Membership, house: House) -> dict:
    on = house.organization.today()
    status = certification_status(viewer=viewer, house=house, on=on)
    history = evidence_pack_history(viewer=viewer, house=house, on=on)
    return {
        "house": house,
        "organization": house.organization,
        "author": viewer.user.get_full_name(),
        "on": on,
        "generated_at": timezone.localtime(timezone.now(), house.organization.tzinfo),
        "status": status,
        "summary": [(STATUS_LABELS[key], key, count) for key, count in status.summary.items()],
        "meetings": _house_meetings(house, history["since"]),
        "documents": document_register_rows(viewer=viewer, house=house, on=on),
        **history,
    }


def evidence_pack_html(*, viewer: Membership, house: House) -> str:
    context = evidence_pack_context(viewer=viewer, house=house)
    with timezone.override(house.organization.tzinfo):  # times in the pack are the house's clock
        return render_to_string("compliance/pack.html", context)


def evidence_pack_pdf(
    *,
    viewer: Membership,
    house: House,
    base_url: str,
    with_documents: bool = False,
    on_appended: Callable[[list[int]], None] | None = None,
) -> bytes:
    """The house's evidence pack as PDF/UA-1 bytes. ``with_documents`` appends the current documents of the
    register themselves after it (PDF pages as they are, images placed on pages), each with its own bookmark;
    ``on_appended`` is told the ids of the documents appended."""
    import weasyprint  # imported here: Pango is needed only when a PDF is made

    context = evidence_pack_context(viewer=viewer, house=house)
    context["with_documents"] = with_documents
    with timezone.override(house.organization.tzinfo):  # times in the pack are the house's clock
        html = render_to_string("compliance/pack.html", context)
    pack = weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
    if not with_documents:
        return pack
    from .pack_documents import append_documents

    current = [row["document"] for row in context["documents"] if row["document"] is not None and row["status"]]
    pdf = append_documents(pack, current, base_url=base_url)
    if on_appended and current:
        on_appended([document.pk for document in current])
    return pdf
