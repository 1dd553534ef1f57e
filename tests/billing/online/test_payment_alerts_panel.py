"""The dashboard's "Payments needing attention" panel (operators and managers share the staff dashboard) and each
alert's page, where staff mark it handled."""

from datetime import UTC, datetime
from decimal import Decimal

import lxml.html
import pytest

from billing.models import PaymentAlert

from .conftest import CHARGE, PI, event_for, fixture, make_online

DASHBOARD = "/dashboard/"
# 23:59:59 UTC on June 22, 2026: 6:59 p.m. that day in Chicago, the test organization's time zone; "today" is June 15.
DUE_BY = int(datetime(2026, 6, 22, 23, 59, 59, tzinfo=UTC).timestamp())


def panel(response) -> str:
    assert response.status_code == 200
    document = lxml.html.fromstring(response.content.decode())
    [section] = document.cssselect("#payment-alerts")
    return " ".join(section.text_content().split())


def disputed(deliver, op, *, due_by: int = DUE_BY):
    deliver(event_for("checkout.session.completed.json", op))
    event = event_for("charge.dispute.created.json", op)
    event["data"]["object"]["evidence_details"]["due_by"] = due_by
    deliver(event)
    return PaymentAlert.objects.get(online_payment=op)


def test_the_operators_dashboard_shows_a_dispute_with_amount_resident_and_deadline(deliver, attempt, page, operator):
    disputed(deliver, attempt)
    text = panel(page(operator).get(DASHBOARD))
    assert "Disputed payment" in text
    assert attempt.resident.display_name in text
    assert "$500.00" in text
    assert "Evidence due at Stripe by Mon Jun 22, 6:59 p.m. CDT" in text
    assert "7 days left" in text


def test_the_managers_dashboard_shows_a_dispute_of_their_houses_resident(deliver, attempt, page, manager):
    disputed(deliver, attempt)
    text = panel(page(manager).get(DASHBOARD))
    assert attempt.resident.display_name in text
    assert "7 days left" in text


def test_a_manager_does_not_see_alerts_of_another_houses_resident(deliver, page, manager, operator, other_resident):
    op = make_online(other_resident, "80.00", intent="pi_willow", state="pending")
    deliver(event_for("checkout.session.async_payment_failed.json", op, payment_intent="pi_willow"))
    assert PaymentAlert.objects.filter(resident=other_resident).exists()
    assert other_resident.display_name not in panel(page(manager).get(DASHBOARD))
    assert other_resident.display_name in panel(page(operator).get(DASHBOARD))


def test_a_failed_bank_debit_shows_on_the_dashboard_without_a_deadline(deliver, attempt, page, operator):
    deliver(event_for("checkout.session.completed.unpaid_ach.json", attempt))
    deliver(event_for("checkout.session.async_payment_failed.json", attempt))
    text = panel(page(operator).get(DASHBOARD))
    assert "Bank debit failed" in text
    assert "$500.00" in text
    assert "Evidence due" not in text


def test_a_failed_refund_shows_on_the_dashboard(deliver, attempt, page, manager):
    deliver(event_for("checkout.session.completed.json", attempt))
    event = fixture("captured/zulip.charge.refund.updated.failed.json")
    event["data"]["object"].update(amount=12500, currency="usd", charge=CHARGE, payment_intent=PI, metadata={})
    deliver(event)
    text = panel(page(manager).get(DASHBOARD))
    assert "Refund failed" in text
    assert "$125.00" in text


def test_a_passed_deadline_says_so(deliver, attempt, page, operator):
    disputed(deliver, attempt, due_by=int(datetime(2026, 6, 14, 12, tzinfo=UTC).timestamp()))
    assert "Deadline passed" in panel(page(operator).get(DASHBOARD))


def test_a_deadline_tonight_is_due_today(deliver, attempt, page, operator):
    # 03:00 UTC on June 16 is still June 15 (10 p.m.) in Chicago.
    disputed(deliver, attempt, due_by=int(datetime(2026, 6, 16, 3, tzinfo=UTC).timestamp()))
    text = panel(page(operator).get(DASHBOARD))
    assert "Mon Jun 15, 10:00 p.m. CDT" in text
    assert "Due today" in text


def test_a_won_dispute_leaves_the_panel(deliver, attempt, page, operator):
    disputed(deliver, attempt)
    closed = event_for("charge.dispute.created.json", attempt, event_id="evt_dispute_won", status="won")
    closed["type"] = "charge.dispute.closed"
    deliver(closed)
    assert "No disputed payments, failed bank debits or failed refunds." in panel(page(operator).get(DASHBOARD))


