"""Certification documents: uploads checked by content, stored under random names, versioned by kind and scope."""

import hashlib
import uuid
from datetime import date

import filetype
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import audit
from accounts.exceptions import Invalid
from accounts.models import Membership
from houses.models import House
from residents.core.services.roles import require_staff

from ..models import ALLOWED_CONTENT_TYPES, Document, DocumentKind

# filetype reads at most this many bytes to recognise a format.
_SNIFF_BYTES = 8192


def _human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def document_check_file(*, file) -> tuple[str, str]:
    """The file must be a PDF, PNG or JPEG by its content (never by its name or the browser's word) and no larger
    than ``COMPLIANCE_UPLOAD_MAX_BYTES``. Returns the detected content type and the extension to store it under."""
    limit = settings.COMPLIANCE_UPLOAD_MAX_BYTES
    if file.size is None or file.size == 0:
        raise Invalid(_("The file is empty."), field="file")
    if file.size > limit:
        raise Invalid(
            _("The file is %(size)s; the largest accepted is %(limit)s.")
            % {"size": _human_size(file.size), "limit": _human_size(limit)},
            field="file",
        )
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_CONTENT_TYPES:
        found = _(" (it looks like %(mime)s)") % {"mime": kind.mime} if kind else ""
        raise Invalid(_("Upload a PDF, PNG or JPEG file%(found)s.") % {"found": found}, field="file")
    return kind.mime, ALLOWED_CONTENT_TYPES[kind.mime]


def _check_fields(*, actor: Membership, house: House | None, kind: str, title: str, issued_on, expires_on) -> None:
    if kind not in DocumentKind.values:
        raise Invalid(_("Choose a kind of document."), field="kind")
    if not title.strip():
        raise Invalid(_("Give the document a title."), field="title")
    if house is not None and house.organization_id != actor.organization_id:
        raise Invalid(_("Unknown house."), field="house")
    if house is not None:
        require_staff(actor, organization_id=house.organization_id, house=house)
    if house is None and not actor.is_operator:
        raise Invalid(
            _("Only an operator files organization-wide documents; choose one of your houses."), field="house"
        )
    if issued_on and issued_on > actor.organization.today():
        raise Invalid(_("The issue date cannot be in the future."), field="issued_on")
    if issued_on and expires_on and expires_on < issued_on:
        raise Invalid(
            _("The expiry date (%(expires_on)s) is before the issue date (%(issued_on)s).")
            % {"expires_on": date_format(expires_on, _("M j, Y")), "issued_on": date_format(issued_on, _("M j, Y"))},
            field="expires_on",
        )


def document_upload(
    *,
    actor: Membership,
    house: House | None,
    kind: str,
    title: str,
    file,
    issued_on: date | None = None,
    expires_on: date | None = None,
) -> Document:
    """Files a document for a house (or, by an operator, for the whole organization).

    Every check runs before anything is stored. The file is then saved under a random name and the row written;
    if writing the row fails, the saved file is removed again, so a refused upload leaves nothing behind. A current
    document of the same kind and scope is superseded by the new one (except kind "other", which never supersedes).
    """
    _check_fields(actor=actor, house=house, kind=kind, title=title, issued_on=issued_on, expires_on=expires_on)
    content_type, extension = document_check_file(file=file)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    name = default_storage.save(f"compliance/documents/{uuid.uuid4().hex}.{extension}", file)
    try:
        return _document_record(
            actor=actor, house=house, kind=kind, title=title.strip(), name=name, content_type=content_type,
            size=file.size, sha256=digest.hexdigest(), original_name=(getattr(file, "name", "") or "")[-255:],
            issued_on=issued_on, expires_on=expires_on,
        )  # fmt: skip
    except BaseException:
        default_storage.delete(name)
        raise


@transaction.atomic
def _document_record(*, actor: Membership, house, kind, title, name, **fields) -> Document:
    current = None
    if kind != DocumentKind.OTHER:
        # Lock the current version so two uploads of the same kind supersede one after the other; if there is none,
        # the "one current version per kind and scope" constraint refuses the second insert (409).
        current = (
            Document.objects.select_for_update()
            .filter(organization_id=actor.organization_id, house=house, kind=kind, is_current=True)
            .first()
        )
    if current is not None:
        Document.objects.filter(pk=current.pk).update(is_current=False, superseded_at=timezone.now())
    document = Document(
        organization_id=actor.organization_id, house=house, kind=kind, title=title, uploaded_by=actor.user, **fields
    )
    document.file.name = name
    document.save()
    if current is not None:
        Document.objects.filter(pk=current.pk).update(superseded_by=document)
    audit.changed(actor=actor, action=audit.Action.CREATE, instance=document)
    return document


def document_download(*, actor: Membership, document: Document):
    """Opens a document's file for ``actor`` to download, and writes the download to the audit log."""
    audit.downloaded(actor=actor, model=Document, object_ids=[document.pk])
    return document.file.open("rb")


def documents_appended(*, actor: Membership, document_ids: list[int]) -> None:
    """Writes to the audit log the documents appended to an evidence pack ``actor`` downloads: each is a download."""
    audit.downloaded(
        actor=actor, model=Document, object_ids=document_ids,
        detail="Appended to the evidence pack: " + ", ".join(str(pk) for pk in document_ids),
    )  # fmt: skip
