"""A PostgreSQL connection gives up within seconds on a server that does not answer (DATABASE_CONNECT_TIMEOUT), so
neither the Stripe webhook nor /healthz hangs on an unreachable database."""

import runpy
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"


def _database(monkeypatch, **variables) -> dict:
    monkeypatch.setenv("DEBUG", "1")
    monkeypatch.delenv("DATABASE_CONNECT_TIMEOUT", raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))["DATABASES"]["default"]


def test_postgresql_connections_time_out_after_three_seconds_by_default(monkeypatch):
    database = _database(monkeypatch, DATABASE_URL="postgres://hearth@db.example:5432/hearth")
    assert database["OPTIONS"]["connect_timeout"] == 3


def test_the_connect_timeout_is_read_from_the_environment(monkeypatch):
    database = _database(
        monkeypatch, DATABASE_URL="postgres://hearth@db.example:5432/hearth", DATABASE_CONNECT_TIMEOUT="7"
    )
    assert database["OPTIONS"]["connect_timeout"] == 7


def test_sqlite_is_given_no_connect_timeout(monkeypatch):
    database = _database(monkeypatch, DATABASE_URL="sqlite:////tmp/hearth-settings-test.sqlite3")
    assert "connect_timeout" not in database["OPTIONS"]
