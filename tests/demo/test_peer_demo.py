"""The demo's peer-run organization: three peer-run houses in one chapter with a year of their own business."""

from datetime import timedelta

from django.db.models import Count

from accounts.models import Membership, Organization
from houses.models import House
from peer.models import BankEntry, BehaviourContract, BusinessMeeting, HouseCharter, HouseReport, Motion, ShareRate
from peer.selectors.money import is_signed_off, member_balances, unreconciled_months
from peer.services.authority import offices_held
from residents.models import Application
from tests.forms import FormClient


def _organization():
    return Organization.objects.get(slug="commons-peer")


def _house(name):
    return House.objects.get(organization=_organization(), name=name)


def _client(email):
    client = FormClient()
    client.force_login(Membership.objects.get(user__email=email).user)
    return client


def test_the_demo_has_three_peer_run_houses_in_one_chapter(demo_db):
    houses = House.objects.filter(organization=_organization())
    assert set(houses.values_list("governance", flat=True)) == {"peer_run"}
    assert HouseCharter.objects.filter(house__in=houses).values("chapter").distinct().count() == 1
    assert houses.count() == 3


def test_each_house_held_a_year_of_weekly_meetings_with_votes(demo_db):
    today = _organization().today()
    for house in House.objects.filter(organization=_organization()):
        weekly = BusinessMeeting.objects.filter(house=house, kind="weekly")
        assert weekly.filter(held_at__date__lt=today - timedelta(days=330)).exists()
        assert weekly.count() >= 50
        assert Motion.objects.filter(meeting__house=house).annotate(n=Count("ballots")).filter(n=0).count() == 0


def test_the_demo_records_admissions_and_a_dismissal_by_vote(demo_db):
    motions = Motion.objects.filter(meeting__organization=_organization())
    assert motions.filter(kind="admission", outcome="carried", admitted_stay__isnull=False).count() >= 5
    dismissal = motions.get(kind="dismissal")
    assert (dismissal.outcome, dismissal.stay.discharge_reason, dismissal.meeting.kind) == (
        "carried",
        "relapse",
        "emergency",
    )


def test_every_check_in_the_register_is_signed_by_two_members(demo_db):
    checks = BankEntry.objects.filter(organization=_organization(), kind="check")
    assert checks.count() >= 60
    assert not checks.filter(signed_by=None).exists()
    assert all(check.signed_by_id != check.cosigned_by_id for check in checks)


def test_the_share_posts_weekly_to_every_member(demo_db):
    elm = _house("Oxford on Elm")
    share = ShareRate.objects.get(house=elm)
    charges = list(elm.ledger_entries.filter(kind="rent").values_list("amount", flat=True))
    assert len(charges) >= 250
    # A full week is the share; only a first or last week is less (prorated by the nights lived).
    assert max(charges) == share.amount
    assert charges.count(share.amount) > 0.9 * len(charges)


def test_birch_has_an_unreconciled_month_flagged_for_the_chapter(demo_db):
    birch = _house("Oxford on Birch")
    today = _organization().today()
    last_month = today.replace(day=1) - timedelta(days=1)
    assert unreconciled_months(birch, today=today) == [last_month.replace(day=1)]
    report = HouseReport.objects.get(house=birch, month=last_month.replace(day=1))
    assert report.needs_help
    html = _client("hsr@peer.example.com").get("/portal/house/chapter/").content.decode()
    assert "Needs help" in html


def test_elms_other_months_are_audited_and_signed_off(demo_db):
    elm = _house("Oxford on Elm")
    assert unreconciled_months(elm, today=_organization().today()) == []
    assert all(is_signed_off(audit) for audit in elm.audits.all())


def test_one_member_is_behind_on_shares_with_a_behaviour_contract(demo_db):
    elm = _house("Oxford on Elm")
    member = Membership.objects.get(user__email="member@peer.example.com").resident
    assert member_balances(elm)[member.pk] > elm.charter.behind_limit
    assert BehaviourContract.objects.get(house=elm).member == member


def test_each_elm_login_holds_its_office(demo_db):
    elm = _house("Oxford on Elm")
    today = _organization().today()
    for office, email in [("president", "president@peer.example.com"), ("treasurer", "treasurer@peer.example.com"),
                          ("comptroller", "comptroller@peer.example.com"), ("secretary", "secretary@peer.example.com"),
                          ("coordinator", "coordinator@peer.example.com"),
                          ("house_services_rep", "hsr@peer.example.com")]:  # fmt: skip
        resident = Membership.objects.get(user__email=email).resident
        assert office in offices_held(resident, elm, on=today)


def test_an_applicant_waits_to_be_interviewed_at_elm(demo_db):
    waiting = Application.objects.get(preferred_house=_house("Oxford on Elm"), status="interview")
    assert waiting.first_name == "Jordan"


def test_a_member_opens_every_house_page_of_the_demo(demo_db):
    client = _client("treasurer@peer.example.com")
    for path in ["/portal/house/", "/portal/house/meetings/", "/portal/house/money/", "/portal/house/audits/",
                 "/portal/house/chores/", "/portal/house/chapter/"]:  # fmt: skip
        assert client.get(path).status_code == 200, path
