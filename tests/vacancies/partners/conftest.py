"""Partners and their people: a partner of the organization sharing ``house`` (not ``other_house``), a referrer login
of it, and a partner of another organization."""

import pytest

from accounts.models import Role
from tests.factories import MembershipFactory
from vacancies.models import ReferralPartner


def make_partner(organization, houses=(), **fields):
    fields.setdefault("name", "Hope Treatment Center")
    fields.setdefault("kind", ReferralPartner.Kind.TREATMENT)
    partner = ReferralPartner.objects.create(organization=organization, **fields)
    partner.houses.set(houses)
    return partner


def make_referrer(partner, **user):
    user.setdefault("full_name", "Rita Referrer")
    membership = MembershipFactory(organization=partner.organization, role=Role.REFERRER, **{
        f"user__{name}": value for name, value in user.items()
    })  # fmt: skip
    partner.members.add(membership)
    return membership


@pytest.fixture
def partner(organization, house):
    return make_partner(organization, [house], contact_name="Casey Case", email="intake@hope.example")


@pytest.fixture
def other_partner(organization, other_house):
    return make_partner(organization, [other_house], name="Travis County Drug Court", kind="court")


@pytest.fixture
def foreign_partner(other_organization, foreign_house):
    return make_partner(other_organization, [foreign_house], name="Far Away Detox", kind="detox")


@pytest.fixture
def referrer(partner):
    return make_referrer(partner)


@pytest.fixture
def link(partner):
    return f"/r/{partner.link_token}/"
