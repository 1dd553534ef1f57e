"""After ``seed_demo``: three referral partners share houses (two take the daily digest), the treatment centre has a
referrer login, and their referrals stand at every status a partner sees, dated over the last month."""

import pytest
from django.test import Client

from accounts.models import Membership, Role
from demo.seed import DEMO_PASSWORD
from residents.models import Application
from tests.forms import FormClient
from vacancies.models import Referral, ReferralPartner
from vacancies.partner_selectors import partner_referrals

pytestmark = pytest.mark.usefixtures("demo_db")


def test_the_demo_has_three_partners_of_the_first_organization_sharing_houses():
    partners = ReferralPartner.objects.filter(organization__slug="second-wind").prefetch_related("houses")

    assert {(p.name, p.kind) for p in partners} == {
        ("Hope Treatment Center", "treatment"),
        ("Travis County Drug Court", "court"),
        ("St. Luke's Hospital", "hospital"),
    }  # fmt: skip
    assert all(partner.houses.all() for partner in partners)
    assert sorted(p.digest_opt_in for p in partners) == [False, True, True]


def test_the_referrer_signs_in_with_the_demo_password_and_lands_on_the_partners_open_beds():
    membership = Membership.objects.select_related("user").get(user__email="referrer@example.com")
    assert membership.user.check_password(DEMO_PASSWORD)
    client = Client()
    client.force_login(membership.user)

    response = client.get("/", follow=True)

    partner = ReferralPartner.objects.get(name="Hope Treatment Center")
    assert membership.role == Role.REFERRER
    assert response.redirect_chain[-1][0] == f"/referrer/{partner.pk}/"
    assert "Maple House" in response.content.decode()


def test_the_demo_referrals_stand_at_every_status_a_partner_sees():
    statuses = {row.status for partner in ReferralPartner.objects.all() for row in partner_referrals(partner)}

    assert statuses == {"received", "contacted", "interview", "accepted", "admitted", "declined", "withdrawn"}


def test_the_demo_referrals_are_dated_over_the_last_month_with_replies_after_they_arrived():
    applications = Application.objects.filter(referral__isnull=False)

    assert Referral.objects.count() == applications.count() == 7
    assert all(a.first_contacted_at is None or a.first_contacted_at > a.received_at for a in applications)
    days = sorted((a.organization.today() - a.received_at.astimezone(a.organization.tzinfo).date()).days
                  for a in applications)  # fmt: skip
    assert days[0] <= 1
    assert 20 <= days[-1] <= 31


def test_the_declined_referral_shows_its_reason_on_the_partners_page():
    partner = ReferralPartner.objects.get(name="St. Luke's Hospital")

    page = Client().get(f"/r/{partner.link_token}/referrals/").content.decode()

    assert "Declined" in page
    assert "Needs medical detox first" in page


def test_every_page_the_demo_referrer_reaches_is_well_formed_and_is_their_own():
    from tests.pages.test_crawl import crawl

    client = FormClient(raise_request_exception=False)
    signed_in = client.submit(
        "/accounts/login/", {"username": "referrer@example.com", "password": DEMO_PASSWORD}, button="Sign in",
        follow=True,
    )  # fmt: skip
    landing = signed_in.redirect_chain[-1][0]

    per_route, problems = crawl(client, landing)

    assert problems == []
    assert {route for route in per_route if not route.startswith("accounts/")} == {
        "referrer/<int:partner_id>/", "referrer/<int:partner_id>/refer/", "referrer/<int:partner_id>/referrals/",
        "referrer/", "",
    }  # fmt: skip


def test_every_page_a_partners_link_reaches_is_well_formed():
    from tests.pages.test_crawl import crawl

    partner = ReferralPartner.objects.get(name="Travis County Drug Court")

    per_route, problems = crawl(FormClient(raise_request_exception=False), f"/r/{partner.link_token}/")

    assert problems == []
    assert {route for route in per_route if route.startswith("r/")} == {
        "r/<token:token>/", "r/<token:token>/refer/", "r/<token:token>/referrals/",
    }  # fmt: skip
