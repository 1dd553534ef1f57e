"""The phase, sign-out, pass and curfew endpoints: their answers, bad input (4xx naming the field, nothing written)
and a constant number of queries for every list."""

from datetime import date, timedelta

import pytest
import time_machine

from houses.models import Bed
from residents.models import BedAssignment, OvernightPass, Phase, PhaseChange, SignOut, Stay
from tests.clock import local_moment, module_clock
from tests.factories import HouseFactory, ResidentFactory, admit

from .phases_factories import approved_pass, local, log_out, make_phases

TUESDAY = date(2026, 3, 3)


# The phase histories, sign-outs and passes here are dated March to May 2026: the clock is after them (a Wednesday,
# June 10, 2026), whatever day the suite runs.
_clock = module_clock(local_moment(2026, 6, 10))


@pytest.fixture
def phases(organization):
    return make_phases(organization)


@pytest.fixture
def stay(phases, house, operator):
    return admit(house, actor=operator, on=date(2026, 3, 1), legal_first_name="Sam", legal_last_name="Adams")


@pytest.fixture
def client(api, manager):
    return api(manager)


# Curfew violations ---------------------------------------------------------------------------------------------------


def test_the_curfew_list_names_each_violation_in_local_time(client, stay, manager, house, organization):
    log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, TUESDAY, 22, 40))
    response = client.get(f"/api/v1/houses/{house.pk}/curfew-violations/?night=2026-03-03")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["house"], body["night"], body["count"]) == (house.pk, "2026-03-03", 1)
    [row] = body["results"]
    assert {k: row[k] for k in ("resident_name", "phase_name", "curfew", "kind", "minutes_late")} == {
        "resident_name": "Sam Adams", "phase_name": "Stabilization", "curfew": "22:00", "kind": "signed_in_late",
        "minutes_late": 40,
    }  # fmt: skip
    assert row["deadline"] == "2026-03-03T22:00:00-06:00"
    assert row["signed_in_at"] == "2026-03-03T22:40:00-06:00"


def test_the_curfew_list_defaults_to_last_night(client, stay, manager, house, organization):
    # A Wednesday morning, so last night had the 22:00 weeknight curfew whatever day the suite runs.
    with time_machine.travel(local(organization, TUESDAY + timedelta(days=1), 8), tick=False):
        log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, TUESDAY, 23))
        body = client.get(f"/api/v1/houses/{house.pk}/curfew-violations/").json()
    assert (body["night"], body["count"]) == (TUESDAY.isoformat(), 1)


def test_a_resident_on_an_approved_pass_is_not_on_the_curfew_list(client, stay, manager, house, organization):
    approved_pass(stay, actor=manager, leave_on=TUESDAY, return_on=TUESDAY + timedelta(days=1), override=True,
                  reason="Funeral")  # fmt: skip
    log_out(
        stay,
        actor=manager,
        out_at=local(organization, TUESDAY, 19),
        back_at=local(organization, TUESDAY + timedelta(days=1), 10),
    )
    assert client.get(f"/api/v1/houses/{house.pk}/curfew-violations/?night=2026-03-03").json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"), [("night=2026-02-30", "night"), ("night=tuesday", "night"), ("day=2026-03-03", "day")]
)
def test_a_bad_night_is_a_400_naming_it(client, house, phases, query, field):
    response = client.get(f"/api/v1/houses/{house.pk}/curfew-violations/?{query}")
    assert response.status_code == 400
    assert field in response.json()


# Phases --------------------------------------------------------------------------------------------------------------


