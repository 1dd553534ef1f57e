"""Media go through Django's storage API only: a report PDF and an uploaded document round-trip through an S3 bucket
(moto's), and MEDIA_STORAGE=s3 without a bucket refuses to start, naming the variable."""

import runpy
from datetime import date
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from moto import mock_aws

from demo.seed_cert import minimal_pdf
from residents.core.services.stays import stay_admit

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
BUCKET = "hearth-media-test"


@pytest.fixture
def bucket(settings, monkeypatch):
    """The default storage is django-storages' S3 backend, as ``MEDIA_STORAGE=s3`` configures it, on moto's S3."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        configured = _settings_with(monkeypatch, MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": configured["STORAGES"]["default"]}
        yield s3


def _settings_with(monkeypatch, **variables) -> dict:
    """config/settings.py as it reads the given environment (DEBUG on, so nothing else is required)."""
    monkeypatch.setenv("DEBUG", "1")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def _keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_s3_without_a_bucket_refuses_to_start_naming_the_variable(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        _settings_with(monkeypatch, MEDIA_STORAGE="s3")


def test_an_unknown_media_storage_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        _settings_with(monkeypatch, MEDIA_STORAGE="ftp")


def test_s3_files_are_private_and_reached_only_by_signed_links(monkeypatch):
    options = _settings_with(monkeypatch, MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME=BUCKET)["STORAGES"]["default"]
    assert options["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["OPTIONS"]["default_acl"] is None  # the bucket keeps it private (ACLs disabled on new buckets)
    assert options["OPTIONS"]["querystring_auth"] is True


@pytest.mark.django_db
def test_files_are_written_to_the_bucket_without_an_acl(bucket):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    sent = []
    events = default_storage.connection.meta.client.meta.events
    events.register("provide-client-params.s3.PutObject", lambda params, **kwargs: sent.append(dict(params)))
    default_storage.save("reports/acl-check.txt", ContentFile(b"ok"))
    assert sent
    assert not [params for params in sent if "ACL" in params]


def test_local_storage_is_the_default(monkeypatch):
    monkeypatch.delenv("MEDIA_STORAGE", raising=False)
    storage = _settings_with(monkeypatch)["STORAGES"]["default"]
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"


@pytest.mark.django_db
def test_a_report_pdf_round_trips_through_the_bucket(
    bucket, api, operator, house, resident_factory, django_capture_on_commit_callbacks
):
    stay_admit(actor=operator, resident=resident_factory(), bed=house.beds.first(), on=date(2026, 2, 1))
    client = api(operator)
    with django_capture_on_commit_callbacks(execute=True):
        report_id = client.post("/api/v1/reports/", {"kind": "monthly", "month": "2026-02"}, format="json").json()["id"]
    [key] = _keys(bucket)
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read().startswith(b"%PDF")
    response = client.get(f"/api/v1/reports/{report_id}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_an_uploaded_document_round_trips_through_the_bucket(bucket, api, operator, house):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = minimal_pdf("Refund policy")
    body = {
        "house": house.pk,
        "kind": "refund_policy",
        "title": "Refund policy",
        "file": SimpleUploadedFile("policy.pdf", content, content_type="application/pdf"),
    }
    client = api(operator)
    created = client.post("/api/v1/documents/", body, format="multipart")
    assert created.status_code == 201, created.content
    [key] = _keys(bucket)
    assert key.startswith("compliance/documents/")
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == content
    response = client.get(f"/api/v1/documents/{created.json()['id']}/download/")
    assert b"".join(response.streaming_content) == content
