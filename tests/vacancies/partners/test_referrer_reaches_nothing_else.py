"""A login with the role referrer reaches its partner's pages and nothing else: every route of the project, tried as a
referrer with the ids of its own organization's objects, answers 403, 404, a redirect or a method refusal, except
the public routes (which show no person) and the referrer's own pages. The API's lists refuse it too, through the
session and through an API token, and writes to applications and residents change nothing."""

import re
from datetime import date

import pytest
from django.test import Client
from rest_framework.test import APIClient

from residents.core.services.applications import application_create
from residents.core.services.stays import stay_admit
from residents.models import Application, Resident, Stay
from tests.architecture.routes import all_routes
from tests.factories import PASSWORD, ResidentFactory

from .conftest import make_partner, make_referrer
from .helpers import refer

pytestmark = pytest.mark.django_db

# Routes anyone may open, and the referrer's own: a 200 there is the public answer. The signed-in user's own account
# pages (password, second factor, organization switch) belong to any login.
PUBLIC = (
    "v/", "api/public/", "healthz", "applications/<str:token>/", "offers/", "r/", "referrer/", "accounts/",
    "api/schema/", "api/docs/",
)  # fmt: skip
# The user's own API record and tokens, and the API root listing the endpoints: no one else's rows.
OWN = {"api/v1/", "api/v1/me/", "api/v1/auth/tokens/$", "api/v1/auth/token/"}
# Words that would betray staff or resident content on a page the referrer opened.
SECRETS = ("Privately", "Neighbourly", "555-999-8888", "Applicant note", "Olivia Operator")

PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
# A ``pk`` after these segments names an object of that kind.
SEGMENT_OBJECT = {
    "houses": "house", "rooms": "room", "beds": "bed", "residents": "resident", "stays": "stay",
    "applications": "application", "memberships": "membership",
}  # fmt: skip
NAMED = {
    "house_id": "house", "house_pk": "house", "house": "house", "bed_id": "bed", "resident_id": "resident",
    "stay_id": "stay", "application_id": "application", "membership_id": "membership", "partner_id": "partner",
}  # fmt: skip


@pytest.fixture
def world(organization, house, operator, manager, resident_member):
    partner = make_partner(organization, [house])
    referrer = make_referrer(partner)
    resident = ResidentFactory(organization=organization, legal_first_name="Privately", legal_last_name="Neighbourly")
    stay = stay_admit(actor=operator, resident=resident, bed=house.beds.order_by("pk").last(), on=date(2026, 1, 5))
    application = application_create(
        actor=operator, first_name="Dana", last_name="Reyes", phone="555-999-8888", notes="Applicant note",
        applied_on=date(2026, 2, 1), preferred_house=house,
    )  # fmt: skip
    referred = refer(partner, first_name="Referred", last_name="Person").application
    bed = house.beds.order_by("pk").first()
    return {
        "organization": organization, "house": house, "room": bed.room, "bed": bed, "resident": resident,
        "stay": stay, "application": application, "referred": referred, "membership": manager, "partner": partner,
        "referrer": referrer,
    }  # fmt: skip


def _value(name: str, route: str, world: dict, before: str) -> list[str]:
    """The values tried for a path parameter: its own organization's object where the name says which, else any
    of several ids (an application's, a resident's, a house's, a stay's)."""
    if name == "token":
        return [world["partner"].link_token if route.startswith("r/") else "no-such-token"]
    if name in ("organization", "organization_slug"):
        return [world["organization"].slug]
    if name in NAMED:
        return [str(world[NAMED[name]].pk)]
    if name == "pk":
        segment = before.rstrip("/").rsplit("/", 1)[-1]
        if segment in SEGMENT_OBJECT:
            return [str(world[SEGMENT_OBJECT[segment]].pk)]
    if name in ("house_slug", "uidb64", "url"):
        return ["maple-house"]
    return [str(world[kind].pk) for kind in ("application", "resident", "house", "stay")]


def urls_of(route: str, world: dict) -> list[str]:
    """Concrete paths for a route, each parameter filled (the combinations of the values tried)."""
    paths = [""]
    position = 0
    for match in PARAM.finditer(route):
        literal = route[position : match.start()]
        values = _value(match.group(1) or match.group(2), route, world, route[: match.start()])
        paths = [path + literal + value for path in paths for value in values]
        position = match.end()
    paths = [path + route[position:] for path in paths]
    return ["/" + path.lstrip("^").replace("$", "") for path in paths]


def _routes():
    return [r.route for r in all_routes() if not r.route.startswith("admin/") or r.route == "admin/"]


def _is_public(route: str) -> bool:
    return route == "" or route.startswith(PUBLIC) or route in OWN