@pytest.fixture
def op_client(api, operator):
    return api(operator)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"order": 4}, "name"),
        ({"order": 1, "name": "Again"}, "order"),
        ({"order": 4, "name": "stabilization"}, "name"),
        ({"order": 0, "name": "Zero"}, "order"),
        ({"order": "first", "name": "Zero"}, "order"),
        ({"order": 4, "name": "Late", "weeknight_curfew": "09:00"}, "weeknight_curfew"),
        ({"order": 4, "name": "Late", "weekend_curfew": "25:00"}, "weekend_curfew"),
        ({"order": 4, "name": "Late", "passes_per_month": -1}, "passes_per_month"),
        ({"order": 4, "name": "Late", "colour": "blue"}, "colour"),
    ],
)
def test_bad_phase_input_is_a_400_naming_the_field_and_writes_nothing(op_client, phases, body, field):
    response = op_client.post("/api/v1/phases/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Phase.objects.count() == 3


def test_an_operator_defines_a_phase_with_a_curfew_after_midnight(op_client, phases, organization):
    body = {"order": 4, "name": "Alumni", "weeknight_curfew": "01:00", "weekend_curfew": "02:30", "passes_per_month": 8}
    response = op_client.post("/api/v1/phases/", body, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["weeknight_curfew"], response.json()["weekend_curfew"]) == ("01:00", "02:30")
    assert Phase.objects.get(name="Alumni").organization == organization


def test_phases_are_listed_in_order(op_client, phases):
    assert [row["name"] for row in op_client.get("/api/v1/phases/?ordering=order").json()["results"]] == [
        "Stabilization", "Accountability", "Independence",
    ]  # fmt: skip


# Promotions and demotions --------------------------------------------------------------------------------------------


def test_an_early_promotion_is_a_400_that_says_when_it_becomes_possible(client, stay):
    response = client.post("/api/v1/phase-changes/promote/", {"stay": stay.pk, "on": "2026-03-10"}, format="json")
    assert response.status_code == 400
    assert "promotion is possible from Mar 31, 2026" in response.json()["on"][0]
    assert stay.phase_changes.count() == 1


def test_a_promotion_in_the_top_phase_is_a_400_naming_the_stay(client, stay, phases):
    PhaseChange.objects.create(organization=stay.organization, stay=stay, phase=phases[2], kind="promotion",
                               effective_on=date(2026, 3, 2))  # fmt: skip
    response = client.post("/api/v1/phase-changes/promote/", {"stay": stay.pk}, format="json")
    assert response.status_code == 400
    assert "top phase" in response.json()["stay"][0]


def test_a_promotion_through_the_api_is_recorded(client, stay, manager):
    response = client.post(
        "/api/v1/phase-changes/promote/", {"stay": stay.pk, "on": "2026-04-01", "reason": "Ready"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["phase_name"], response.json()["kind"], response.json()["changed_by"]) == (
        "Accountability", "promotion", manager.user.full_name,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("promote", {"stay": "abc"}, "stay"),
        ("promote", {"stay": 999999}, "stay"),
        ("promote", {"stay": "{stay}", "on": "2026-02-30"}, "on"),
        ("promote", {"stay": "{stay}", "on": "2099-01-01"}, "on"),
        ("promote", {"stay": "{stay}", "extra": 1}, "extra"),
        ("demote", {"stay": "{stay}"}, "reason"),
        ("demote", {"stay": "{stay}", "reason": "x", "to_phase": 999999}, "to_phase"),
        ("start", {"stay": "{stay}"}, "stay"),
    ],
)
def test_bad_phase_change_input_is_a_4xx_naming_the_field_and_writes_nothing(client, stay, path, body, field):
    body = {k: stay.pk if v == "{stay}" else v for k, v in body.items()}
    response = client.post(f"/api/v1/phase-changes/{path}/", body, format="json")
    assert 400 <= response.status_code < 500
    assert field in response.json(), response.json()
    assert PhaseChange.objects.count() == 1


# Sign-outs -----------------------------------------------------------------------------------------------------------


def test_a_second_open_sign_out_is_a_409(client, stay):
    body = {"stay": stay.pk, "destination": "Work", "expected_return_at": "2099-01-01T17:00-06:00"}
    assert client.post("/api/v1/sign-outs/", body, format="json").status_code == 201
    response = client.post("/api/v1/sign-outs/", body, format="json")
    assert response.status_code == 409
    assert "already signed out" in response.json()["detail"]
    assert SignOut.objects.count() == 1


def test_signing_in_with_no_open_sign_out_is_a_400_that_says_so(client, stay):
    response = client.post("/api/v1/sign-outs/sign-in/", {"stay": stay.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Sam Adams is not signed out, so there is nothing to sign in. Sign out first."}


def test_a_time_without_an_offset_is_refused_and_nothing_is_written(client, stay):
    body = {
        "stay": stay.pk,
        "destination": "Work",
        "signed_out_at": "2026-03-03T19:00",
        "expected_return_at": "2026-03-03T21:00",
    }
    response = client.post("/api/v1/sign-outs/", body, format="json")
    assert response.status_code == 400
    assert response.json()["signed_out_at"] == [
        "Give the time with its UTC offset, for example 2026-03-03T19:00:00-06:00."
    ]
    assert not SignOut.objects.exists()


def test_a_time_with_its_offset_is_shown_back_in_the_houses_time_zone(client, stay):
    body = {
        "stay": stay.pk,
        "destination": "Work",
        "signed_out_at": "2026-03-04T01:00Z",
        "expected_return_at": "2026-03-03T21:00-06:00",
    }
    response = client.post("/api/v1/sign-outs/", body, format="json")
    assert response.status_code == 201, response.content
    assert SignOut.objects.get().signed_out_at.isoformat() == "2026-03-04T01:00:00+00:00"
    assert response.json()["signed_out_at"] == "2026-03-03T19:00:00-06:00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {
                "destination": "Work",
                "signed_out_at": "2026-03-03T19:00-06:00",
                "expected_return_at": "2026-03-03T18:00-06:00",
            },
            "expected_return_at",
        ),
        ({"destination": "Work", "expected_return_at": "soon"}, "expected_return_at"),
        ({"expected_return_at": "2099-01-01T10:00-06:00"}, "destination"),
        ({"destination": "  ", "expected_return_at": "2099-01-01T10:00-06:00"}, "destination"),
        (
            {
                "destination": "Work",
                "signed_out_at": "2099-01-01T09:00-06:00",
                "expected_return_at": "2099-01-01T10:00-06:00",
            },
            "signed_out_at",
        ),
        (
            {
                "destination": "Work",
                "signed_out_at": "2026-02-01T09:00-06:00",
                "expected_return_at": "2026-02-01T10:00-06:00",
            },
            "signed_out_at",
        ),
        ({"destination": "x" * 201, "expected_return_at": "2099-01-01T10:00-06:00"}, "destination"),
    ],
)
def test_bad_sign_out_input_is_a_400_naming_the_field_and_writes_nothing(client, stay, body, field):
    response = client.post("/api/v1/sign-outs/", {"stay": stay.pk, **body}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not SignOut.objects.exists()


def test_a_resident_cannot_choose_their_sign_out_time(api, phases, resident_member):
    body = {
        "destination": "Work",
        "signed_out_at": "2026-03-03T19:00-06:00",
        "expected_return_at": "2026-03-03T21:00-06:00",
    }
    response = api(resident_member).post("/api/v1/sign-outs/", body, format="json")
    assert response.status_code == 400
    assert "signed_out_at" in response.json()
    assert not SignOut.objects.exists()


def test_the_sign_out_list_filters_who_is_still_out(client, stay, manager, operator, house, organization):
    back = admit(house, actor=operator, on=date(2026, 3, 1))
    log_out(stay, actor=manager, out_at=local(organization, TUESDAY, 19))
    log_out(back, actor=manager, out_at=local(organization, TUESDAY, 19), back_at=local(organization, TUESDAY, 20))
    rows = client.get("/api/v1/sign-outs/?open=true").json()["results"]
    assert [row["stay"] for row in rows] == [stay.pk]
    assert client.get("/api/v1/sign-outs/?open=perhaps").status_code == 400


# Passes --------------------------------------------------------------------------------------------------------------


def pass_body(stay, **overrides):
    return {"stay": stay.pk, "leave_on": "2026-03-06", "return_on": "2026-03-08", "destination": "Mom's",
            "contact_phone": "(555) 010-4444", **overrides}  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"return_on": "2026-03-05"}, "return_on"),
        ({"return_on": "2026-03-06"}, "return_on"),
        ({"leave_on": "2026-02-30"}, "leave_on"),
        ({"leave_on": "2026-02-01"}, "leave_on"),
        ({"contact_phone": ""}, "contact_phone"),
        ({"destination": "   "}, "destination"),
        ({"status": "approved"}, "status"),
    ],
)
def test_bad_pass_input_is_a_400_naming_the_field_and_writes_nothing(client, stay, overrides, field):
    response = client.post("/api/v1/passes/", pass_body(stay, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not OvernightPass.objects.exists()


def test_approving_beyond_the_allowance_is_a_400_that_says_so(client, stay):
    pass_id = client.post("/api/v1/passes/", pass_body(stay), format="json").json()["id"]
    response = client.post(f"/api/v1/passes/{pass_id}/approve/", {}, format="json")
    assert response.status_code == 400
    assert "used 0 of the 0 overnight passes Stabilization allows in March 2026" in response.json()["detail"]
    assert OvernightPass.objects.get().status == "requested"


def test_approving_with_an_override_and_a_reason_records_the_override(client, stay):
    pass_id = client.post("/api/v1/passes/", pass_body(stay), format="json").json()["id"]
    response = client.post(
        f"/api/v1/passes/{pass_id}/approve/", {"override": True, "reason": "Father in hospital"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["allowance_overridden"]) == ("approved", True)


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("approve", {"override": True}, "reason"),
        ("approve", {"override": "sometimes", "reason": "x"}, "override"),
        ("deny", {}, "reason"),
        ("deny", {"reason": ""}, "reason"),
        ("cancel", {"why": "x"}, "why"),
        ("return", {"returned_at": "whenever"}, "returned_at"),
    ],
)
def test_bad_decision_input_is_a_400_naming_the_field_and_changes_nothing(client, stay, action, body, field):
    pass_id = client.post("/api/v1/passes/", pass_body(stay), format="json").json()["id"]
    response = client.post(f"/api/v1/passes/{pass_id}/{action}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert OvernightPass.objects.get().status == "requested"


def test_deciding_a_decided_pass_is_a_409(client, stay):
    pass_id = client.post("/api/v1/passes/", pass_body(stay), format="json").json()["id"]
    client.post(f"/api/v1/passes/{pass_id}/deny/", {"reason": "Curfew"}, format="json")
    assert client.post(f"/api/v1/passes/{pass_id}/deny/", {"reason": "Again"}, format="json").status_code == 409


def test_recording_a_return_through_the_api_sends_the_signal(client, stay, manager):
    from residents.signals import pass_returned

    pass_ = approved_pass(
        stay, actor=manager, leave_on=date(2026, 3, 6), return_on=date(2026, 3, 8), override=True, reason="x"
    )
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs["pass_"])

    pass_returned.connect(receiver)
    try:
        response = client.post(
            f"/api/v1/passes/{pass_.pk}/return/", {"returned_at": "2026-03-08T11:00-05:00"}, format="json"
        )
    finally:
        pass_returned.disconnect(receiver)
    assert response.status_code == 200, response.content
    assert response.json()["returned_at"] == "2026-03-08T11:00:00-05:00"  # daylight time began that morning
    assert len(received) == 1


def test_the_pass_list_filters_by_status(client, stay, manager):
    client.post("/api/v1/passes/", pass_body(stay), format="json")
    client.post("/api/v1/passes/", pass_body(stay, leave_on="2026-03-20", return_on="2026-03-21"), format="json")
    OvernightPass.objects.filter(leave_on=date(2026, 3, 20)).update(status="cancelled")
    rows = client.get("/api/v1/passes/?status=requested").json()["results"]
    assert [row["leave_on"] for row in rows] == ["2026-03-06"]
    assert client.get("/api/v1/passes/?status=lost").status_code == 400


# Query counts --------------------------------------------------------------------------------------------------------

LISTS = [
    "/api/v1/phases/",
    "/api/v1/phase-changes/",
    "/api/v1/resident-phases/",
    "/api/v1/phase-compliance/?week=2026-03-02",
    "/api/v1/sign-outs/",
    "/api/v1/passes/",
    "/api/v1/houses/{house}/curfew-violations/?night=2026-03-03",
]


def _grow(organization, house, operator, count):
    """``count`` more residents of ``house``, each promoted, late on Tuesday night, with an approved and a waiting
    pass. Written directly (not through the services) to keep the test fast; the services are tested elsewhere."""
    phases = list(Phase.objects.filter(organization=organization).order_by("order")[:2])
    taken = BedAssignment.objects.filter(end__isnull=True).values("bed")
    beds = list(Bed.objects.filter(house=house).exclude(pk__in=taken).order_by("pk")[:count])
    for n, bed in enumerate(beds):
        order = Phase.objects.filter(organization=organization).count() + 1
        Phase.objects.create(organization=organization, order=order, name=f"Extra {order}")
        resident = ResidentFactory(organization=organization)
        stay = Stay.objects.create(organization=organization, resident=resident, house=house, move_in=date(2026, 1, 5))
        BedAssignment.objects.create(stay=stay, bed=bed, start=stay.move_in)
        for phase, kind, on in ((phases[0], "initial", stay.move_in), (phases[1], "promotion", date(2026, 2, 10))):
            PhaseChange.objects.create(
                organization=organization, stay=stay, phase=phase, kind=kind, effective_on=on, reason=f"Step {n}",
                changed_by=operator.user,
            )  # fmt: skip
        SignOut.objects.create(
            organization=organization, house=house, stay=stay, destination="Work",
            signed_out_at=local(organization, TUESDAY, 19), expected_return_at=local(organization, TUESDAY, 22),
            signed_in_at=local(organization, TUESDAY, 23, 30), signed_out_by=operator.user, signed_in_by=operator.user,
        )  # fmt: skip
        for leave_on, status in ((date(2026, 3, 9), "approved"), (date(2026, 3, 20), "requested")):
            OvernightPass.objects.create(
                organization=organization, house=house, resident=resident, stay=stay, leave_on=leave_on,
                return_on=leave_on + timedelta(days=1), destination="Home", contact_phone="555", status=status,
                requested_by=operator.user, decided_by=operator.user if status == "approved" else None,
            )  # fmt: skip


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("role", ["operator", "manager"])
def test_every_list_runs_a_constant_number_of_queries(
    request, api, organization, phases, operator, manager, path, role, django_assert_max_num_queries
):
    house = HouseFactory(organization=organization, beds=40)
    manager.houses.add(house)
    client = api(request.getfixturevalue(role))
    url = path.format(house=house.pk) + ("&" if "?" in path else "?") + "page_size=200"
    url = url.replace("curfew-violations/?night=2026-03-03&page_size=200", "curfew-violations/?night=2026-03-03")
    _grow(organization, house, operator, 2)
    with django_assert_max_num_queries(12) as small:
        response = client.get(url)
    assert response.status_code == 200, response.content
    _grow(organization, house, operator, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) >= 27 or path == "/api/v1/phases/"


def test_a_residents_lists_also_run_a_constant_number_of_queries(
    api, organization, phases, operator, resident_member, django_assert_max_num_queries
):
    client = api(resident_member)
    assert resident_member.resident.stays.get().phase_changes.exists()  # admission started the first phase
    for path in [
        "/api/v1/phase-changes/",
        "/api/v1/resident-phases/",
        "/api/v1/phase-compliance/",
        "/api/v1/sign-outs/",
        "/api/v1/passes/",
    ]:
        with django_assert_max_num_queries(12):
            assert client.get(path).status_code == 200


@pytest.mark.parametrize("pk", ["99999999999999999999999", "0"])
def test_absurd_house_ids_are_not_found(client, phases, pk):
    assert client.get(f"/api/v1/houses/{pk}/curfew-violations/").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/api/v1/sign-outs/?house={id}", "/api/v1/passes/?house={id}", "/api/v1/phase-changes/?house={id}",
     "/api/v1/resident-phases/?house={id}", "/api/v1/sign-outs/?stay=abc"],
)  # fmt: skip
def test_list_filters_refuse_another_organizations_id_as_if_it_did_not_exist(client, phases, foreign_house, path):
    response = client.get(path.format(id=foreign_house.pk))
    assert response.status_code == 400
    assert list(response.json()) == ["stay" if "abc" in path else "house"]


def test_the_schema_documents_every_phase_and_sign_out_endpoint(served_schema):
    paths = served_schema["paths"]
    for path in [
        "/api/v1/phases/", "/api/v1/phase-changes/promote/", "/api/v1/phase-changes/demote/",
        "/api/v1/phase-changes/start/", "/api/v1/resident-phases/", "/api/v1/phase-compliance/",
        "/api/v1/sign-outs/", "/api/v1/sign-outs/sign-in/", "/api/v1/passes/", "/api/v1/passes/{id}/approve/",
        "/api/v1/passes/{id}/deny/", "/api/v1/passes/{id}/cancel/", "/api/v1/passes/{id}/return/",
        "/api/v1/houses/{id}/curfew-violations/",
    ]:  # fmt: skip
        assert path in paths, path
    compliance = {p["name"] for p in paths["/api/v1/phase-compliance/"]["get"]["parameters"]}
    assert {"house", "week", "behind", "search", "ordering", "page", "page_size"} <= compliance
    night = {p["name"] for p in paths["/api/v1/houses/{id}/curfew-violations/"]["get"]["parameters"]}
    assert "night" in night
