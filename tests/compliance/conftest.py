"""Fixtures for certification tests: a throwaway media folder, upload helpers, a house with its evidence."""

import os
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compliance.services import documents as document_services
from demo.seed_cert import minimal_pdf

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
# A Windows program: "MZ" header and the DOS stub, renamed to look like a PDF.
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
    + b"\x00" * 64
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    found = []
    for folder, _dirs, files in os.walk(root):
        found += [os.path.join(folder, name) for name in files]
    return found


def pdf(name="policy.pdf", text="Hearth test document", content=None):
    return SimpleUploadedFile(
        name, content if content is not None else minimal_pdf(text), content_type="application/pdf"
    )


def upload(actor, house, kind, *, title=None, issued_on=None, expires_on=None, file=None):
    return document_services.document_upload(
        actor=actor, house=house, kind=kind, title=title or kind.replace("_", " ").title(), file=file or pdf(),
        issued_on=issued_on, expires_on=expires_on,
    )  # fmt: skip


def aware(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


@pytest.fixture
def today(organization):
    return organization.today()


@pytest.fixture
def level_two(house):
    house.narr_level = 2
    house.save(update_fields=["narr_level"])
    return house
