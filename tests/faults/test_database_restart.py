"""A PostgreSQL restart while payments and rent are being written: every connection to the test's own database is
ended (as a restart ends them) and new ones are refused for a moment, while Stripe deliveries and the rent job run.
What failed answered 5xx and wrote nothing halfway; repeated (Stripe redelivers, beat runs the job again), each
payment is recorded once and each rent charge posted once. The shared server itself is never restarted."""

import json
import threading
import time
from datetime import date

import pytest
from django.db import connection
from django.test import Client

from billing.models import EntryKind, LedgerEntry, OnlinePayment
from billing.tasks import post_rent_due
from tests.billing.conftest import make_policy
from tests.billing.online.conftest import WEBHOOK, event_for, make_online, sign
from tests.factories import admit

from .conftest import pg_connect

PAYMENTS = 4
STAYS = 3
# Jan 5 to June 15, 2026, due on the 1st: the January part and February to June.
CHARGES_PER_STAY = 6


def deliver(event: dict) -> int:
    body = json.dumps(event)
    client = Client(raise_request_exception=False)
    try:
        return client.generic(
            "POST", WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
        ).status_code
    finally:
        connection.close()


def run_rent_job() -> str:
    try:
        post_rent_due()
        return "done"
    except Exception as error:  # the database went away under it: beat runs it again
        return type(error).__name__
    finally:
        connection.close()


def restart_the_database(stop: threading.Event, spared_pid: int) -> int:
    """Ends every other session on the test database, again and again, and refuses new ones for a moment in the
    middle, until ``stop``. ``spared_pid``: the test's own session, idle meanwhile. Returns how many it ended."""
    ended = 0
    name = connection.settings_dict["NAME"]
    # From another database: PostgreSQL refuses to close the one a session is connected to.
    with pg_connect(autocommit=True, dbname="postgres") as admin:
        try:
            rounds = 0
            while not stop.is_set():
                rounds += 1
                if rounds == 5:
                    admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                if rounds == 10:
                    admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
                ended += admin.execute(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> %s",
                    [name, spared_pid],
                ).fetchone()[0]
                time.sleep(0.02)
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    return ended


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("stripe_settings", "owing")
def test_a_database_restart_mid_requests_loses_no_payment_and_posts_no_rent_twice(member_resident, house):
    make_policy(house)
    stays = [admit(house, date(2026, 1, 5)) for _ in range(STAYS)]
    events = []
    for number in range(PAYMENTS):
        op = make_online(member_resident, "100.00", intent=f"pi_{number}", state="created")
        events.append(
            event_for(
                "checkout.session.completed.json",
                op,
                event_id=f"evt_fault_{number}",
                payment_intent=f"pi_{number}",
            )
        )
    spared = connection.cursor().connection.info.backend_pid
    stop = threading.Event()
    answers = []
    killer_result = []
    killer = threading.Thread(target=lambda: killer_result.append(restart_the_database(stop, spared)))
    killer.start()
    workers = [threading.Thread(target=lambda e=e: answers.append(deliver(e))) for e in events]
    workers += [threading.Thread(target=lambda: answers.append(run_rent_job())) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stop.set()
    killer.join()
    assert killer_result[0] > 0  # sessions were ended under the requests
    assert set(answers) <= {200, 500, 503, "done", "OperationalError", "InterfaceError"}, answers

    # Stripe delivers again what was not answered 200 (and anything else it likes); beat runs the job again.
    for event in events:
        for _try in range(3):
            if deliver(event) == 200:
                break
        else:
            pytest.fail(f"{event['id']} was never accepted once the database was back")
    assert run_rent_job() == "done"

    for op in OnlinePayment.objects.all():
        assert op.status == "succeeded"
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == PAYMENTS
    for stay in stays:
        keys = list(
            LedgerEntry.objects.filter(stay=stay, kind=EntryKind.RENT).values_list("idempotency_key", flat=True)
        )
        assert len(keys) == CHARGES_PER_STAY == len(set(keys))