def test_the_nearest_deadline_comes_first(deliver, page, operator, member_resident, owing):
    later = make_online(member_resident, "10.00", intent="pi_later")
    sooner = make_online(member_resident, "20.00", intent="pi_sooner")
    for op, day, cents in ((later, 25, 1000), (sooner, 18, 2000)):
        event = event_for(
            "charge.dispute.created.json", op, event_id=f"evt_{op.pk}", payment_intent=op.payment_intent_id
        )
        event["data"]["object"].update(
            id=f"dp_{op.pk}",
            amount=cents,
            evidence_details={"due_by": int(datetime(2026, 6, day, tzinfo=UTC).timestamp())},
        )
        deliver(event)
    text = panel(page(operator).get(DASHBOARD))
    assert text.index("$20.00") < text.index("$10.00")


def _alerts(resident, count: int, *, first: int = 0):
    for number in range(first, first + count):
        op = make_online(resident, "40.00", intent=f"pi_many_{resident.pk}_{number}")
        PaymentAlert.objects.create(
            organization_id=op.organization_id, resident_id=op.resident_id, house_id=op.house_id, online_payment=op,
            kind=PaymentAlert.Kind.DISPUTE, reference=f"dp_many_{op.pk}", amount=op.amount, currency=op.currency,
            evidence_due_by=datetime(2026, 6, 20, tzinfo=UTC),
        )  # fmt: skip


@pytest.mark.parametrize("role", ["operator", "manager"])
def test_the_dashboard_costs_the_same_for_one_alert_or_twelve(
    request, page, role, member_resident, django_assert_max_num_queries
):
    viewer = request.getfixturevalue(role)
    client = page(viewer)
    _alerts(member_resident, 1)
    with django_assert_max_num_queries(80) as one:
        client.get(DASHBOARD)
    measured = len(one.captured_queries)
    _alerts(member_resident, 11, first=1)
    with django_assert_max_num_queries(measured):
        text = panel(client.get(DASHBOARD))
    assert "4 more not shown" in text


# The alert's page


def test_staff_mark_an_alert_handled_on_its_page_and_it_leaves_the_dashboard(deliver, attempt, page, manager):
    alert = disputed(deliver, attempt)
    client = page(manager)
    response = client.submit(f"/billing/alerts/{alert.pk}/", {"note": "Evidence sent to Stripe: the signed agreement."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.resolution == "Evidence sent to Stripe: the signed agreement. (Marcus)"
    assert "No disputed payments" in panel(client.get(DASHBOARD))


def test_marking_handled_without_a_note_shows_the_error_beside_the_field(deliver, attempt, page, operator):
    alert = disputed(deliver, attempt)
    response = page(operator).submit(f"/billing/alerts/{alert.pk}/", {"note": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    alert.refresh_from_db()
    assert alert.resolved_at is None


def test_the_alert_page_shows_the_deadline_and_what_to_do(deliver, attempt, page, operator):
    alert = disputed(deliver, attempt)
    text = " ".join(
        lxml.html.fromstring(page(operator).get(f"/billing/alerts/{alert.pk}/").content).text_content().split()
    )
    assert "Mon Jun 22, 6:59 p.m. CDT" in text
    assert "7 days left" in text
    assert "Answer the dispute in the Stripe Dashboard" in text


@pytest.mark.parametrize(
    ("role", "expected"), [("operator", 200), ("manager", 404), ("resident_member", 403), ("outsider", 404)]
)
def test_an_alert_of_another_houses_resident_is_reachable_only_by_the_operator(
    request, deliver, page, role, expected, other_resident
):
    op = make_online(other_resident, "80.00", intent="pi_willow_page", state="pending")
    deliver(event_for("checkout.session.async_payment_failed.json", op, payment_intent="pi_willow_page"))
    alert = PaymentAlert.objects.get(resident=other_resident)
    client = page(request.getfixturevalue(role))
    assert client.get(f"/billing/alerts/{alert.pk}/").status_code == expected
    assert client.post(f"/billing/alerts/{alert.pk}/", {"note": "Handled"}).status_code == (
        302 if expected == 200 else expected
    )
    alert.refresh_from_db()
    assert (alert.resolved_at is not None) == (expected == 200)


def test_an_anonymous_visitor_is_sent_to_log_in(client, deliver, attempt):
    alert = disputed(deliver, attempt)
    response = client.get(f"/billing/alerts/{alert.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_resident_page_shows_the_dispute_and_its_deadline(deliver, attempt, page, manager):
    disputed(deliver, attempt)
    response = page(manager).get(f"/dashboard/residents/{attempt.resident_id}/")
    document = lxml.html.fromstring(response.content.decode())
    [section] = document.cssselect("#online-payments")
    text = " ".join(section.text_content().split())
    assert "Disputed: no reason given by the bank: evidence due by Mon Jun 22, 6:59 p.m. CDT" in text
    assert "Disputed payment: open alert" in text
    assert Decimal("500.00") == attempt.amount