def _leaks(response) -> list[str]:
    content = (
        response.content.decode(errors="replace")
        if response.get("Content-Type", "").startswith(("text/", "application/json"))
        else ""
    )
    return [secret for secret in SECRETS if secret in content]


def _signed_in(referrer) -> Client:
    client = Client()
    client.force_login(referrer.user)
    return client


def test_every_route_refuses_a_referrer_answers_publicly_or_leads_to_sign_in_or_their_own_pages(world):
    # One sweep of every route (a few thousand requests) checks the answer and where a redirect leads.
    client = _signed_in(world["referrer"])
    wrong = []
    for route in _routes():
        for url in urls_of(route, world):
            response = client.get(url)
            code = response.status_code
            if code >= 500 or (200 <= code < 300 and not _is_public(route)):
                wrong.append(f"GET {url} -> {code}")
            elif leaked := _leaks(response):
                wrong.append(f"GET {url} shows {leaked}")
            elif code in (301, 302, 303) and not _is_public(route):
                target = response["Location"]
                if not target.startswith(("/accounts/login/", "/admin/login/", "/referrer/")):
                    wrong.append(f"GET {url} -> {target}")
    assert not wrong, "a referrer reached:\n" + "\n".join(wrong)


def _api_lists(world) -> list[str]:
    return [
        url
        for route in _routes()
        if route.startswith("api/v1/") and route not in OWN and "<" not in route and "(?P" not in route
        for url in urls_of(route, world)
    ]


def test_every_api_list_refuses_a_referrers_session(world):
    client = APIClient()
    client.force_login(world["referrer"].user)
    answered = [f"{url} -> {r.status_code}" for url in _api_lists(world) if (r := client.get(url)).status_code < 300]
    assert not answered


def test_every_api_list_refuses_a_referrers_token(world):
    client = APIClient()
    signed_in = client.post("/api/v1/auth/token/", {"email": world["referrer"].user.email, "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {signed_in.json()['token']}")
    assert client.get("/api/v1/me/").status_code == 200  # the token works: only the lists refuse it

    answered = [f"{url} -> {r.status_code}" for url in _api_lists(world) if (r := client.get(url)).status_code < 300]
    assert not answered


def _snapshot():
    return {
        "applications": list(Application.objects.values_list("pk", "status", "first_contacted_at").order_by("pk")),
        "residents": list(Resident.objects.values_list("pk", "legal_first_name", "phone").order_by("pk")),
        "stays": list(Stay.objects.values_list("pk", "move_out").order_by("pk")),
    }


STAFF_WRITES = [
    ("/dashboard/applications/new/", {"first_name": "X", "last_name": "Y", "phone": "1", "applied_on": "2026-02-01"}),
    ("/dashboard/applications/{application}/move/", {"status": "declined", "note": "no"}),
    ("/dashboard/applications/{referred}/move/", {"status": "accepted"}),
    ("/dashboard/applications/{application}/contact/", {"note": "called"}),
    ("/dashboard/applications/{application}/erase/", {}),
    ("/dashboard/applications/{application}/admit/", {"bed": "{bed}", "on": "2026-03-01"}),
    ("/api/v1/applications/", {"first_name": "X", "last_name": "Y", "phone": "1", "applied_on": "2026-02-01"}),
    ("/api/v1/applications/{application}/move/", {"to": "declined", "note": "no"}),
    ("/api/v1/applications/{application}/contact/", {"note": "called"}),
    ("/api/v1/residents/", {"legal_first_name": "X", "legal_last_name": "Y"}),
    ("/api/v1/stays/admit/", {"resident": "{resident}", "bed": "{bed}", "on": "2026-03-01"}),
]


def _filled(text: str, world: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(world[m.group(1)].pk), text)


@pytest.mark.parametrize(("path", "body"), STAFF_WRITES, ids=[path for path, _ in STAFF_WRITES])
def test_a_referrer_cannot_write_applications_or_residents(world, path, body):
    client = APIClient()
    client.force_login(world["referrer"].user)
    before = _snapshot()

    response = client.post(_filled(path, world), {k: _filled(v, world) for k, v in body.items()}, format="json")

    assert response.status_code in (403, 404)
    assert _snapshot() == before


def test_posts_to_every_staff_route_change_nothing(world):
    client = _signed_in(world["referrer"])
    before = _snapshot()
    answered = []
    for route in _routes():
        if _is_public(route) or route == "billing/stripe/webhook/":
            continue
        for url in urls_of(route, world):
            response = client.post(url, {})
            if response.status_code < 300 or response.status_code >= 500:
                answered.append(f"POST {url} -> {response.status_code}")
    assert not answered, "\n".join(answered)
    assert _snapshot() == before
