"""The members' pages, each used through the form it renders, by the office whose duty it is."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import Payment
from peer.models import BankEntry, BusinessMeeting, ExpectedExpense, HouseReport, Motion, ShareRate
from peer.services import chapters, meetings, money
from residents.models import HouseMeeting
from tests.factories import operator_of
from tests.peer.conftest import TODAY, add_member, at, login, peer_run, vote


def test_the_president_opens_the_weekly_meeting_from_the_meetings_page(page, peer_house, members):
    response = page(login(members.president)).submit("/portal/house/meetings/", {"held_at": "2026-03-11T19:00"})
    meeting = BusinessMeeting.objects.get()
    assert response.status_code == 302
    assert response.url == f"/portal/house/meetings/{meeting.pk}/"
    assert meeting.kind == "weekly"


def test_a_member_without_an_office_gets_no_form_to_open_a_meeting(page, peer_house, members):
    plain = add_plain_member(peer_house)
    html = page(plain.membership).get("/portal/house/meetings/").content.decode()
    assert "Open the meeting" not in html


def add_plain_member(house):
    return add_member(house, legal_first_name="Plain")


def test_the_chair_marks_who_is_present(page, peer_house, members, meeting):
    url = f"/portal/house/meetings/{meeting.pk}/"
    response = page(login(members.president)).submit(
        url, {"attendance-present": [str(members.president.pk), str(members.treasurer.pk)]}, button="Save attendance"
    )
    assert response.status_code == 302
    assert set(meeting.present.all()) == {members.president, members.treasurer}


def test_a_member_votes_from_their_phone_and_the_count_shows_it(page, peer_house, members, meeting):
    motion = meetings.motion_make(
        actor=login(members.president),
        meeting=meeting,
        text="Buy a vacuum",
        moved_by=members.treasurer,
        seconded_by=members.coordinator,
    )
    client = page(login(members.secretary))
    client.submit(f"/portal/house/meetings/{meeting.pk}/", button="For")
    html = client.get(f"/portal/house/meetings/{meeting.pk}/").content.decode()
    assert motion.ballots.get().choice == "for"
    assert '<span data-count="for">1</span>' in html


def test_the_chair_counts_the_vote_from_the_runner(page, peer_house, members, meeting):
    motion = meetings.motion_make(
        actor=login(members.president),
        meeting=meeting,
        text="Buy a vacuum",
        moved_by=members.treasurer,
        seconded_by=members.coordinator,
    )
    vote(meeting, motion, dict.fromkeys(members.all[:4], "for"))
    page(login(members.president)).submit(f"/portal/house/meetings/{meeting.pk}/", button="Close the vote and count")
    motion.refresh_from_db()
    assert (motion.outcome, motion.votes_for) == ("carried", 4)


def test_the_runner_admits_an_applicant_the_members_vote_in(page, peer_house, members, meeting, applicant):
    president = page(login(members.president))
    bed = peer_house.beds.order_by("-pk").first()
    president.submit(
        f"/portal/house/meetings/{meeting.pk}/",
        {
            "motion-kind": "admission",
            "motion-text": "Admit Sam O.",
            "motion-moved_by": str(members.treasurer.pk),
            "motion-seconded_by": str(members.secretary.pk),
            "motion-application": str(applicant.pk),
            "motion-bed": str(bed.pk),
            "motion-move_in": "2026-03-12",
        },
        button="Put the motion",
    )
    motion = Motion.objects.get()
    vote(meeting, motion, dict.fromkeys(members.all, "for"))
    president.submit(f"/portal/house/meetings/{meeting.pk}/", button="Close the vote and count")
    applicant.refresh_from_db()
    assert applicant.status == "admitted"


def test_a_refused_motion_comes_back_with_the_reason_beside_the_field(page, peer_house, members, meeting):
    response = page(login(members.president)).submit(
        f"/portal/house/meetings/{meeting.pk}/",
        {
            "motion-kind": "general",
            "motion-text": "Paint",
            "motion-moved_by": str(members.treasurer.pk),
            "motion-seconded_by": str(members.treasurer.pk),
        },
        button="Put the motion",
    )
    assert response.status_code == 400
    assert "A motion is seconded by another member." in response.content.decode()
    assert not Motion.objects.exists()


def test_another_officer_cannot_count_the_vote(page, peer_house, members, meeting):
    motion = meetings.motion_make(
        actor=login(members.president),
        meeting=meeting,
        text="Paint",
        moved_by=members.treasurer,
        seconded_by=members.coordinator,
    )
    response = page(login(members.treasurer)).post(f"/portal/house/meetings/{meeting.pk}/motions/{motion.pk}/decide/")
    assert response.status_code == 403
    motion.refresh_from_db()
    assert motion.outcome == "open"


def test_the_secretary_writes_the_minutes(page, peer_house, members, meeting):
    page(login(members.secretary)).submit(
        f"/portal/house/meetings/{meeting.pk}/",
        {"minutes-new_business": "Porch light fixed"},
        button="Save the minutes",
    )
    meeting.refresh_from_db()
    assert meeting.new_business == "Porch light fixed"


def test_closing_from_the_runner_records_the_house_meeting(page, peer_house, members, meeting):
    page(login(members.president)).submit(f"/portal/house/meetings/{meeting.pk}/", button="Close the meeting")
    assert HouseMeeting.objects.get().attendees.count() == 6


@pytest.fixture
def register(peer_house, members):
    money.bank_entry_record(
        actor=login(members.treasurer), house=peer_house, kind="opening", amount="800", entry_on=date(2026, 2, 1)
    )
    return peer_house


def test_the_treasurer_takes_a_share_in_cash(page, peer_house, members):
    page(login(members.treasurer)).submit(
        "/portal/house/money/",
        {
            "payment-member": str(members.coordinator.pk),
            "payment-method": "cash",
            "payment-amount": "81.50",
            "payment-received_on": "2026-03-11",
        },
        form="form[action$='/money/payments/']",
    )
    assert Payment.objects.get().amount == Decimal("81.50")


def test_the_treasurer_writes_a_check_with_two_signatures(page, register, members):
    page(login(members.treasurer)).submit(
        "/portal/house/money/",
        {
            "entry-kind": "check",
            "entry-amount": "600",
            "entry-entry_on": "2026-03-10",
            "entry-number": "1043",
            "entry-payee": "Elm St Properties",
            "entry-signed_by": str(members.treasurer.pk),
            "entry-cosigned_by": str(members.president.pk),
        },
        form="form[action$='/money/register/']",
    )
    check = BankEntry.objects.get(kind="check")
    assert (check.number, check.cosigned_by) == ("1043", members.president)


def test_a_check_with_one_signature_is_refused_beside_the_field(page, register, members):
    response = page(login(members.treasurer)).submit(
        "/portal/house/money/",
        {
            "entry-kind": "check",
            "entry-amount": "600",
            "entry-entry_on": "2026-03-10",
            "entry-number": "1043",
            "entry-payee": "Elm St Properties",
            "entry-signed_by": str(members.treasurer.pk),
        },
        form="form[action$='/money/register/']",
    )
    assert response.status_code == 400
    assert "two officers" in response.content.decode()
    assert not BankEntry.objects.filter(kind="check").exists()


def test_only_the_treasurer_sees_the_treasurers_forms(page, register, members):
    html = page(login(members.secretary)).get("/portal/house/money/").content.decode()
    assert "Register since" in html
    assert "Record the payment" not in html


def test_the_comptroller_sets_the_share_from_the_expenses(page, peer_house, members):
    comptroller = page(login(members.comptroller))
    comptroller.submit(
        "/portal/house/money/",
        {
            "expense-kind": "rent",
            "expense-payee": "Elm St Properties",
            "expense-amount": "2600",
            "expense-period": "monthly",
        },
        form="form[action$='/money/expenses/']",
    )
    comptroller.submit("/portal/house/money/", {"share-starts_on": "2026-03-16"}, form="form[action$='/money/share/']")
    assert ExpectedExpense.objects.get().payee == "Elm St Properties"
    assert ShareRate.objects.get().amount == Decimal("75.00")


def test_the_comptroller_prepares_the_audit_and_the_auditors_sign_it(page, register, members):
    opening = BankEntry.objects.get()
    page(login(members.comptroller)).submit(
        "/portal/house/audits/",
        {
            "month": "2026-02-01",
            "statement_balance": "800.00",
            "cleared": [str(opening.pk)],
            "auditors": [str(members.secretary.pk), str(members.coordinator.pk)],
        },
    )
    for auditor in (members.secretary, members.coordinator):
        page(login(auditor)).submit("/portal/house/audits/", button="Sign this audit")
    html = page(login(members.treasurer)).get("/portal/house/audits/").content.decode()
    assert "Reconciled" in html
    assert "Signed off" in html
    assert "Not reconciled:" not in html


def test_an_unreconciled_month_is_flagged_on_the_house_page(page, register, members):
    html = page(login(members.secretary)).get("/portal/house/").content.decode()
    assert "Not reconciled:" in html
    assert "February 2026" in html


def test_the_house_services_representative_files_the_report_and_marks_help(page, peer_house, members):
    chapter = chapters.chapter_create(actor=operator_of(peer_house.organization), name="Elm Valley")
    peer_run(peer_house, chapter=chapter)
    hsr = page(login(members.house_services_rep))
    hsr.submit("/portal/house/chapter/", {"month": "2026-02-01"}, form="form[action='/portal/house/chapter/']")
    report = HouseReport.objects.get()
    hsr.submit("/portal/house/chapter/", {"help_note": "Behind on the rent"}, button="Mark: needs help Oxford on Elm")
    report.refresh_from_db()
    assert (report.needs_help, report.help_note) == (True, "Behind on the rent")


@pytest.mark.parametrize("pdf", ["treasurer", "audit", "house_report"])
def test_each_pdf_opens_for_a_member(page, register, members, pdf):
    if pdf == "treasurer":
        url = "/portal/house/money/2026-02/treasurer-report.pdf"
    elif pdf == "audit":
        audit = money.audit_prepare(
            actor=login(members.comptroller),
            house=register,
            month=date(2026, 2, 1),
            statement_balance="800",
            cleared=BankEntry.objects.all(),
            auditors=[members.secretary, members.coordinator],
        )
        url = f"/portal/house/audits/{audit.pk}/audit.pdf"
    else:
        chapter = chapters.chapter_create(actor=operator_of(register.organization), name="Elm Valley")
        peer_run(register, chapter=chapter)
        report = chapters.house_report_file(
            actor=login(members.house_services_rep), house=register, month=date(2026, 2, 1)
        )
        url = f"/portal/house/chapter/reports/{report.pk}/house-report.pdf"
    response = page(login(members.secretary)).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_operator_makes_a_house_peer_run_from_its_governance_page(page, organization, house, operator):
    response = page(operator).submit(f"/dashboard/houses/{house.pk}/governance/", {"governance": "peer_run"})
    house.refresh_from_db()
    assert response.status_code == 302
    assert house.governance == "peer_run"


def test_a_house_with_a_manager_stays_staff_run_with_the_reason_shown(page, organization, house, operator, manager):
    response = page(operator).submit(f"/dashboard/houses/{house.pk}/governance/", {"governance": "peer_run"})
    assert response.status_code == 400
    assert "unassign them first" in response.content.decode()


def test_the_operator_creates_a_chapter(page, operator):
    page(operator).submit(
        "/dashboard/chapters/",
        {"name": "Elm Valley", "area": "Springfield"},
        form="form[action='/dashboard/chapters/']",
    )
    assert chapters.Chapter.objects.get().name == "Elm Valley"


def test_the_portal_menu_offers_house_business_only_in_a_peer_run_house(page, peer_house, members, resident_member):
    assert "House business" in page(login(members.secretary)).get("/portal/").content.decode()
    assert "House business" not in page(resident_member).get("/portal/").content.decode()


def test_the_house_page_costs_the_same_queries_for_more_members(
    page, peer_house, members, django_assert_max_num_queries
):
    client = page(login(members.secretary))
    with django_assert_max_num_queries(40) as few:
        client.get("/portal/house/")
    add_member(peer_house, legal_first_name="Late")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/portal/house/")


def test_a_meeting_page_runs_at_night_on_the_houses_clock(page, peer_house, members):
    meetings.meeting_open(actor=login(members.president), house=peer_house, held_at=at(TODAY, 21))
    html = page(login(members.secretary)).get("/portal/house/meetings/").content.decode()
    assert "9:00" in html


def test_every_member_reads_the_weekly_ledger_and_each_members_ledger(page, peer_house, members):
    money.expected_expense_add(actor=login(members.comptroller), house=peer_house, kind="rent", payee="Landlord",
                               amount="2600")  # fmt: skip
    money.share_set(actor=login(members.comptroller), house=peer_house, starts_on=date(2026, 3, 16))
    money.share_payment_record(actor=login(members.treasurer), member=members.coordinator, method="cash",
                               amount="75.00", received_on=TODAY)  # fmt: skip
    client = page(login(members.secretary))
    money_page = client.get("/portal/house/money/").content.decode()
    assert "Weekly ledger" in money_page
    assert "$75.00 / $0.00" in money_page
    ledger = client.get(f"/portal/house/money/members/{members.coordinator.pk}/").content.decode()
    assert "-$75.00" in ledger


def test_the_president_invites_an_applicant_to_interview(page, peer_house, members, applicant):
    page(login(members.president)).submit("/portal/house/meetings/", button="Invite to interview Sam Ortiz")
    applicant.refresh_from_db()
    assert applicant.status == "interview"


def test_a_member_sees_the_applicants_but_cannot_invite_them(page, peer_house, members, applicant):
    html = page(login(members.treasurer)).get("/portal/house/meetings/").content.decode()
    assert "Sam Ortiz" in html
    assert "Invite to interview" not in html
