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


# Production keeps a web process's connection between requests, checked before reuse; a read replica is opt-in.

DATABASE_VARIABLES = ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "DATABASE_REPLICA_URL", "DATABASE_CONNECT_TIMEOUT")


def _production_settings(monkeypatch, **variables) -> dict:
    """config/settings.py as production reads it: DEBUG unset, a secret key, nothing else but ``variables``."""
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.setenv("SECRET_KEY", "production-settings-test-0123456789-abcdefghijklmnopqrstuvwxyz")
    monkeypatch.setenv("DATABASE_URL", "postgres://hearth@db.example:5432/hearth")
    for name in DATABASE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_production_keeps_a_database_connection_for_sixty_seconds(monkeypatch):
    assert _production_settings(monkeypatch)["DATABASES"]["default"]["CONN_MAX_AGE"] == 60


def test_production_checks_a_kept_connection_before_reusing_it(monkeypatch):
    assert _production_settings(monkeypatch)["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True


def test_the_connection_age_is_read_from_the_environment(monkeypatch):
    settings = _production_settings(monkeypatch, CONN_MAX_AGE="0")
    assert settings["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_the_connection_health_checks_are_read_from_the_environment(monkeypatch):
    settings = _production_settings(monkeypatch, CONN_HEALTH_CHECKS="0")
    assert settings["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is False


def test_development_opens_a_connection_per_request(monkeypatch):
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    assert _database(monkeypatch, DATABASE_URL="postgres://hearth@db.example:5432/hearth")["CONN_MAX_AGE"] == 0


def test_without_a_replica_url_there_is_one_database_and_no_router(monkeypatch):
    settings = _production_settings(monkeypatch)
    assert set(settings["DATABASES"]) == {"default"}
    assert "DATABASE_ROUTERS" not in settings


def test_a_replica_url_adds_the_replica_and_the_reporting_router(monkeypatch):
    settings = _production_settings(monkeypatch, DATABASE_REPLICA_URL="postgres://hearth@replica.example:5432/hearth")
    assert settings["DATABASES"]["replica"]["HOST"] == "replica.example"
    assert settings["DATABASE_ROUTERS"] == ["config.db_routers.ReportingReplicaRouter"]


def test_the_replica_connects_as_the_primary_does(monkeypatch):
    settings = _production_settings(
        monkeypatch, DATABASE_REPLICA_URL="postgres://hearth@replica.example:5432/hearth", CONN_MAX_AGE="30"
    )
    replica = settings["DATABASES"]["replica"]
    assert (replica["CONN_MAX_AGE"], replica["CONN_HEALTH_CHECKS"], replica["OPTIONS"]["connect_timeout"]) == (
        30,
        True,
        3,
    )
