"""Who may open the portal: residents only (staff get 403), each on their own records only (another resident's ids
are 404, as if they did not exist)."""

from datetime import date

import pytest

from accounts.models import Role
from residents.core.services.stays import stay_discharge
from residents.models import Grievance, OvernightPass
from tests.factories import MembershipFactory
from tests.residents.rules_factories import house_rule, publish_defaults

from .portal_factories import PORTAL_PAGES, grievance, neighbour_in, overnight_pass, portal_client, stay_of

STAFF = ["operator", "manager", "outsider"]
ROLES = ["operator", "manager", "resident_member", "outsider"]
PAGES = PORTAL_PAGES  # each tried by every role below (tests/access.py reads it)


@pytest.mark.parametrize("path", PORTAL_PAGES)
@pytest.mark.parametrize("role", STAFF)
def test_staff_cannot_open_a_portal_page(request, role, path, resident_member):
    member = request.getfixturevalue(role)
    assert portal_client(member).get(path).status_code == 403


@pytest.mark.parametrize("path", PORTAL_PAGES)
def test_a_resident_opens_every_portal_page(path, resident_member):
    assert portal_client(resident_member).get(path).status_code == 200


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/portal/passes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "path",
    ["/portal/sign-out/", "/portal/sign-out/back/", "/portal/passes/", "/portal/meetings/", "/portal/grievances/new/"],
)
def test_staff_cannot_post_to_a_portal_form(manager, path):
    # Staff cannot load a portal page (403), so there is no form to submit: the post is hand-made.
    assert portal_client(manager).post(path, {"destination": "Work"}).status_code == 403


def test_another_residents_grievance_is_not_found(operator, house, resident_member):
    theirs = grievance(neighbour_in(operator, house), subject="Noise at night")
    response = portal_client(resident_member).get(f"/portal/grievances/{theirs.pk}/")
    assert response.status_code == 404


def test_cancelling_another_residents_pass_is_not_found_and_changes_nothing(operator, house, resident_member):
    neighbour = neighbour_in(operator, house)
    theirs = overnight_pass(stay_of(neighbour), actor=neighbour)
    # No page of ours offers another resident's pass: only a hand-made request can name it.
    response = portal_client(resident_member).post(f"/portal/passes/{theirs.pk}/cancel/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == OvernightPass.Status.REQUESTED


def test_signing_another_houses_rules_is_not_found(operator, house, other_house, resident_member):
    publish_defaults(operator)
    house_rule(operator, other_house)
    elsewhere = other_house.rule_sets.get(is_current=True)
    # No page of ours offers another house's rules to sign: only a hand-made request can name them.
    response = portal_client(resident_member).post(
        f"/portal/rules/{elsewhere.pk}/sign/", {"signature": resident_member.resident.legal_name}
    )
    assert response.status_code == 404
    assert not resident_member.resident.rule_acknowledgements.exists()


def test_an_id_that_does_not_exist_is_not_found(resident_member):
    client = portal_client(resident_member)
    # Made-up ids are in no page's form, so these requests are hand-made.
    assert client.get("/portal/grievances/999999/").status_code == 404
    assert client.post("/portal/passes/999999/cancel/").status_code == 404
    assert client.post("/portal/rules/999999/sign/", {"signature": "x"}).status_code == 404


def test_a_resident_login_without_a_resident_record_is_told_whom_to_ask(organization):
    login = MembershipFactory(organization=organization, role=Role.RESIDENT)
    response = portal_client(login).get("/portal/")
    assert response.status_code == 403
    assert "not linked to a resident record" in response.content.decode()


@pytest.mark.parametrize("path", PORTAL_PAGES)
def test_a_past_resident_still_reads_every_page(path, operator, resident_member):
    grievance(resident_member)
    stay_discharge(actor=operator, stay=stay_of(resident_member), on=date(2026, 2, 1), reason="completed")
    assert portal_client(resident_member).get(path).status_code == 200


def test_a_past_resident_cannot_file_a_grievance_and_is_told_why(operator, resident_member):
    stay_discharge(actor=operator, stay=stay_of(resident_member), on=date(2026, 2, 1), reason="completed")
    data = {"about": "house", "subject": "Deposit", "details": "I have not had my deposit back."}
    response = portal_client(resident_member).submit("/portal/grievances/new/", data, button="File the grievance")
    assert response.status_code == 400
    assert "You need to be living in one of the houses" in response.content.decode()
    assert not Grievance.objects.exists()


@pytest.fixture
def neighbours(operator, house, other_house, resident_member):
    """A housemate's grievance and pass, and another house's current rules: what the resident's own portal never
    offers, so only a hand-made request can name them."""
    neighbour = neighbour_in(operator, house)
    publish_defaults(operator)
    house_rule(operator, other_house)
    return {
        "grievance": grievance(neighbour, subject="Noise at night"),
        "pass": overnight_pass(stay_of(neighbour), actor=neighbour),
        "rule_set": other_house.rule_sets.get(is_current=True),
    }


NOT_THEIRS = {"operator": 403, "manager": 403, "resident_member": 404, "outsider": 403}
# (method, path template, body, expected status per role)
MATRIX = [
    ("get", "/portal/grievances/{grievance}/", None, NOT_THEIRS),
    ("post", "/portal/passes/{pass}/cancel/", {}, NOT_THEIRS),
    ("post", "/portal/rules/{rule_set}/sign/", {"signature": "Anyone"}, NOT_THEIRS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_is_refused_another_residents_records(request, neighbours, resident_member, role, method, path,
                                                        body, expected):  # fmt: skip
    member = request.getfixturevalue(role)
    url = path.format(**{name: obj.pk for name, obj in neighbours.items()})
    client = portal_client(member)
    response = client.get(url) if method == "get" else client.post(url, body)
    assert response.status_code == expected[role]


# Portal writes with no page of their own to open: (path, body, expected status per role).
# The resident is not signed out, so coming back is refused beside the form (400); staff cannot reach it at all.
WRITES = [
    ("/portal/sign-out/back/", {}, {"operator": 403, "manager": 403, "resident_member": 400, "outsider": 403}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "body", "expected"), WRITES, ids=[path for path, _b, _e in WRITES])
def test_each_role_gets_exactly_its_access_to_each_portal_write(request, resident_member, role, path, body, expected):
    response = portal_client(request.getfixturevalue(role)).post(path, body)
    assert response.status_code == expected[role]
