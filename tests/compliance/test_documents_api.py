"""The documents API: multipart upload, list, detail, download; audited reads; residents see published policies."""

from datetime import date

import pytest

from accounts.models import AuditEntry
from compliance.models import Document

from .conftest import EXE_BYTES, pdf, stored_files, upload


def _post(client, house, **fields):
    body = {"kind": "refund_policy", "title": "Refund policy", "file": pdf(), **fields}
    if house is not None:
        body["house"] = house.pk
    return client.post("/api/v1/documents/", body, format="multipart")


def test_staff_upload_a_document_as_multipart(api, manager, house, media_root):
    response = _post(api(manager), house, issued_on="2026-01-02", expires_on="2027-01-01")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "refund_policy"
    assert body["content_type"] == "application/pdf"
    assert body["download_url"].endswith(f"/api/v1/documents/{body['id']}/download/")
    assert len(stored_files(media_root)) == 1


def test_an_operator_uploads_an_organization_wide_document(api, operator):
    response = _post(api(operator), None, kind="code_of_ethics", title="Code of ethics")
    assert response.status_code == 201, response.content
    assert response.json()["house"] is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"file": pdf(name="policy.pdf", content=EXE_BYTES)}, "file"),
        ({"issued_on": "2026-03-01", "expires_on": "2026-02-01"}, "expires_on"),
        ({"kind": "horoscope"}, "kind"),
        ({"title": ""}, "title"),
        ({"expires_on": "2026-02-30"}, "expires_on"),
        ({"colour": "blue"}, "colour"),
    ],
    ids=["exe-renamed-pdf", "expiry-before-issue", "unknown-kind", "empty-title", "bad-date", "unknown-field"],
)
def test_bad_uploads_are_a_400_naming_the_field_and_store_nothing(api, operator, house, media_root, fields, field):
    response = _post(api(operator), house, **fields)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_an_upload_over_the_size_limit_is_a_400_naming_file(settings, api, operator, house, media_root):
    settings.COMPLIANCE_UPLOAD_MAX_BYTES = 512
    response = _post(api(operator), house, file=pdf(text="y" * 900))
    assert response.status_code == 400
    assert "file" in response.json()
    assert stored_files(media_root) == []


def test_a_missing_file_is_named(api, operator, house):
    response = api(operator).post(
        "/api/v1/documents/", {"house": house.pk, "kind": "refund_policy", "title": "x"}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_a_manager_uploading_for_a_house_they_do_not_run_is_told_it_does_not_exist(
    api, manager, other_house, media_root
):
    response = _post(api(manager), other_house)
    assert response.status_code == 400
    assert "house" in response.json()
    assert stored_files(media_root) == []


def test_the_download_serves_the_file_as_an_attachment(api, operator, house):
    document = upload(operator, house, "refund_policy", title="Refund policy 2026")
    response = api(operator).get(f"/api/v1/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="refund-policy-2026.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_files_are_not_served_from_the_media_url(client, operator, house):
    document = upload(operator, house, "refund_policy")
    client.force_login(operator.user)
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_an_anonymous_caller_cannot_download(client, operator, house):
    document = upload(operator, house, "refund_policy")
    assert client.get(f"/api/v1/documents/{document.pk}/download/").status_code in (401, 403)


def test_staff_reading_and_downloading_a_document_is_audited(api, manager, house):
    document = upload(manager, house, "refund_policy")
    client = api(manager)
    client.get(f"/api/v1/documents/{document.pk}/")
    client.get(f"/api/v1/documents/{document.pk}/download/")
    client.get("/api/v1/documents/")
    actions = list(
        AuditEntry.objects.filter(object_type="compliance.document").values_list("action", "object_id", "actor")
    )
    assert ("view", str(document.pk), manager.user.pk) in actions
    assert ("download", str(document.pk), manager.user.pk) in actions
    assert any(action == "list" for action, _id, _actor in actions)


def test_a_resident_lists_only_current_published_policies_of_their_house(
    api, operator, house, other_house, resident_member
):
    visible = {
        upload(operator, house, "resident_handbook").pk,
        upload(operator, None, "fee_schedule").pk,
        upload(operator, house, "grievance_policy").pk,
    }
    upload(operator, house, "liability_insurance")  # not a published policy
    upload(operator, other_house, "refund_policy")  # another house's
    old = upload(operator, house, "refund_policy")
    visible.add(upload(operator, house, "refund_policy").pk)  # supersedes ``old``
    ids = {row["id"] for row in api(resident_member).get("/api/v1/documents/").json()["results"]}
    assert ids == visible
    assert old.pk not in ids


def test_a_resident_downloads_a_published_policy(api, operator, house, resident_member):
    document = upload(operator, house, "resident_handbook")
    assert api(resident_member).get(f"/api/v1/documents/{document.pk}/download/").status_code == 200


@pytest.mark.parametrize("kind", ["liability_insurance", "drug_testing_policy", "code_of_ethics"])
def test_a_resident_guessing_the_id_of_another_document_gets_404(api, operator, house, resident_member, kind):
    document = upload(operator, house, kind)
    assert api(resident_member).get(f"/api/v1/documents/{document.pk}/download/").status_code == 404


def test_a_resident_only_lists_and_downloads_not_the_staff_detail(api, operator, house, resident_member):
    document = upload(operator, house, "resident_handbook")
    assert api(resident_member).get(f"/api/v1/documents/{document.pk}/").status_code == 403


def test_a_resident_cannot_upload(api, resident_member, house):
    assert _post(api(resident_member), house).status_code == 403


def test_documents_cannot_be_edited_or_deleted(api, operator, house):
    document = upload(operator, house, "refund_policy")
    client = api(operator)
    assert client.patch(f"/api/v1/documents/{document.pk}/", {"title": "x"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/documents/{document.pk}/").status_code == 405


def test_documents_filter_by_house_kind_currency_and_expiry(api, operator, house, other_house):
    upload(operator, house, "liability_insurance", expires_on=date(2026, 6, 1))
    upload(operator, other_house, "liability_insurance", expires_on=date(2026, 12, 1))
    upload(operator, None, "code_of_ethics")
    client = api(operator)

    def count(query):
        response = client.get(f"/api/v1/documents/?{query}")
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert count(f"house={house.pk}") == 1
    assert count(f"for_house={house.pk}") == 2
    assert count("kind=liability_insurance") == 2
    assert count("organization_wide=true") == 1
    assert count("expires_before=2026-07-01") == 1
    assert count("current=true&search=Code") == 1
    assert count("ordering=-expires_on") == 3


def test_an_unknown_document_filter_is_a_400(api, operator):
    response = api(operator).get("/api/v1/documents/?colour=red")
    assert response.status_code == 400
    assert "colour" in response.json()
