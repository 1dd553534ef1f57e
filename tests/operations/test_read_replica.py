"""The read replica for reports (config/db_routers.py, accounts/replica.py), tested with a second alias on the same
server: ``replica`` is a test mirror of ``default`` (config/test_settings.py), so both see the same rows and each
alias's queries are captured apart. The router is off in the rest of the suite; these tests turn it on.

Committed rows (``transaction=True``): the replica's connection cannot see a test transaction's uncommitted rows, and
the router keeps every read inside a transaction on the primary anyway."""

import threading
from datetime import date

import pytest
from django.db import OperationalError, connections, router, transaction
from django.test.utils import CaptureQueriesContext

from accounts.replica import reporting_block, reporting_reads
from config import db_routers
from houses.models import House, Room
from reports.models import Report
from residents.core.services.stays import stay_admit

# Committed rows, and both aliases allowed.
replica_db = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

# A month over at every instant the date-sensitive run uses.
MONTH = "2026-02"


@pytest.fixture(autouse=True)
def replica_router(settings):
    settings.DATABASE_ROUTERS = ["config.db_routers.ReportingReplicaRouter"]
    yield
    connections["replica"].close()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# The router's check, on PostgreSQL, at a block's first routed read: how far the primary is, how far the replica.
CATCH_UP_CHECK = ("pg_current_wal_insert_lsn", "pg_is_in_recovery")


def is_catch_up_check(sql: str) -> bool:
    return any(function in sql for function in CATCH_UP_CHECK)


class Queries:
    """The SQL each alias ran inside the block (but the router's catch-up check: ``checks``)."""

    def __init__(self):
        self.on = {alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")}

    def __enter__(self):
        for captured in self.on.values():
            captured.__enter__()
        return self

    def __exit__(self, *exc):
        for captured in self.on.values():
            captured.__exit__(*exc)

    def sql(self, alias: str) -> list[str]:
        return [query["sql"] for query in self.on[alias].captured_queries if not is_catch_up_check(query["sql"])]

    def checks(self, alias: str) -> list[str]:
        return [query["sql"] for query in self.on[alias].captured_queries if is_catch_up_check(query["sql"])]


@pytest.fixture
def occupied(house, operator, resident_factory):
    stay_admit(actor=operator, resident=resident_factory(), bed=house.beds.first(), on=date(2026, 2, 1))
    return house


@replica_db
def test_reads_inside_reporting_reads_go_to_the_replica(house):
    with Queries() as queries, reporting_reads():
        assert House.objects.filter(pk=house.pk).count() == 1
    assert len(queries.sql("replica")) == 1
    assert queries.sql("default") == []


@replica_db
def test_writes_inside_reporting_reads_go_to_the_primary(house):
    with Queries() as queries, reporting_reads():
        House.objects.filter(pk=house.pk).update(city="Shelbyville")
    assert [sql.split()[0] for sql in queries.sql("default")] == ["UPDATE"]
    assert queries.sql("replica") == []


@replica_db
def test_outside_reporting_reads_every_query_uses_the_primary(house):
    with Queries() as queries:
        House.objects.filter(pk=house.pk).count()
        House.objects.filter(pk=house.pk).update(city="Shelbyville")
    assert len(queries.sql("default")) == 2
    assert queries.sql("replica") == []


@replica_db
def test_a_model_the_block_wrote_is_read_back_from_the_primary(house):
    with Queries() as queries, reporting_reads():
        House.objects.filter(pk=house.pk).update(city="Shelbyville")
        assert House.objects.get(pk=house.pk).city == "Shelbyville"
        Room.objects.filter(house=house).count()
    assert [sql.split()[0] for sql in queries.sql("default")] == ["UPDATE", "SELECT"]
    assert ["houses_room" in sql for sql in queries.sql("replica")] == [True]


@replica_db
def test_reads_inside_a_transaction_on_the_primary_stay_there(house):
    with Queries() as queries, reporting_reads(), transaction.atomic():
        House.objects.filter(pk=house.pk).count()
    assert queries.sql("replica") == []


@replica_db
def test_a_row_read_from_the_replica_can_be_related_to_a_new_row_on_the_primary(house):
    with reporting_reads():
        from_replica = House.objects.get(pk=house.pk)
        room = Room.objects.create(house=from_replica, name="Attic")
    assert (from_replica._state.db, room._state.db) == ("replica", "default")
    assert Room.objects.filter(pk=room.pk, house=house).exists()


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "houses", model_name="house") is True
    assert router.allow_migrate("replica", "houses", model_name="house") is False


