"""The operator keeps the organization's referral partners: adds and edits them, shares houses, makes a new link or
turns it off, and invites a login with the role referrer; managers read the list."""

import pytest

from accounts.models import Membership, Role
from vacancies.models import ReferralPartner

from .conftest import make_partner
from .helpers import refer

pytestmark = pytest.mark.django_db


def test_an_operator_adds_a_partner_through_the_form(page, operator, house):
    response = page(operator).submit("/dashboard/partners/new/", {
        "name": "St. Luke's Hospital", "kind": "hospital", "contact_name": "Dr. Lee", "email": "lee@stlukes.example",
        "phone": "(555) 300-4000", "houses": [str(house.pk)], "digest_opt_in": "on",
    })  # fmt: skip

    partner = ReferralPartner.objects.get()
    assert response.status_code == 302
    assert response.url == f"/dashboard/partners/{partner.pk}/"
    assert (partner.name, partner.kind, partner.digest_opt_in, partner.link_enabled) == (
        "St. Luke's Hospital",
        "hospital",
        True,
        True,
    )
    assert list(partner.houses.all()) == [house]


def test_a_second_partner_with_the_same_name_is_refused_beside_the_name(page, operator, partner):
    response = page(operator).submit("/dashboard/partners/new/", {"name": partner.name, "kind": "court"})

    assert response.status_code == 400
    assert "Another partner already has this name." in response.content.decode()
    assert ReferralPartner.objects.count() == 1


def test_an_operator_edits_a_partner_and_its_shared_houses(page, operator, partner, house, other_house):
    url = f"/dashboard/partners/{partner.pk}/"
    response = page(operator).submit(url, {"houses": [str(other_house.pk)], "digest_opt_in": "on"}, form="#edit")

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.digest_opt_in
    assert list(partner.houses.all()) == [other_house]


def test_the_detail_page_shows_the_private_link(page, operator, partner):
    content = page(operator).get(f"/dashboard/partners/{partner.pk}/").content.decode()

    assert f"/r/{partner.link_token}/" in content


def test_making_a_new_link_replaces_the_old_one(page, operator, partner):
    old = partner.link_token
    client = page(operator)

    response = client.submit(f"/dashboard/partners/{partner.pk}/", button="Make a new link")

    partner.refresh_from_db()
    assert response.status_code == 302
    assert partner.link_token != old
    assert client.get(f"/r/{old}/").status_code == 404
    assert client.get(f"/r/{partner.link_token}/").status_code == 200


def test_turning_the_link_off_and_on(page, operator, partner):
    client = page(operator)

    client.submit(f"/dashboard/partners/{partner.pk}/", button="Turn the link off")
    assert client.get(f"/r/{partner.link_token}/").status_code == 404

    client.submit(f"/dashboard/partners/{partner.pk}/", button="Turn the link on")
    assert client.get(f"/r/{partner.link_token}/").status_code == 200


def test_an_operator_invites_a_referrer_login_for_the_partner(
    page, operator, partner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = page(operator).submit(
            f"/dashboard/partners/{partner.pk}/",
            {"invite-email": "case@hope.example", "invite-full_name": "Casey"},
            form="#invite",
        )

    assert response.status_code == 302
    membership = Membership.objects.get(user__email="case@hope.example")
    assert (membership.role, membership.is_pending) == (Role.REFERRER, True)
    assert list(partner.members.all()) == [membership]
    assert [message.to for message in mailoutbox] == [["case@hope.example"]]


def test_inviting_someone_already_in_the_organization_is_refused(page, operator, partner):
    response = page(operator).submit(
        f"/dashboard/partners/{partner.pk}/", {"invite-email": operator.user.email}, form="#invite"
    )

    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert not partner.members.exists()


def test_the_list_shows_each_partners_houses_referrals_link_and_digest(page, operator, partner, house):
    refer(partner)
    refer(partner, first_name="Second")

    content = page(operator).get("/dashboard/partners/").content.decode()

    assert partner.name in content
    assert house.name in content
    assert "Treatment centre" in content
    assert '<td data-label="Referrals">2</td>' in content


def test_a_manager_reads_the_list_without_links_to_edit(page, manager, partner):
    response = page(manager).get("/dashboard/partners/")

    assert response.status_code == 200
    assert partner.name in response.content.decode()
    assert f"/dashboard/partners/{partner.pk}/" not in response.content.decode()


def test_the_list_costs_the_same_queries_for_many_partners(
    page, operator, organization, house, other_house, django_assert_max_num_queries
):
    client = page(operator)
    client.get("/dashboard/partners/")
    for n in range(10):
        refer(make_partner(organization, [house, other_house], name=f"Partner {n}"))

    with django_assert_max_num_queries(12):
        response = client.get("/dashboard/partners/")
    assert response.content.decode().count('data-label="Kind"') == 10


def test_operators_see_a_partners_link_in_the_navigation(page, operator):
    assert 'href="/dashboard/partners/"' in page(operator).get("/dashboard/partners/").content.decode()
