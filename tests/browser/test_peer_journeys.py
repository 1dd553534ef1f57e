"""A peer-run house run by its members on their phones, in a real browser: a meeting admits an applicant by vote,
the treasurer records a deposit, the comptroller's audit reconciles a month and the auditors sign it off."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from peer.models import BankEntry, Motion
from peer.selectors.money import register_balance, unreconciled_months
from peer.services import governance, meetings, money
from residents.core.services.applications import application_receive
from tests.factories import HouseFactory, operator_of
from tests.peer.conftest import OFFICERS, add_member, peer_run

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}


@pytest.fixture
def wednesday_evening():
    """March 11, 2026, 7:30 p.m. in the house, ticking."""
    with time_machine.travel(datetime(2026, 3, 11, 19, 30, tzinfo=ZoneInfo("America/Chicago")), tick=True):
        yield


@pytest.fixture
def house(wednesday_evening, organization):
    """Oxford on Elm, peer-run: six members holding the six offices since January, and one bed free."""
    elm = peer_run(HouseFactory(organization=organization, name="Oxford on Elm", beds=7))
    operator = operator_of(organization)
    elm.officers = {}
    for office in OFFICERS:
        resident = add_member(elm, legal_first_name=office.split("_")[0].title(), legal_last_name="Member")
        governance.officer_elect(actor=operator, house=elm, office=office, resident=resident,
                                 starts_on=date(2026, 1, 10))  # fmt: skip
        elm.officers[office] = resident
    return elm


@pytest.fixture
def phone(open_page):
    return open_page(PHONE["width"], PHONE["height"])


def _to_house_page(page, section):
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_text("More", exact=True).click()
    menu.get_by_role("link", name="House business").click()
    page.wait_for_url(re.compile(r"/portal/house/$"))
    if section:
        page.get_by_role("navigation", name="Oxford on Elm business").get_by_role("link", name=section).click()


def test_a_meeting_admits_an_applicant_by_the_members_vote(phone, open_page, sign_in, screenshot, house):
    applicant = application_receive(
        organization=house.organization, received_via="website", first_name="Sam", last_name="Ortiz",
        phone="(555) 300-4000", preferred_house=house, applied_on=date(2026, 3, 2),
    )  # fmt: skip
    president = house.officers["president"]
    sign_in(phone, president.membership)
    _to_house_page(phone, "Meetings")
    phone.get_by_role("button", name="Open the meeting").click()
    phone.wait_for_url(re.compile(r"/portal/house/meetings/\d+/$"))

    phone.get_by_text("Mark who is present", exact=True).click()
    for resident in house.officers.values():
        phone.get_by_label(resident.display_name).check()
    phone.get_by_role("button", name="Save attendance").click()
    assert phone.get_by_role("heading", name="6 members present").is_visible()

    phone.get_by_text("Put a motion", exact=True).click()
    phone.get_by_label("Kind of motion").select_option("admission")
    phone.get_by_label("The motion").fill("Admit Sam O. after the interview")
    phone.get_by_label("Moved by").select_option(label=house.officers["treasurer"].display_name)
    phone.get_by_label("Seconded by").select_option(label=house.officers["secretary"].display_name)
    phone.get_by_label("Applicant interviewed").select_option(label="Sam Ortiz, applied Mar 2, 2026")
    phone.get_by_label("Bed").select_option(label="Bed 7")
    phone.get_by_label("Moves in on").fill("2026-03-12")
    phone.get_by_role("button", name="Put the motion").click()
    motion = Motion.objects.get()
    assert phone.get_by_text("needs 80% of those present").is_visible()

    # The treasurer votes from their own phone; four more raise their hands and the president records them.
    treasurer_phone = open_page(PHONE["width"], PHONE["height"])
    sign_in(treasurer_phone, house.officers["treasurer"].membership)
    treasurer_phone.goto(f"/portal/house/meetings/{motion.meeting_id}/")
    treasurer_phone.get_by_role("button", name="For", exact=True).click()
    assert treasurer_phone.get_by_role("status").get_by_text("Your vote is recorded: for.").is_visible()
    for office in ("president", "secretary", "comptroller", "coordinator"):
        meetings.ballot_cast(actor=president.membership, motion=motion, member=house.officers[office], choice="for")
    # The runner's count follows the votes as they arrive, without a reload.
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(phone.locator("[data-count='for']")).to_have_text("5", timeout=15_000)

    phone.get_by_role("button", name="Close the vote and count").click()
    assert phone.get_by_role("status").get_by_text(re.compile(r"Carried: 5 for, 0 against, 0 abstaining")).is_visible()
    applicant.refresh_from_db()
    assert applicant.status == "admitted"
    assert applicant.resident.stays.get().house == house
    screenshot(phone, "peer-meeting-admission-360px")


def test_the_treasurer_records_a_deposit_in_the_register(phone, sign_in, screenshot, house):
    treasurer = house.officers["treasurer"]
    money.bank_entry_record(actor=treasurer.membership, house=house, kind="opening", amount="1000.00",
                            entry_on=date(2026, 2, 1))  # fmt: skip
    sign_in(phone, treasurer.membership)
    _to_house_page(phone, "Money")
    form = phone.locator("form[action$='/money/register/']")
    form.get_by_label("Entry").select_option("deposit")
    form.get_by_label("Amount").fill("489.00")
    form.get_by_label("Date").fill("2026-03-10")
    form.get_by_label("Memo").fill("Shares of the week of March 2")
    form.get_by_role("button", name="Write the entry").click()
    assert phone.get_by_role("status").get_by_text("Entry written in the register.").is_visible()
    register = phone.get_by_role("table", name="Bank register with the running balance")
    assert register.get_by_role(
        "row", name=re.compile(r"Deposit.*Shares of the week of March 2.*\$1,489\.00")
    ).is_visible()
    assert register_balance(house) == Decimal("1489.00")
    screenshot(phone, "peer-treasurer-deposit-360px")


def test_the_audit_reconciles_a_month_and_the_auditors_sign_it_off(phone, open_page, sign_in, screenshot, house):
    treasurer = house.officers["treasurer"].membership
    money.bank_entry_record(actor=treasurer, house=house, kind="opening", amount="1000.00", entry_on=date(2026, 2, 1))
    money.bank_entry_record(actor=treasurer, house=house, kind="deposit", amount="489.00", entry_on=date(2026, 2, 9))
    money.bank_entry_record(
        actor=treasurer, house=house, kind="check", amount="600.00", entry_on=date(2026, 2, 27), number="1043",
        payee="Elm Street Properties", signed_by=house.officers["treasurer"], cosigned_by=house.officers["president"],
    )  # fmt: skip
    assert unreconciled_months(house, today=date(2026, 3, 11)) == [date(2026, 2, 1)]

    sign_in(phone, house.officers["comptroller"].membership)
    _to_house_page(phone, "Audits")
    assert phone.get_by_text("Not reconciled:").is_visible()
    phone.get_by_label("Month audited (its first day)").fill("2026-02-01")
    # The bank holds 1,489.00: the check for 600.00 had not been cashed by the statement's date.
    phone.get_by_label("Closing balance on the bank statement").fill("1489.00")
    for entry in BankEntry.objects.exclude(kind="check"):
        phone.get_by_label(re.compile(rf"{entry.entry_on} · {entry.get_kind_display()}")).check()
    phone.get_by_label(house.officers["secretary"].display_name).check()
    phone.get_by_label(house.officers["coordinator"].display_name).check()
    phone.get_by_role("button", name="Prepare the audit").click()
    assert phone.get_by_role("status").get_by_text("the month reconciles").is_visible()
    screenshot(phone, "peer-audit-prepared-360px")

    for office in ("secretary", "coordinator"):
        auditor = open_page(PHONE["width"], PHONE["height"])
        sign_in(auditor, house.officers[office].membership)
        auditor.goto("/portal/house/audits/")
        auditor.get_by_role("button", name="Sign this audit").click()
        assert auditor.get_by_role("status").get_by_text("You signed the audit of February 2026.").is_visible()
    phone.goto("/portal/house/")
    assert phone.get_by_text("Not reconciled:").count() == 0
    assert unreconciled_months(house, today=date(2026, 3, 11)) == []


def test_every_house_page_fits_a_phone_with_thumb_sized_buttons(phone, sign_in, screenshot, house):
    """Every member's page of the house, as its busiest officer sees it (the treasurer: the most forms)."""
    treasurer = house.officers["treasurer"]
    money.bank_entry_record(actor=treasurer.membership, house=house, kind="opening", amount="1000.00",
                            entry_on=date(2026, 2, 1))  # fmt: skip
    meeting = meetings.meeting_open(actor=house.officers["president"].membership, house=house,
                                    held_at=datetime(2026, 3, 11, 19, tzinfo=ZoneInfo("America/Chicago")))  # fmt: skip
    sign_in(phone, treasurer.membership)
    too_wide, too_small = {}, {}
    pages = ["", "meetings/", f"meetings/{meeting.pk}/", "money/", "audits/", "chores/", "chapter/"]
    for path in [f"/portal/house/{page}" for page in pages]:
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
        buttons = phone.locator("main .button")
        for index in range(buttons.count()):
            box = buttons.nth(index).bounding_box()
            if box and box["height"] < 44:
                too_small.setdefault(path, []).append(buttons.nth(index).inner_text())
        screenshot(phone, "peer" + path.rstrip("/").replace("/portal/house", "").replace("/", "-") + "-360px")
    assert too_wide == {}
    assert too_small == {}
