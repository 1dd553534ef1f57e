"""The documents themselves, appended to the evidence pack: each PDF's own pages, each image placed on a page of
its own, and a bookmark (an outline entry) per document under "Documents", so a certifier can jump to any paper."""

import base64
import io
import logging

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from .models import Document

logger = logging.getLogger(__name__)


def _read_pdf(document: Document) -> PdfReader | None:
    """The document's PDF, or None when it cannot be read (damaged, or locked with a password)."""
    try:
        with document.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        len(reader.pages)  # a broken page tree fails here rather than half-way through the append
        return reader
    except (PyPdfError, OSError, ValueError, KeyError):
        logger.warning("Evidence pack: document %s could not be read as a PDF", document.pk)
        return None


def _image_data(document: Document) -> str:
    with document.file.open("rb") as handle:
        return f"data:{document.content_type};base64,{base64.b64encode(handle.read()).decode()}"


def _placed_pages(entries: list[dict], *, base_url: str) -> PdfReader:
    """One page per entry: the document's title over its image, or a note that the file could not be read."""
    import weasyprint  # imported here: Pango is needed only when a PDF is made

    html = render_to_string("compliance/pack_documents.html", {"entries": entries})
    return PdfReader(io.BytesIO(weasyprint.HTML(string=html, base_url=base_url).write_pdf()))


def append_documents(pack: bytes, documents: list[Document], *, base_url: str) -> bytes:
    """``pack`` (PDF bytes) with ``documents`` appended in order, each under its own bookmark."""
    if not documents:
        return pack
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pack)))
    pdfs = {d.pk: _read_pdf(d) for d in documents if d.content_type == "application/pdf"}
    # Images and unreadable files are laid on pages of their own, one page each, in one rendering.
    placed = [d for d in documents if pdfs.get(d.pk) is None]
    entries = [
        {"document": d, "image": _image_data(d) if d.content_type.startswith("image/") else None} for d in placed
    ]
    placed_pages = _placed_pages(entries, base_url=base_url) if placed else None
    placed_index = {d.pk: index for index, d in enumerate(placed)}
    starts = []
    for document in documents:
        starts.append((document, len(writer.pages)))
        reader = pdfs.get(document.pk)
        if reader is not None:
            writer.append(reader, import_outline=False)
        else:
            writer.add_page(placed_pages.pages[placed_index[document.pk]])
    parent = writer.add_outline_item(title="Documents", page_number=starts[0][1])
    for document, start in starts:
        writer.add_outline_item(
            title=f"{document.title} ({document.get_kind_display()})", page_number=start, parent=parent
        )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