def test_a_thread_started_inside_the_switch_reads_the_primary():
    seen = []
    with reporting_reads():
        thread = threading.Thread(target=lambda: seen.append(reporting_block()))
        thread.start()
        thread.join()
    assert seen == [None]


@replica_db
@pytest.mark.postgres
def test_the_test_mirror_counts_as_a_replica_that_has_caught_up():
    assert db_routers.replica_caught_up(wait=0) is True


@replica_db
@pytest.mark.postgres
def test_the_replica_is_checked_once_per_block(house):
    with Queries() as queries, reporting_reads():
        House.objects.filter(pk=house.pk).count()
        Room.objects.filter(house=house).count()
    assert (len(queries.checks("default")), len(queries.checks("replica"))) == (1, 1)
    assert len(queries.sql("replica")) == 2


@replica_db
@pytest.mark.postgres
def test_reporting_reads_stay_on_the_primary_while_the_replica_is_behind(house, monkeypatch):
    monkeypatch.setattr(db_routers, "_replica_behind", lambda position: True)
    monkeypatch.setattr(db_routers, "CATCH_UP_SECONDS", 0.01)
    with Queries() as queries, reporting_reads():
        House.objects.filter(pk=house.pk).count()
        Room.objects.filter(house=house).count()
    assert queries.sql("replica") == []
    assert len(queries.sql("default")) == 2


@replica_db
@pytest.mark.postgres
def test_an_unreachable_replica_leaves_reporting_reads_on_the_primary(house, monkeypatch, caplog):
    def refused(position):
        raise OperationalError("connection refused")

    monkeypatch.setattr(db_routers, "_replica_behind", refused)
    with reporting_reads():
        assert House.objects.filter(pk=house.pk).count() == 1
    assert "read replica unreachable (OperationalError)" in caplog.text


# End to end: the report entry points with the router on. The first two put the whole request inside the switch, so
# they hold whatever the entry points wrap; the last two check the entry points' own wrapping.


@replica_db
def test_the_monthly_metrics_api_answers_the_same_figures_from_the_replica(api, operator, occupied, other_house):
    client = api(operator)
    expected = client.get(f"/api/v1/reports/monthly/?month={MONTH}").json()
    with Queries() as queries, reporting_reads():
        answer = client.get(f"/api/v1/reports/monthly/?month={MONTH}")
    assert answer.status_code == 200
    assert answer.json() == expected
    assert queries.sql("replica")


@replica_db
def test_a_report_is_generated_with_its_reads_on_the_replica_and_its_writes_on_the_primary(api, operator, occupied):
    with Queries() as queries, reporting_reads():
        answer = api(operator).post("/api/v1/reports/", {"kind": "monthly", "month": MONTH}, format="json")
    report = Report.objects.get(pk=answer.json()["id"])
    assert (report.status, report.file.open("rb").read(4)) == (Report.Status.DONE, b"%PDF")
    assert queries.sql("replica")
    assert {sql.split()[0] for sql in queries.sql("replica")} == {"SELECT"}


@replica_db
def test_the_monthly_metrics_api_reads_its_figures_from_the_replica(api, operator, occupied):
    with Queries() as queries:
        answer = api(operator).get(f"/api/v1/reports/monthly/?month={MONTH}")
    assert answer.status_code == 200
    assert queries.sql("replica")


@replica_db
def test_a_reports_pdf_reads_its_figures_from_the_replica(api, operator, occupied):
    with Queries() as queries:
        answer = api(operator).post("/api/v1/reports/", {"kind": "monthly", "month": MONTH}, format="json")
    assert Report.objects.get(pk=answer.json()["id"]).status == Report.Status.DONE
    assert queries.sql("replica")
