"""Backups of a PostgreSQL deployment: the database (``pg_dump -Fc``), the media files and a manifest that lets
``verify_backup`` prove the backup restores.

A backup is a folder ``hearth-<UTC time>/`` holding:

- ``database.dump``: pg_dump's custom format, taken from one snapshot;
- ``media.tar.gz`` (media on the local disk) or ``media-objects.json`` (media in an S3 bucket: the bucket itself is
  kept by the provider's versioning or replication; the list says what it held);
- ``manifest.json``: when, the applied migrations and the row count of every table, both read from the same
  snapshot the dump was taken from, and the sha256 of each file (and of each media file).

Generic on purpose: tables come from the database, not from Hearth's models, so a new app is backed up and
checked without a change here.
"""

import hashlib
import json
import os
import secrets
import subprocess
import tarfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction
from psycopg import sql

DUMP = "database.dump"
MEDIA_ARCHIVE = "media.tar.gz"
MEDIA_OBJECTS = "media-objects.json"
MANIFEST = "manifest.json"
MEDIA_ROOT_IN_ARCHIVE = "media"


class BackupError(Exception):
    pass


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and verify_backup work on PostgreSQL only (DATABASE_URL=postgres://...). A development SQLite "
            "database is one file: stop the app and copy var/hearth.sqlite3 and var/media."
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(settings_dict: dict) -> dict:
    """libpq's own variables, so the password never appears on a command line."""
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _connect(settings_dict: dict, dbname: str, **kwargs):
    params = {
        "dbname": dbname,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    return psycopg.connect(**{key: value for key, value in params.items() if value is not None}, **kwargs)


def read_state(cursor) -> tuple[list[str], dict[str, int]]:
    """The applied migrations (``app.name``) and the row count of every table in the public schema."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    tables = [name for (name,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)).as_string(cursor.connection))
        counts[table] = cursor.fetchone()[0]
    return migrations, counts


def _media_is_local() -> bool:
    return isinstance(default_storage, FileSystemStorage)


def _archive_media(target: Path) -> dict:
    root = Path(default_storage.location)
    files = {}
    root.mkdir(parents=True, exist_ok=True)  # an empty media folder still restores as a folder
    with tarfile.open(target, "w:gz") as archive:
        archive.add(root, arcname=MEDIA_ROOT_IN_ARCHIVE, recursive=False)
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).as_posix()
            archive.add(path, arcname=f"{MEDIA_ROOT_IN_ARCHIVE}/{relative}", recursive=False)
            if path.is_file():
                files[relative] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
    return {"kind": "archive", "file": MEDIA_ARCHIVE, "root": str(root), "files": files}


def _list_bucket(target: Path) -> dict:
    bucket = default_storage.bucket
    objects = {item.key: item.size for item in bucket.objects.all()}
    target.write_text(json.dumps(objects, indent=1, sort_keys=True))
    return {
        "kind": "bucket",
        "file": MEDIA_OBJECTS,
        "bucket": bucket.name,
        "note": "the bucket is kept by the provider's versioning or replication; this lists what it held",
        "objects": len(objects),
    }


def backup(to: Path, *, now: datetime | None = None) -> Path:
    """Writes a backup folder under ``to`` and returns it."""
    require_postgresql()
    taken = (now or datetime.now(UTC)).astimezone(UTC)
    folder = Path(to) / f"hearth-{taken:%Y%m%dT%H%M%SZ}"
    folder.mkdir(parents=True, exist_ok=False)
    settings_dict = connection.settings_dict
    # The counts and the dump come from one snapshot, so they agree even while the app keeps writing.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        migrations, counts = read_state(cursor)
        done = subprocess.run(  # noqa: S603 - fixed arguments
            ["pg_dump", "-Fc", f"--snapshot={snapshot}", "--no-owner", "--file", str(folder / DUMP),  # noqa: S607
             settings_dict["NAME"]],
            env=_pg_env(settings_dict), capture_output=True, text=True,
        )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    media = _archive_media(folder / MEDIA_ARCHIVE) if _media_is_local() else _list_bucket(folder / MEDIA_OBJECTS)
    manifest = {
        "taken_at": taken.isoformat(),
        "database": settings_dict["NAME"],
        "migrations": migrations,
        "tables": counts,
        "media": media,
        "files": {name: sha256_of(folder / name) for name in (DUMP, media["file"])},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return folder


@dataclass
class Verification:
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks.append((name, ok, detail))

    @property
    def ok(self) -> bool:
        return all(ok for _, ok, _ in self.checks)


@contextmanager
def scratch_database(settings_dict: dict):
    """A new empty database on the same server, dropped afterwards. Only ever this one is written to."""
    name = f"{settings_dict['NAME']}"[:40] + f"_verify_{secrets.token_hex(4)}"
    with _connect(settings_dict, "postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with _connect(settings_dict, "postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _verify_media(folder: Path, manifest: dict, result: Verification) -> None:
    media = manifest["media"]
    if media["kind"] != "archive":
        listed = json.loads((folder / media["file"]).read_text())
        result.check("media object list", len(listed) == media["objects"], f"{len(listed)} objects in bucket list")
        return
    found = {}
    with tarfile.open(folder / media["file"], "r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            relative = member.name.removeprefix(f"{MEDIA_ROOT_IN_ARCHIVE}/")
            found[relative] = hashlib.sha256(archive.extractfile(member).read()).hexdigest()
    expected = {name: entry["sha256"] for name, entry in media["files"].items()}
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(name for name in set(expected) & set(found) if expected[name] != found[name])
    result.check("media files listed", not missing and not extra, _names(missing=missing, unexpected=extra))
    result.check("media files hashes", not changed, _names(changed=changed) or f"{len(found)} files")


def _names(**groups) -> str:
    return "; ".join(f"{label}: {', '.join(names)}" for label, names in groups.items() if names)


def verify(folder: Path) -> Verification:
    """Restores the backup in ``folder`` into a scratch database and compares it with its manifest."""
    require_postgresql()
    folder = Path(folder)
    result = Verification()
    manifest = json.loads((folder / MANIFEST).read_text())
    for name, digest in manifest["files"].items():
        path = folder / name
        result.check(f"sha256 of {name}", path.exists() and sha256_of(path) == digest)
    settings_dict = connection.settings_dict
    with scratch_database(settings_dict) as scratch:
        done = subprocess.run(  # noqa: S603 - fixed arguments
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", scratch,  # noqa: S607
             str(folder / DUMP)],
            env=_pg_env(settings_dict), capture_output=True, text=True,
        )  # fmt: skip
        result.check("pg_restore into an empty database", done.returncode == 0, done.stderr.strip()[-500:])
        if done.returncode == 0:
            with _connect(settings_dict, scratch) as restored, restored.cursor() as cursor:
                migrations, counts = read_state(cursor)
            result.check("migrations", migrations == manifest["migrations"], f"{len(migrations)} applied")
            for table in sorted(set(manifest["tables"]) | set(counts)):
                expected, found = manifest["tables"].get(table), counts.get(table)
                result.check(f"rows in {table}", expected == found, f"manifest {expected}, restored {found}")
    _verify_media(folder, manifest, result)
    return result
