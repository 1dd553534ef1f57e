"""A user may belong to several organizations; every request acts within exactly one."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import HouseFactory, MembershipFactory, OrganizationFactory
from tests.forms import FormClient


@pytest.fixture
def two_hat_manager(organization, other_organization, house, foreign_house):
    """One person who manages a house for each of two operators."""
    first = MembershipFactory(organization=organization, role=Role.MANAGER)
    first.houses.add(house)
    second = MembershipFactory(organization=other_organization, role=Role.MANAGER, user=first.user)
    second.houses.add(foreign_house)
    return first.user


def test_the_organization_header_picks_which_organization_a_request_acts_in(two_hat_manager, other_organization):
    client = APIClient()
    client.force_authenticate(two_hat_manager)
    response = client.get("/api/v1/houses/", HTTP_X_ORGANIZATION=other_organization.slug)
    assert [row["name"] for row in response.json()["results"]] == ["Aspen House"]


def test_without_a_header_the_oldest_membership_is_used(two_hat_manager):
    client = APIClient()
    client.force_authenticate(two_hat_manager)
    assert [row["name"] for row in client.get("/api/v1/houses/").json()["results"]] == ["Maple House"]


def test_naming_an_organization_the_user_is_not_in_is_refused(operator, other_organization):
    client = APIClient()
    client.force_authenticate(operator.user)
    response = client.get("/api/v1/houses/", HTTP_X_ORGANIZATION=other_organization.slug)
    assert response.status_code == 403


def test_a_deactivated_membership_grants_nothing(operator):
    operator.is_active = False
    operator.save()
    client = APIClient()
    client.force_authenticate(operator.user)
    assert client.get("/api/v1/houses/").status_code == 403


def test_the_page_switcher_changes_the_organization_for_later_pages(two_hat_manager, other_organization):
    client = FormClient()
    client.force_login(two_hat_manager)
    client.submit("/dashboard/", {"organization": other_organization.pk}, button="Switch")
    page = client.get("/dashboard/")
    assert b"Aspen House" in page.content
    assert b"Maple House" not in page.content


def test_the_switcher_refuses_an_organization_the_user_is_not_in(two_hat_manager):
    client = FormClient()
    client.force_login(two_hat_manager)
    stranger = OrganizationFactory(name="Third Place", slug="third-place")
    response = client.submit("/dashboard/", {"organization": stranger.pk}, button="Switch", follow=True)
    assert "You are not a member of that organization." in response.content.decode()
    page = client.get("/dashboard/")
    assert b"Maple House" in page.content


def test_me_reports_the_acting_organization_and_role(api, manager, house):
    body = api(manager).get("/api/v1/me/").json()
    assert body["membership"]["role"] == "manager"
    assert body["membership"]["organization"]["slug"] == "second-wind"
    assert body["house_ids"] == [house.pk]


def test_rows_of_two_organizations_never_mix_in_lists(api, operator, outsider, house, foreign_house):
    HouseFactory(organization=house.organization, name="Cedar House")
    ours = {row["id"] for row in api(operator).get("/api/v1/houses/").json()["results"]}
    theirs = {row["id"] for row in api(outsider).get("/api/v1/houses/").json()["results"]}
    assert ours
    assert theirs
    assert not ours & theirs
