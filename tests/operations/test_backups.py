import importlib
import io
import json
import pkgutil
import shutil
from types import SimpleNamespace

import boto3
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from moto import mock_aws

from accounts.backups import backup
from houses.models import House
from tests.factories import HouseFactory, OrganizationFactory

pytestmark = pytest.mark.postgres


MEDIA = {"compliance/lease.pdf": b"%PDF-1.7 lease", "reports/march.pdf": b"%PDF-1.7 march"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, content in MEDIA.items():
        default_storage.save(name, ContentFile(content))
    return settings.MEDIA_ROOT


# A backup and a restore take seconds each: the module takes one backup and restores it once untouched and once
# tampered with; the tests reading their results touch no database (so no flush after each). The rows the module's
# fixtures commit are flushed once when the module ends. Each fixture makes its own rows (a test in between may have
# flushed). Scratch databases are named after the test database, which pytest-xdist names per worker, and folders
# come from tmp_path_factory.


@pytest.fixture(scope="module", autouse=True)
def _migrations_recorded(django_db_setup, django_db_blocker):
    """The suite builds its test database from the models (``--no-migrations``); a backup names the migrations its
    database has applied, so this module's database records them as a migrated one does."""
    with django_db_blocker.unblock():
        recorder = MigrationRecorder(connection)
        recorder.ensure_schema()
        for app in apps.get_app_configs():
            try:
                package = importlib.import_module(f"{app.name}.migrations")
            except ModuleNotFoundError:
                continue
            for migration in pkgutil.iter_modules(package.__path__):
                recorder.record_applied(app.label, migration.name)


@pytest.fixture(scope="module")
def taken(django_db_setup, django_db_blocker, tmp_path_factory):
    """One backup of three houses and two media files, with the number of houses it holds."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        for name, content in MEDIA.items():
            default_storage.save(name, ContentFile(content))
        HouseFactory.create_batch(3, organization=OrganizationFactory())
        houses = House.objects.count()
        folder = backup(tmp_path_factory.mktemp("backups"))
    yield SimpleNamespace(folder=folder, houses=houses)
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def verified(taken, django_db_blocker):
    """The one restore of the untouched backup, verified after a house was added to the source (which then differs
    from the backup), with the source's house count before and after and the scratch databases left."""
    with django_db_blocker.unblock():
        HouseFactory()
        before = House.objects.count()
        ok, out, _ = verify(taken.folder)
        return SimpleNamespace(
            ok=ok, out=out, houses_before=before, houses_after=House.objects.count(), scratch=scratch_databases()
        )


@pytest.fixture(scope="module")
def tampered(taken, django_db_blocker, tmp_path_factory):
    """A copy of the backup whose manifest claims one house more and a changed media file, verified once."""
    folder = tmp_path_factory.mktemp("tampered") / taken.folder.name
    shutil.copytree(taken.folder, folder)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["houses_house"] += 1
    manifest["media"]["files"]["reports/march.pdf"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    with django_db_blocker.unblock():
        ok, out, error = verify(folder)
    return SimpleNamespace(ok=ok, out=out, error=error)


def verify(folder):
    out = io.StringIO()
    try:
        call_command("verify_backup", str(folder), stdout=out)
    except CommandError as error:
        return False, out.getvalue(), str(error)
    return True, out.getvalue(), ""


def scratch_databases() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"{connection.settings_dict['NAME']}\\_verify\\_%"],
        )
        return [name for (name,) in cursor.fetchall()]


def test_a_fresh_backup_restores_and_matches_its_manifest(verified):
    assert verified.ok, verified.out
    assert "ok       rows in houses_house (manifest " in verified.out
    assert "ok       media files hashes" in verified.out


def test_the_manifest_records_migrations_row_counts_and_hashes(taken):
    manifest = json.loads((taken.folder / "manifest.json").read_text())
    assert manifest["tables"]["houses_house"] == taken.houses
    assert "accounts.0001_initial" in manifest["migrations"]
    assert set(manifest["files"]) == {"database.dump", "media.tar.gz"}
    assert set(manifest["media"]["files"]) == set(MEDIA)


def test_a_tampered_row_count_fails_naming_the_table(tampered):
    assert not tampered.ok
    assert "MISMATCH rows in houses_house" in tampered.out
    assert "rows in houses_house" in tampered.error


def test_a_changed_media_file_fails_the_media_check(tampered):
    assert not tampered.ok
    assert "MISMATCH media files hashes (changed: reports/march.pdf)" in tampered.out


def test_verifying_never_touches_the_source_database(verified):
    assert verified.houses_after == verified.houses_before


def test_verifying_drops_its_scratch_copy(verified):
    assert verified.scratch == []


@pytest.mark.django_db(transaction=True)
def test_the_backup_command_names_the_folder_it_wrote(media, tmp_path):
    out = io.StringIO()
    call_command("backup", "--to", str(tmp_path / "b"), stdout=out)
    [folder] = (tmp_path / "b").iterdir()
    assert f"Backup written to {folder}" in out.getvalue()
    assert {path.name for path in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}


@pytest.fixture
def bucket(settings, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="hearth-backup-test")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": "hearth-backup-test", "region_name": "us-east-1"},
            },
        }
        default_storage.save("reports/march.pdf", ContentFile(b"%PDF-1.7 march"))
        yield


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("bucket")
def test_with_media_in_a_bucket_the_backup_lists_its_objects_instead(tmp_path):
    folder = backup(tmp_path / "backups")
    assert json.loads((folder / "media-objects.json").read_text()) == {"reports/march.pdf": 14}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["media"]["kind"] == "bucket"
    assert "versioning" in manifest["media"]["note"]
    assert not (folder / "media.tar.gz").exists()
