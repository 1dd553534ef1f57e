"""Who reaches the referral partner pages. The staff pages: operators manage their organization's partners, managers
read the list, residents and referrers get 403, another organization's operator 404 for this one's partners. The
partner pages: through a working private link anyone (no login needed); under /referrer/ only a referrer of that
partner; everyone else 403 (not a referrer) or 404 (a partner not theirs)."""

import pytest
from django.test import Client

from vacancies.models import Referral, ReferralPartner

from .conftest import make_partner, make_referrer

ROLES = ["operator", "manager", "resident_member", "outsider", "referrer", "anonymous"]


@pytest.fixture
def places(organization, house, other_house, other_organization, foreign_house):
    partner = make_partner(organization, [house])
    other = make_partner(organization, [other_house], name="Travis County Drug Court", kind="court")
    foreign = make_partner(other_organization, [foreign_house], name="Far Away Detox", kind="detox")
    off = make_partner(organization, [house], name="Switched Off", link_enabled=False)
    return {
        "partner": partner,
        "other_partner": other,
        "foreign_partner": foreign,
        "token": partner.link_token,
        "foreign_token": foreign.link_token,
        "off_token": off.link_token,
    }


@pytest.fixture
def referrer(places):
    return make_referrer(places["partner"])


@pytest.fixture
def anonymous():
    return None


def _client(page, member):
    return Client() if member is None else page(member)


def _ids(places) -> dict:
    return {name: getattr(value, "pk", value) for name, value in places.items()}


def _login_redirect(response) -> int:
    """A redirect to the sign-in page reads as 302; any other answer as its status."""
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return 302
    return response.status_code


STAFF_LIST = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200, "referrer": 403,
              "anonymous": 302}  # fmt: skip
OPERATORS = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200, "referrer": 403,
             "anonymous": 302}  # fmt: skip
OPERATORS_OWN = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404, "referrer": 403,
                 "anonymous": 302}  # fmt: skip
FOREIGN_OPERATORS = {"operator": 404, "manager": 403, "resident_member": 403, "outsider": 200, "referrer": 403,
                     "anonymous": 302}  # fmt: skip
ANYONE = dict.fromkeys(ROLES, 200)
NOBODY = dict.fromkeys(ROLES, 404)
REFERRER_OWN = {"operator": 403, "manager": 403, "resident_member": 403, "outsider": 403, "referrer": 200,
                "anonymous": 302}  # fmt: skip
REFERRER_NOT_THEIRS = {**REFERRER_OWN, "referrer": 404}
REFERRER_HOME = {**REFERRER_OWN, "referrer": 302}  # a referrer of one partner goes straight to its pages

MATRIX = [
    ("/dashboard/partners/", STAFF_LIST),
    ("/dashboard/partners/new/", OPERATORS),
    ("/dashboard/partners/{partner}/", OPERATORS_OWN),
    ("/dashboard/partners/{foreign_partner}/", FOREIGN_OPERATORS),
    ("/r/{token}/", ANYONE),
    ("/r/{token}/refer/", ANYONE),
    ("/r/{token}/referrals/", ANYONE),
    ("/r/{foreign_token}/", ANYONE),
    ("/r/{off_token}/", NOBODY),
    ("/r/{off_token}/refer/", NOBODY),
    ("/r/{off_token}/referrals/", NOBODY),
    ("/referrer/", REFERRER_HOME),
    ("/referrer/{partner}/", REFERRER_OWN),
    ("/referrer/{partner}/refer/", REFERRER_OWN),
    ("/referrer/{partner}/referrals/", REFERRER_OWN),
    ("/referrer/{other_partner}/", REFERRER_NOT_THEIRS),
    ("/referrer/{other_partner}/referrals/", REFERRER_NOT_THEIRS),
    ("/referrer/{foreign_partner}/referrals/", REFERRER_NOT_THEIRS),
]


@pytest.mark.parametrize(("path", "expected"), MATRIX, ids=[path for path, _ in MATRIX])
def test_each_role_gets_exactly_its_access_to_each_partner_page(request, page, places, referrer, path, expected):
    url = path.format(**_ids(places))
    seen = {role: _login_redirect(_client(page, request.getfixturevalue(role)).get(url)) for role in ROLES}
    assert seen == expected


def _snapshot():
    return {
        "partners": list(
            ReferralPartner.objects.values_list("pk", "name", "link_token", "link_enabled", "is_active").order_by("pk")
        ),
        "members": list(ReferralPartner.members.through.objects.values_list("pk").order_by("pk")),
        "referrals": Referral.objects.count(),
    }


WRITE_REFUSED = {"manager": 403, "resident_member": 403, "outsider": 404, "referrer": 403, "anonymous": 302}
CREATE_REFUSED = {"manager": 403, "resident_member": 403, "referrer": 403, "anonymous": 302}
REFERRAL = {
    "first_name": "Jamie", "last_name": "Lopez", "phone": "555", "on_moud": "no", "payer": "self",
    "consent_to_contact": "on", "referrer_name": "R", "referrer_email": "r@example.org",
}  # fmt: skip
WRITES = [
    ("/dashboard/partners/new/", {"name": "Sneaky", "kind": "other"}, CREATE_REFUSED),
    ("/dashboard/partners/{partner}/", {"name": "Renamed", "kind": "other"}, WRITE_REFUSED),
    ("/dashboard/partners/{partner}/link/", {"action": "rotate"}, WRITE_REFUSED),
    ("/dashboard/partners/{partner}/link/", {"action": "disable"}, WRITE_REFUSED),
    ("/dashboard/partners/{partner}/invite/", {"invite-email": "x@example.org"}, WRITE_REFUSED),
    ("/r/{off_token}/refer/", REFERRAL, dict.fromkeys(ROLES, 404)),
    ("/referrer/{partner}/refer/", REFERRAL, {**REFERRER_OWN, "referrer": None}),
    ("/referrer/{other_partner}/refer/", REFERRAL, {**REFERRER_NOT_THEIRS}),
]


@pytest.mark.parametrize(("path", "body", "expected"), WRITES, ids=[f"{p} {b}" for p, b, _ in WRITES])
def test_a_partner_write_out_of_reach_is_refused_and_changes_nothing(request, page, places, referrer, path, body,
                                                                      expected):  # fmt: skip
    url = path.format(**_ids(places))
    refused = {role: code for role, code in expected.items() if code not in (None, 200)}
    before = _snapshot()
    seen = {role: _login_redirect(_client(page, request.getfixturevalue(role)).post(url, body)) for role in refused}
    assert seen == refused
    assert _snapshot() == before
