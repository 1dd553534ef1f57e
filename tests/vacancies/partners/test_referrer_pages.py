"""A login with the role referrer reads its partner's pages at /referrer/: the same pages as the private link, for
its own partners only, in its own organization."""

import pytest

from accounts.tenancy import SESSION_KEY
from tests.factories import MembershipFactory
from vacancies.models import Referral

from .conftest import make_partner, make_referrer
from .helpers import refer

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Jamie", "last_name": "Lopez", "email": "jamie@example.org", "on_moud": "no", "payer": "self",
    "consent_to_contact": "on", "referrer_name": "Rita Referrer", "referrer_email": "rita@hope.example",
}  # fmt: skip


def test_a_referrer_lands_on_their_partners_open_beds(page, referrer, partner):
    response = page(referrer).get("/", follow=True)

    assert response.redirect_chain[-1][0] == f"/referrer/{partner.pk}/"
    assert "Open beds" in response.content.decode()


def test_a_referrer_of_several_partners_picks_one(page, referrer, other_partner, partner):
    other_partner.members.add(referrer)

    content = page(referrer).get("/referrer/").content.decode()

    assert f"/referrer/{partner.pk}/" in content
    assert f"/referrer/{other_partner.pk}/" in content


def test_a_referrer_refers_a_person_through_the_form(page, referrer, partner):
    response = page(referrer).submit(f"/referrer/{partner.pk}/refer/", FORM)

    assert response.status_code == 302
    assert response.url == f"/referrer/{partner.pk}/referrals/"
    assert Referral.objects.get().partner == partner


def test_a_referrer_cannot_open_a_partner_they_do_not_belong_to(page, referrer, other_partner):
    client = page(referrer)

    assert client.get(f"/referrer/{other_partner.pk}/").status_code == 404
    assert client.get(f"/referrer/{other_partner.pk}/referrals/").status_code == 404


def test_a_referrer_sees_only_their_partners_referrals(page, referrer, partner, other_partner):
    refer(partner, first_name="Mine")
    refer(other_partner, first_name="Theirs")

    content = page(referrer).get(f"/referrer/{partner.pk}/referrals/").content.decode()

    assert "Mine L." in content
    assert "Theirs" not in content


def test_a_referrer_of_organization_a_sees_nothing_of_b(page, referrer, foreign_partner, foreign_house):
    refer(foreign_partner, first_name="Foreign")
    client = page(referrer)

    assert client.get(f"/referrer/{foreign_partner.pk}/").status_code == 404
    assert client.get(f"/referrer/{foreign_partner.pk}/referrals/").status_code == 404
    assert foreign_house.name not in client.get("/referrer/", follow=True).content.decode()


def test_a_referrer_working_in_another_organization_sees_only_that_ones_partners(
    page, referrer, partner, other_organization, foreign_house
):
    elsewhere = make_partner(other_organization, [foreign_house], name="Elsewhere Partner")
    second = MembershipFactory(user=referrer.user, organization=other_organization, role="referrer")
    elsewhere.members.add(second)
    client = page(referrer)
    session = client.session
    session[SESSION_KEY] = other_organization.pk
    session.save()

    assert client.get(f"/referrer/{partner.pk}/").status_code == 404
    assert client.get(f"/referrer/{elsewhere.pk}/").status_code == 200


def test_an_inactive_partner_is_out_of_its_referrers_reach(page, referrer, partner):
    partner.is_active = False
    partner.save()

    assert page(referrer).get(f"/referrer/{partner.pk}/").status_code == 404


def test_a_referrers_navigation_holds_only_their_pages(page, referrer, partner):
    content = page(referrer).get(f"/referrer/{partner.pk}/").content.decode()
    nav = content.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]

    assert "/referrer/" in nav
    for staff_page in ("/dashboard/", "/residents/", "/applications/", "/dashboard/reports/", "/portal/"):
        assert f'href="{staff_page}"' not in nav


def test_staff_do_not_use_the_referrer_pages(page, operator, partner):
    assert page(operator).get(f"/referrer/{partner.pk}/").status_code == 403


def test_a_referrer_login_not_linked_to_a_partner_sees_an_empty_choice(page, organization):
    alone = make_referrer(make_partner(organization, name="Temporary"))
    alone.referral_partners.clear()

    response = page(alone).get("/referrer/")

    assert response.status_code == 200
    assert "not linked to a referral partner" in response.content.decode()
