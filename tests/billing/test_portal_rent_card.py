"""The portal home starts with what the resident owes: "You owe $X" with "past due since DATE" when some of it is,
"Nothing owed" or their credit otherwise, a primary "Pay rent" button, and past-due rent first in "What needs
doing". Today is June 15, 2026 in the house (the billing fixtures), and the clock is frozen there too."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine

from billing.services.ledger import charge_post
from billing.services.online_checkout import online_payment_open
from billing.services.online_payments import online_payment_pending
from billing.services.payments import payment_record
from tests.pages.portal_factories import chore, stay_of
from tests.residents.rules_factories import publish_defaults, sign


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("America/Chicago")), tick=False):
        yield


def charge(operator, resident, amount, on, kind="rent", memo="Rent for the month"):
    return charge_post(actor=operator, resident=resident, kind=kind, amount=amount, memo=memo, effective_on=on)


def pay(operator, resident, amount, on=date(2026, 6, 10)):
    return payment_record(actor=operator, resident=resident, method="cash", amount=amount, received_on=on)


def home(page, member):
    response = page(member).get("/portal/")
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def text_of(document, selector) -> str:
    return " ".join(document.cssselect(selector)[0].text_content().split())


def rent_card(document) -> str:
    return text_of(document, "section[aria-labelledby='money-heading']")


def test_the_home_page_opens_with_what_the_resident_owes_and_since_when_it_is_past_due(
    page, operator, resident_member, member_resident
):
    charge(operator, member_resident, "1725.00", date(2026, 6, 1))
    document = home(page, resident_member)
    first_card = document.cssselect("main section.card, main nav.card")[0]
    assert first_card.get("aria-labelledby") == "money-heading"
    assert "You owe $1,725.00" in rent_card(document)
    assert "$1,725.00 past due since Jun 1, 2026" in rent_card(document)


def test_the_pay_rent_button_is_the_primary_action_and_goes_to_the_pay_page(
    page, operator, resident_member, member_resident
):
    charge(operator, member_resident, "900.00", date(2026, 6, 1))
    document = home(page, resident_member)
    (button,) = document.cssselect("section[aria-labelledby='money-heading'] a.button.primary")
    assert " ".join(button.text_content().split()) == "Pay rent"
    assert button.get("href") == "/portal/pay/"


def test_rent_due_today_is_owed_but_not_past_due(page, operator, resident_member, member_resident):
    charge(operator, member_resident, "900.00", date(2026, 6, 15))
    card = rent_card(home(page, resident_member))
    assert "You owe $900.00" in card
    assert "past due" not in card.lower()


def test_past_due_counts_only_what_the_payments_left_of_the_oldest_charges(
    page, operator, resident_member, member_resident
):
    charge(operator, member_resident, "900.00", date(2026, 5, 1))
    charge(operator, member_resident, "900.00", date(2026, 6, 1))
    pay(operator, member_resident, "1000.00")  # pays May's rent and $100 of June's
    card = rent_card(home(page, resident_member))
    assert "You owe $800.00" in card
    assert "$800.00 past due since Jun 1, 2026" in card


def test_a_resident_in_credit_sees_nothing_owed_and_their_credit(page, operator, resident_member, member_resident):
    charge(operator, member_resident, "900.00", date(2026, 6, 1))
    pay(operator, member_resident, "950.00")
    document = home(page, resident_member)
    card = rent_card(document)
    assert "Nothing owed" in card
    assert "You have a credit of $50.00" in card
    assert document.cssselect("section[aria-labelledby='money-heading'] a.button.primary") == []


def test_a_resident_who_is_paid_up_sees_nothing_owed(page, operator, resident_member, member_resident):
    charge(operator, member_resident, "900.00", date(2026, 6, 1))
    pay(operator, member_resident, "900.00")
    document = home(page, resident_member)
    assert "Nothing owed" in rent_card(document)
    assert "You owe" not in rent_card(document)
    link, autopay = document.cssselect("section[aria-labelledby='money-heading'] a")
    assert (link.get("href"), autopay.get("href")) == ("/portal/pay/", "/portal/pay/autopay/")


def test_a_bank_debit_on_its_way_shows_and_leaves_nothing_to_pay_online(
    page, operator, resident_member, member_resident
):
    charge(operator, member_resident, "900.00", date(2026, 6, 1))
    online = online_payment_open(viewer=resident_member, amount="900.00")
    online_payment_pending(online_payment_id=online.pk, on=date(2026, 6, 14), payment_intent_id="pi_on_its_way")
    document = home(page, resident_member)
    card = rent_card(document)
    assert "You owe $900.00" in card
    assert "$900.00 you paid online is on its way" in card
    assert document.cssselect("section[aria-labelledby='money-heading'] a.button.primary") == []


def test_past_due_rent_is_the_first_thing_that_needs_doing(page, operator, resident_member, member_resident):
    stay = stay_of(resident_member)
    publish_defaults(operator)  # rules to sign
    chore(stay, day=date(2026, 6, 15), name="Take out the trash")
    charge(operator, member_resident, "900.00", date(2026, 6, 1))
    tasks = home(page, resident_member).cssselect("section[aria-labelledby='tasks-heading'] .task-list li")
    words = [" ".join(task.cssselect(".task-what")[0].text_content().split()) for task in tasks]
    assert words[0] == "Pay your rent: $900.00 past due"
    assert "Unpaid since Jun 1, 2026" in tasks[0].cssselect(".task-when")[0].text_content()
    assert tasks[0].cssselect("a")[0].get("href") == "/portal/pay/"
    assert any("Read and sign the house rules" in task for task in words[1:])
    assert any("Chore today: Take out the trash" in task for task in words[1:])


def test_past_due_rent_alone_is_something_to_do(page, operator, resident_member, member_resident):
    publish_defaults(operator)
    sign(member_resident, stay_of(resident_member).house)
    charge(operator, member_resident, "900.00", date(2026, 6, 1))
    needs_doing = text_of(home(page, resident_member), "section[aria-labelledby='tasks-heading']")
    assert "Pay your rent: $900.00 past due" in needs_doing
    assert "Nothing right now" not in needs_doing


def test_rent_that_is_not_yet_past_due_is_not_a_task(page, operator, resident_member, member_resident):
    publish_defaults(operator)
    sign(member_resident, stay_of(resident_member).house)
    charge(operator, member_resident, "900.00", date(2026, 6, 15))
    needs_doing = text_of(home(page, resident_member), "section[aria-labelledby='tasks-heading']")
    assert "Pay your rent" not in needs_doing
    assert "Nothing right now" in needs_doing


def test_other_portal_pages_do_not_read_the_balance(
    page, operator, resident_member, member_resident, django_assert_max_num_queries
):
    charge(operator, member_resident, "900.00", date(2026, 6, 1))
    client = page(resident_member)
    client.get("/portal/rules/")
    with django_assert_max_num_queries(100) as queries:
        assert client.get("/portal/rules/").status_code == 200
    assert not any("billing_ledgerentry" in query["sql"] for query in queries.captured_queries)
