"""Document uploads: checked by content and size before anything is stored; versions supersede by kind and scope."""

from datetime import date

import pytest

from accounts.exceptions import DomainError
from compliance.models import Document

from .conftest import EXE_BYTES, JPEG_BYTES, PNG_BYTES, pdf, stored_files, upload


def test_an_uploaded_pdf_is_stored_under_a_random_name_with_its_detected_type(operator, house, media_root):
    document = upload(operator, house, "refund_policy", file=pdf(name="Refund Policy (final).pdf"))
    assert document.content_type == "application/pdf"
    assert document.file.name.startswith("compliance/documents/")
    assert "Refund" not in document.file.name
    assert len(document.file.name.rsplit("/", 1)[-1]) == len("0123456789abcdef0123456789abcdef.pdf")
    assert document.original_name == "Refund Policy (final).pdf"
    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize(("content", "mime"), [(PNG_BYTES, "image/png"), (JPEG_BYTES, "image/jpeg")])
def test_png_and_jpeg_images_are_accepted(operator, house, content, mime):
    document = upload(operator, house, "occupancy_certificate", file=pdf(name="scan.pdf", content=content))
    assert document.content_type == mime
    assert document.file.name.endswith(".png" if mime == "image/png" else ".jpg")


def test_a_program_renamed_to_pdf_is_refused_and_nothing_is_stored(operator, house, media_root):
    with pytest.raises(DomainError) as refused:
        upload(operator, house, "refund_policy", file=pdf(name="policy.pdf", content=EXE_BYTES))
    assert refused.value.field == "file"
    assert "PDF, PNG or JPEG" in refused.value.message
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_a_text_file_is_refused(operator, house):
    with pytest.raises(DomainError) as refused:
        upload(operator, house, "refund_policy", file=pdf(content=b"Just some words, not a PDF at all."))
    assert refused.value.field == "file"


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(settings, operator, house, media_root):
    settings.COMPLIANCE_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(DomainError) as refused:
        upload(operator, house, "refund_policy", file=pdf(text="x" * 2000))
    assert refused.value.field == "file"
    assert "largest accepted is 1 KB" in refused.value.message
    assert stored_files(media_root) == []


def test_the_default_size_limit_is_ten_megabytes(operator, house, media_root):
    from demo.seed_cert import minimal_pdf

    content = minimal_pdf("big") + b"%" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(DomainError) as refused:
        upload(operator, house, "refund_policy", file=pdf(content=content))
    assert "10 MB" in refused.value.message
    assert stored_files(media_root) == []


def test_an_empty_file_is_refused(operator, house):
    with pytest.raises(DomainError) as refused:
        upload(operator, house, "refund_policy", file=pdf(content=b""))
    assert refused.value.field == "file"


def test_an_expiry_before_the_issue_date_is_refused_naming_expires_on(operator, house, media_root):
    with pytest.raises(DomainError) as refused:
        upload(operator, house, "liability_insurance", issued_on=date(2026, 3, 1), expires_on=date(2026, 2, 1))
    assert refused.value.field == "expires_on"
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_an_issue_date_in_the_future_is_refused(operator, house, today):
    with pytest.raises(DomainError) as refused:
        upload(operator, house, "liability_insurance", issued_on=today.replace(year=today.year + 1))
    assert refused.value.field == "issued_on"


def test_a_manager_cannot_file_an_organization_wide_document(manager):
    with pytest.raises(DomainError) as refused:
        upload(manager, None, "code_of_ethics")
    assert refused.value.field == "house"


def test_a_house_of_another_organization_is_refused(operator, foreign_house, media_root):
    with pytest.raises(DomainError) as refused:
        upload(operator, foreign_house, "refund_policy")
    assert refused.value.field == "house"
    assert stored_files(media_root) == []


def test_a_new_version_supersedes_the_current_one_which_stays_in_history(operator, house):
    old = upload(operator, house, "liability_insurance", title="Policy 2025")
    new = upload(operator, house, "liability_insurance", title="Policy 2026")
    old.refresh_from_db()
    assert not old.is_current
    assert old.superseded_by == new
    assert old.superseded_at is not None
    assert new.is_current
    assert Document.objects.filter(house=house, kind="liability_insurance").count() == 2


def test_versions_are_per_scope_so_a_house_copy_does_not_supersede_the_organizations(operator, house, other_house):
    organization_wide = upload(operator, None, "fee_schedule")
    house_copy = upload(operator, house, "fee_schedule")
    other_copy = upload(operator, other_house, "fee_schedule")
    assert {d.pk for d in Document.objects.current()} == {organization_wide.pk, house_copy.pk, other_copy.pk}


def test_other_documents_never_supersede_each_other(operator, house):
    upload(operator, house, "other", title="Parking agreement")
    upload(operator, house, "other", title="Pest control contract")
    assert Document.objects.current().filter(kind="other").count() == 2


def test_a_rejected_row_removes_the_file_it_had_stored(operator, house, media_root, monkeypatch):
    from compliance.services import documents as document_services

    def refuse(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(document_services, "_document_record", refuse)
    with pytest.raises(RuntimeError):
        upload(operator, house, "refund_policy")
    assert stored_files(media_root) == []
