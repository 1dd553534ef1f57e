"""Certification files as HTTP responses, shared by the API and the pages so both audit and guard them alike."""

from django.http import FileResponse, HttpResponse
from django.utils.text import slugify

from accounts.models import Membership
from houses.models import House

from .models import Document
from .pack import evidence_pack_pdf
from .services.documents import document_download, documents_appended


def document_file_response(*, viewer: Membership, document: Document) -> FileResponse:
    """The document's file as an attachment, its download written to the audit log. Files are never served from a
    public URL; the headers keep a browser from caching the file or running anything inside it."""
    extension = document.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        document_download(actor=viewer, document=document),
        as_attachment=True,
        filename=f"{slugify(document.title) or 'document'}.{extension}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def evidence_pack_response(
    *, viewer: Membership, house: House, base_url: str, with_documents: bool = False
) -> HttpResponse:
    """The house's evidence pack PDF as an attachment named after the house and the day (and, with the documents
    appended, saying so). Documents appended are downloads too, and go to the audit log as such."""

    def appended(document_ids):
        documents_appended(actor=viewer, document_ids=document_ids)

    pdf = evidence_pack_pdf(
        viewer=viewer, house=house, base_url=base_url, with_documents=with_documents, on_appended=appended
    )
    on = house.organization.today()
    suffix = "-with-documents" if with_documents else ""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(house.name)}-evidence-pack-{on}{suffix}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
