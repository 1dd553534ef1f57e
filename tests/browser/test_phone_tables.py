"""Data tables on a phone (390 px): each row becomes a card of "label: value" lines, so the page never scrolls
sideways and the first row's amount and action are on screen, not hidden in a table that scrolls inside itself."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts import calendar
from billing.services.ledger import charge_post
from billing.services.payments import payment_record
from residents.conduct.services.grievances import grievance_file
from residents.core.services.applications import application_create, application_move
from residents.program.services import signouts as signout_services
from residents.testing.services import drug_test_draws as draw_services

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# A Wednesday morning in the houses' time zone: every date below is worked from it, whatever the real day.
NOW = datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def phone(open_page):
    """A 390 px wide page whose console is watched; fails the test on any unexpected error."""
    return open_page(PHONE["width"], PHONE["height"])


@pytest.fixture
def lived_in(clock, house, operator, manager, resident_member):
    """Maple House with one resident who owes $1,725.00 for repairs a month ago and paid $200.00 in cash today (a
    receipt), is signed out now, was drawn for a drug test this week, waits for a pass and was denied another."""
    resident = resident_member.resident
    stay = resident.stays.get()
    today = house.organization.today()
    charge_post(
        actor=operator,
        resident=resident,
        kind="other",
        amount="1725.00",
        memo="Repairs",
        effective_on=today.replace(day=1) - timedelta(days=14),
    )
    payment = payment_record(
        actor=manager, resident=resident, method="cash", amount=Decimal("200.00"), received_on=today
    )
    signout_services.signout_create(
        actor=manager, stay=stay, destination="NA meeting at St. Mark's", expected_return_at=NOW + timedelta(hours=3)
    )
    draw_services.drug_test_draw(actor=manager, house=house, week_start=calendar.week_start(today), seed=7)
    contact = "(555) 010-2233"
    signout_services.pass_request(
        actor=manager,
        stay=stay,
        leave_on=today + timedelta(days=2),
        return_on=today + timedelta(days=3),
        destination="Mother's house",
        contact_phone=contact,
    )
    denied = signout_services.pass_request(
        actor=manager,
        stay=stay,
        leave_on=today + timedelta(days=9),
        return_on=today + timedelta(days=10),
        destination="Lake trip",
        contact_phone=contact,
    )
    signout_services.pass_deny(actor=manager, pass_=denied, reason="Phase 1 residents stay in the first month.")
    return {"resident": resident, "payment": payment}


# Scrolls the window (never a table's own sideways scroll) to the element, then asks what is drawn at its centre.
SEEN_AT_ITS_CENTRE = """element => {
    window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 120);
    const box = element.getBoundingClientRect();
    const seen = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return seen !== null && (seen === element || element.contains(seen));
}"""


def assert_on_screen(phone, locator, what):
    """``locator`` is shown, lies wholly inside the viewport's width as the page first draws it (a person need not
    scroll anything sideways to reach it) and nothing covers or clips it."""
    assert locator.is_visible(), f"{what} is not visible"
    assert locator.evaluate(SEEN_AT_ITS_CENTRE), f"{what} is hidden, clipped or off-screen"
    box = locator.bounding_box()
    assert box["x"] >= 0, f"{what} starts left of the screen: {box}"
    assert box["x"] + box["width"] <= PHONE["width"], f"{what} runs past the right edge: {box}"


def assert_page_fits(phone):
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width[0]} px wide in a {width[1]} px window"


def first_row(phone, caption):
    table = phone.locator("table.stack").filter(has=phone.locator("caption", has_text=caption))
    return table.locator("tbody > tr").first


def test_the_residents_list_shows_the_first_residents_balance_and_link_on_a_phone(
    phone, sign_in, screenshot, manager, lived_in
):
    sign_in(phone, manager)
    phone.goto("/dashboard/residents/")
    row = first_row(phone, "Residents")
    assert_page_fits(phone)
    assert_on_screen(phone, row.get_by_text("$1,525.00"), "the balance")
    assert_on_screen(phone, row.get_by_role("link", name=lived_in["resident"].legal_last_name), "the resident's link")
    screenshot(phone, "phone-390-residents-list")


def test_the_staff_ledger_shows_the_latest_payment_and_its_receipt_on_a_phone(
    phone, sign_in, screenshot, manager, lived_in
):
    sign_in(phone, manager)
    phone.goto(f"/dashboard/residents/{lived_in['resident'].pk}/#ledger")
    row = first_row(phone, "Latest ledger entries")
    assert_page_fits(phone)
    assert_on_screen(phone, row.get_by_text("$200.00"), "the payment")
    receipt = row.get_by_role("link", name=f"Receipt {lived_in['payment'].receipt_number}")
    assert_on_screen(phone, receipt, "the receipt link")
    assert_on_screen(phone, phone.locator("#ledger").get_by_text("$1,525.00"), "the balance")
    screenshot(phone, "phone-390-staff-ledger")


def test_the_residents_own_ledger_shows_the_latest_payment_and_its_receipt_on_a_phone(
    phone, sign_in, screenshot, resident_member, lived_in
):
    sign_in(phone, resident_member)
    phone.goto("/portal/pay/")
    row = first_row(phone, "Your latest charges and payments")
    assert_page_fits(phone)
    assert_on_screen(phone, row.get_by_text("$200.00"), "the payment")
    receipt = row.get_by_role("link", name=f"receipt {lived_in['payment'].receipt_number}")
    assert_on_screen(phone, receipt, "the receipt link")
    screenshot(phone, "phone-390-portal-ledger")


def test_the_sign_out_board_shows_who_is_out_and_the_sign_in_button_on_a_phone(
    phone, sign_in, screenshot, manager, house, lived_in
):
    sign_in(phone, manager)
    phone.goto(f"/dashboard/houses/{house.pk}/sign-outs/")
    row = first_row(phone, "Residents signed out now")
    assert_page_fits(phone)
    assert_on_screen(phone, row.get_by_text("NA meeting at St. Mark's"), "where they went")
    assert_on_screen(phone, row.get_by_role("button", name=f"Sign in {lived_in['resident']}"), "the sign-in button")
    screenshot(phone, "phone-390-sign-out-board")


def test_the_drug_tests_page_shows_the_drawn_resident_and_the_record_button_on_a_phone(
    phone, sign_in, screenshot, manager, house, lived_in
):
    sign_in(phone, manager)
    phone.goto(f"/dashboard/houses/{house.pk}/drug-tests/")
    row = first_row(phone, "Residents drawn this week")
    assert_page_fits(phone)
    assert_on_screen(phone, row.get_by_text("Waiting"), "the request's status")
    action = row.get_by_role("link", name=f"Record result for {lived_in['resident']}")
    assert_on_screen(phone, action, "the record button")
    screenshot(phone, "phone-390-drug-tests")


def test_the_passes_page_shows_the_decision_buttons_and_the_decided_passes_on_a_phone(
    phone, sign_in, screenshot, manager, house, lived_in
):
    sign_in(phone, manager)
    phone.goto(f"/dashboard/houses/{house.pk}/passes/")
    assert_page_fits(phone)
    assert_on_screen(phone, phone.locator("#waiting").get_by_role("button", name="Approve"), "the approve button")
    row = first_row(phone, "Passes decided lately")
    assert_on_screen(phone, row.get_by_text("Denied"), "the decision")
    assert_on_screen(phone, row.get_by_role("link", name=str(lived_in["resident"])), "the resident's link")
    screenshot(phone, "phone-390-passes")


def test_the_dashboard_shows_who_is_behind_on_rent_and_how_much_on_a_phone(
    phone, sign_in, screenshot, manager, lived_in
):
    sign_in(phone, manager)
    phone.goto("/dashboard/")
    widget = phone.locator("#w-owing").locator("..")
    first = widget.locator("li").first
    assert_page_fits(phone)
    assert_on_screen(phone, first.get_by_text("$1,525.00"), "the amount owed")
    assert_on_screen(phone, first.get_by_role("link", name=str(lived_in["resident"].display_name)), "the link")
    screenshot(phone, "phone-390-dashboard-behind-on-rent")


# Scrolls a table sideways inside its box: what a person on a phone would have to do to see its last columns.
TABLES_SCROLLING_SIDEWAYS = """() => [...document.querySelectorAll("main table")]
    .filter(table => { const box = table.parentElement; return box.scrollWidth > box.clientWidth + 1; })
    .map(table => (table.querySelector("caption") || table).textContent.trim().slice(0, 60))"""


def test_no_data_table_of_the_staff_pages_scrolls_sideways_on_a_phone(
    phone, sign_in, screenshot, operator, manager, house, resident_member, lived_in
):
    application = application_create(
        actor=manager, first_name="Jordan", last_name="Blake", phone="(555) 100-2000",
        applied_on=NOW.date() - timedelta(days=20), preferred_house=house,
    )  # fmt: skip
    for status in ("screening", "waitlisted"):
        application = application_move(actor=manager, application=application, to=status)
    grievance_file(actor=resident_member, subject="Hot water", details="Cold showers all week.", about="house")
    resident, payment = lived_in["resident"], lived_in["payment"]
    statement = f"/billing/statement/?resident={resident.pk}&start=2026-05-01&end=2026-06-17"
    paths = [
        "/dashboard/", "/dashboard/residents/", f"/dashboard/residents/{resident.pk}/", "/dashboard/applications/",
        f"/dashboard/houses/{house.pk}/waitlist/", *(f"/dashboard/houses/{house.pk}/{name}/" for name in
        ["chores", "drug-tests", "sign-outs", "passes"]), "/dashboard/phases/", "/dashboard/grievances/",
        "/dashboard/houses/", f"/dashboard/houses/{house.pk}/rooms/", "/dashboard/staff/", "/dashboard/audit/",
        "/dashboard/reports/", statement, f"/billing/receipts/{payment.pk}/",
    ]  # fmt: skip
    sign_in(phone, operator)
    scrolling, too_wide = {}, {}
    for path in paths:
        response = phone.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        if tables := phone.evaluate(TABLES_SCROLLING_SIDEWAYS):
            scrolling[path] = tables
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    screenshot(phone, "phone-390-receipt")
    assert scrolling == {}
    assert too_wide == {}
