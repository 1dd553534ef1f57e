"""The chores API: definitions, the generate and mark actions, filters, residents' own view, bad input, query counts."""

from datetime import timedelta

import pytest

from residents.chores import services
from residents.models import Chore, ChoreAssignment
from tests.factories import HouseFactory, ResidentFactory, admit

from .chores_factories import ChoreFactory, this_monday

WEEK = timedelta(weeks=1)


@pytest.fixture
def monday(house):
    return this_monday(house)


@pytest.fixture
def today(house):
    return house.organization.today()


@pytest.fixture
def housemates(house, monday, resident_member):
    """resident_member plus two more residents of Maple House."""
    return [resident_member.resident] + [admit(house, on=monday - 4 * WEEK).resident for _ in range(2)]


@pytest.fixture
def week(house, monday, housemates):
    ChoreFactory(house=house, name="Kitchen")
    ChoreFactory(house=house, name="Trash", frequency="weekly", weekdays=0b0010010)  # tue, fri
    services.chore_rotation_generate(actor=None, house=house, week_start=monday)
    return ChoreAssignment.objects.filter(house=house)


def test_staff_define_a_weekly_chore_with_named_weekdays(api, manager, house):
    body = {"house": house.pk, "name": "Yard", "description": "Mow and rake", "frequency": "weekly",
            "weekdays": ["sat", "wed"]}  # fmt: skip
    response = api(manager).post("/api/v1/chores/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["weekdays"] == ["wed", "sat"]
    assert Chore.objects.get(name="Yard").weekdays == 0b0100100


def test_a_daily_chore_needs_no_weekdays(api, manager, house):
    response = api(manager).post(
        "/api/v1/chores/", {"house": house.pk, "name": "Kitchen", "frequency": "daily"}, format="json"
    )
    assert response.status_code == 201
    assert len(response.json()["weekdays"]) == 7


def test_changing_a_schedule_through_the_api(api, manager, house):
    chore = ChoreFactory(house=house, name="Yard", frequency="weekly", weekdays=1)
    response = api(manager).patch(f"/api/v1/chores/{chore.pk}/", {"weekdays": ["mon", "thu"]}, format="json")
    assert response.status_code == 200
    assert response.json()["weekdays"] == ["mon", "thu"]


def test_chores_filter_by_house_frequency_activity_and_weekday(api, operator, house, other_house):
    ChoreFactory(house=house, name="Kitchen")
    ChoreFactory(house=house, name="Yard", frequency="weekly", weekdays=0b0100000)  # sat
    ChoreFactory(house=other_house, name="Porch", is_active=False)
    client = api(operator)

    def names(query):
        response = client.get(f"/api/v1/chores/?{query}")
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["results"]]

    assert names(f"house={house.pk}&ordering=name") == ["Kitchen", "Yard"]
    assert names("frequency=weekly") == ["Yard"]
    assert names("is_active=false") == ["Porch"]
    assert names(f"weekday=fri&house={house.pk}") == ["Kitchen"]
    assert names("weekday=sat&ordering=-name") == ["Yard", "Porch", "Kitchen"]
    assert names("search=yar") == ["Yard"]


def test_generating_a_week_answers_with_the_week(api, manager, house, monday, housemates):
    ChoreFactory(house=house, name="Kitchen")
    response = api(manager).post(
        "/api/v1/chore-assignments/generate/", {"house": house.pk, "week_start": monday.isoformat()}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["reassigned"], body["cancelled"]) == (7, 0, 0)
    assert [row["due_date"] for row in body["assignments"]] == [str(monday + timedelta(days=n)) for n in range(7)]


def test_generating_the_same_week_again_through_the_api_creates_nothing(api, manager, house, monday, week):
    before = sorted(week.values_list("pk", "resident_id"))
    response = api(manager).post(
        "/api/v1/chore-assignments/generate/", {"house": house.pk, "week_start": monday.isoformat()}, format="json"
    )
    assert response.json()["created"] == 0
    assert sorted(ChoreAssignment.objects.values_list("pk", "resident_id")) == before


def test_marking_through_the_api_records_who_and_when(api, manager, week, today):
    chore = week.filter(due_date=today).first()
    response = api(manager).post(f"/api/v1/chore-assignments/{chore.pk}/mark/", {"status": "missed"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["marked_by"], body["marked_by_name"]) == ("missed", manager.user.pk, "Marcus Manager")
    assert body["marked_at"]


def test_assignments_filter_by_house_resident_status_dates_and_week(api, manager, house, monday, week, housemates):
    client = api(manager)
    first = week.order_by("due_date", "pk").first()
    services.chore_assignment_mark(actor=manager, assignment=first, status="done")
    services.chore_rotation_generate(actor=None, house=house, week_start=monday + WEEK)

    def ids(query):
        response = client.get(f"/api/v1/chore-assignments/?page_size=200&{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    everything = ChoreAssignment.objects.all()
    assert ids(f"house={house.pk}") == set(everything.values_list("pk", flat=True))
    assert ids("status=done") == {first.pk}
    theirs = everything.filter(resident=housemates[1])
    assert ids(f"resident={housemates[1].pk}") == set(theirs.values_list("pk", flat=True))
    assert ids(f"week={monday + WEEK + timedelta(days=4)}") == set(
        everything.filter(due_date__gte=monday + WEEK).values_list("pk", flat=True)
    )
    assert ids(f"due_from={monday + timedelta(days=1)}&due_to={monday + timedelta(days=2)}") == set(
        everything.filter(due_date__in=[monday + timedelta(days=1), monday + timedelta(days=2)]).values_list(
            "pk", flat=True
        )
    )
    rows = client.get("/api/v1/chore-assignments/?ordering=-due_date&search=trash").json()["results"]
    assert {row["chore_name"] for row in rows} == {"Trash"}
    assert rows[0]["due_date"] > rows[-1]["due_date"]


def test_a_resident_sees_only_their_own_chores(api, resident_member, week):
    rows = api(resident_member).get("/api/v1/chore-assignments/?page_size=200").json()["results"]
    own = week.filter(resident=resident_member.resident)
    assert {row["id"] for row in rows} == set(own.values_list("pk", flat=True))


def test_a_resident_guessing_another_residents_chore_gets_404(api, resident_member, week):
    other = week.exclude(resident=resident_member.resident).first()
    assert api(resident_member).get(f"/api/v1/chore-assignments/{other.pk}/").status_code == 404


def test_a_resident_filtering_by_another_resident_is_told_no_such_choice(api, resident_member, week, housemates):
    response = api(resident_member).get(f"/api/v1/chore-assignments/?resident={housemates[1].pk}")
    assert response.status_code == 400
    assert "resident" in response.json()


def test_an_id_from_another_organization_is_as_invalid_as_a_typo(api, outsider, house, week):
    for query in (f"house={house.pk}", f"chore={week.first().chore_id}", f"resident={week.first().resident_id}"):
        response = api(outsider).get(f"/api/v1/chore-assignments/?{query}")
        assert response.status_code == 400
        assert query.split("=")[0] in response.json()


def test_a_resident_cannot_mark_their_own_chore(api, resident_member, week, today):
    own = week.filter(resident=resident_member.resident).first()
    response = api(resident_member).post(f"/api/v1/chore-assignments/{own.pk}/mark/", {"status": "done"})
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == "pending"


# Bad input: a 4xx naming the field, and nothing written.


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"frequency": "weekly", "weekdays": ["funday"]}, "weekdays"),
        ({"frequency": "weekly", "weekdays": []}, "weekdays"),
        ({"frequency": "weekly"}, "weekdays"),
        ({"frequency": "weekly", "weekdays": ["mon", "mon"]}, "weekdays"),
        ({"frequency": "daily", "weekdays": ["mon"]}, "weekdays"),
        ({"frequency": "weekly", "weekdays": "mon"}, "weekdays"),
        ({"frequency": "hourly"}, "frequency"),
        ({"frequency": "daily", "name": ""}, "name"),
        ({"frequency": "daily", "name": "   "}, "name"),
        ({"frequency": "daily", "name": "x" * 81}, "name"),
        ({"frequency": "daily", "is_active": "maybe"}, "is_active"),
        ({"frequency": "daily", "colour": "blue"}, "colour"),
        ({"frequency": "daily", "house": 999999}, "house"),
    ],
)
def test_bad_chore_input_is_named_and_writes_nothing(api, manager, house, body, field):
    body = {"house": house.pk, "name": "Yard", **body}
    response = api(manager).post("/api/v1/chores/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Chore.objects.exists()


def test_a_duplicate_chore_name_is_named(api, manager, house):
    ChoreFactory(house=house, name="Kitchen")
    response = api(manager).post(
        "/api/v1/chores/", {"house": house.pk, "name": "KITCHEN", "frequency": "daily"}, format="json"
    )
    assert response.status_code == 400
    assert "name" in response.json()
    assert Chore.objects.count() == 1


def test_a_chore_cannot_move_to_another_house(api, operator, house, other_house):
    chore = ChoreFactory(house=house, name="Kitchen")
    response = api(operator).patch(f"/api/v1/chores/{chore.pk}/", {"house": other_house.pk}, format="json")
    assert response.status_code == 400
    assert "house" in response.json()
    chore.refresh_from_db()
    assert chore.house == house


def test_a_chore_with_history_cannot_be_deleted(api, manager, week):
    chore = week.first().chore
    response = api(manager).delete(f"/api/v1/chores/{chore.pk}/")
    assert response.status_code == 409
    assert Chore.objects.filter(pk=chore.pk).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"week_start": "tuesday"}, "week_start"),
        ({"week_start": "2026-02-30"}, "week_start"),
        ({"week_start": None}, "week_start"),
        ({"house": None}, "house"),
        ({"house": "abc"}, "house"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_generate_input_is_named_and_writes_nothing(api, manager, house, monday, housemates, body, field):
    ChoreFactory(house=house, name="Kitchen")
    response = api(manager).post(
        "/api/v1/chore-assignments/generate/", {"house": house.pk, "week_start": str(monday), **body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not ChoreAssignment.objects.exists()


def test_a_week_not_starting_on_monday_is_named(api, manager, house, monday, housemates):
    ChoreFactory(house=house, name="Kitchen")
    response = api(manager).post(
        "/api/v1/chore-assignments/generate/", {"house": house.pk, "week_start": str(monday + timedelta(days=1))}
    )
    assert response.status_code == 400
    assert "Monday" in response.json()["week_start"][0]
    assert not ChoreAssignment.objects.exists()


def test_a_week_too_far_ahead_is_named(api, manager, house, monday, housemates):
    ChoreFactory(house=house, name="Kitchen")
    response = api(manager).post(
        "/api/v1/chore-assignments/generate/", {"house": house.pk, "week_start": str(monday + 5 * WEEK)}
    )
    assert response.status_code == 400
    assert "week_start" in response.json()
    assert not ChoreAssignment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "cancelled"}, "status"),
        ({"status": "pending"}, "status"),
        ({"status": ""}, "status"),
        ({}, "status"),
        ({"status": "excused"}, "note"),
        ({"status": "excused", "note": "   "}, "note"),
        ({"status": "done", "marked_by": 1}, "marked_by"),
    ],
)
def test_bad_mark_input_is_named_and_changes_nothing(api, manager, week, today, body, field):
    chore = week.filter(due_date=today).first()
    response = api(manager).post(f"/api/v1/chore-assignments/{chore.pk}/mark/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    chore.refresh_from_db()
    assert (chore.status, chore.marked_by, chore.marked_at) == ("pending", None, None)


def test_marking_a_future_chore_done_is_named(api, manager, house, monday, housemates):
    ChoreFactory(house=house, name="Kitchen")
    services.chore_rotation_generate(actor=None, house=house, week_start=monday + WEEK)
    later = ChoreAssignment.objects.order_by("due_date").last()
    response = api(manager).post(f"/api/v1/chore-assignments/{later.pk}/mark/", {"status": "done"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_marking_a_cancelled_chore_is_a_conflict(api, manager, week, today):
    chore = week.filter(due_date=today).first()
    ChoreAssignment.objects.filter(pk=chore.pk).update(status="cancelled")
    response = api(manager).post(f"/api/v1/chore-assignments/{chore.pk}/mark/", {"status": "done"})
    assert response.status_code == 409
    assert "status" in response.json()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=finished", "status"),
        ("week=soon", "week"),
        ("due_from=2026-13-01", "due_from"),
        ("resident=abc", "resident"),
        ("colour=blue", "colour"),
        ("ordering=resident__membership", "ordering"),
    ],
)
def test_bad_assignment_filters_are_named(api, manager, week, query, field):
    response = api(manager).get(f"/api/v1/chore-assignments/?{query}")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(("query", "field"), [("weekday=funday", "weekday"), ("is_active=maybe", "is_active")])
def test_bad_chore_filters_are_named(api, manager, query, field):
    response = api(manager).get(f"/api/v1/chores/?{query}")
    assert response.status_code == 400
    assert field in response.json()


# Query counts: every list costs the same whatever it holds.


def _grow(organization, manager, houses):
    for number in range(houses):
        place = HouseFactory(organization=organization, beds=3)
        manager.houses.add(place)
        monday = this_monday(place)
        for _ in range(3):
            admit(place, on=monday - WEEK, resident=ResidentFactory(organization=organization))
        ChoreFactory(house=place, name=f"Kitchen {number}")
        ChoreFactory(house=place, name=f"Yard {number}", frequency="weekly", weekdays=0b1000001)
        services.chore_rotation_generate(actor=None, house=place, week_start=monday)
        first = place.chore_assignments.order_by("due_date").first()
        services.chore_assignment_mark(actor=manager, assignment=first, status="excused", note="Pass")


@pytest.mark.parametrize("path", ["/api/v1/chores/", "/api/v1/chore-assignments/"])
@pytest.mark.parametrize("role", ["operator", "manager"])
def test_a_chores_list_runs_a_constant_number_of_queries(
    request, api, organization, manager, role, path, django_assert_max_num_queries
):
    client = api(request.getfixturevalue(role))
    _grow(organization, manager, 1)
    with django_assert_max_num_queries(8) as small:
        client.get(path + "?page_size=200")
    _grow(organization, manager, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(path + "?page_size=200")
    assert response.status_code == 200
    assert response.json()["count"] > 12


def test_a_residents_chore_list_runs_a_constant_number_of_queries(
    api, house, resident_member, manager, django_assert_max_num_queries
):
    client = api(resident_member)
    monday = this_monday(house)
    ChoreFactory(house=house, name="Kitchen")
    services.chore_rotation_generate(actor=None, house=house, week_start=monday)
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/chore-assignments/?page_size=200")
    ChoreFactory(house=house, name="Trash")
    services.chore_rotation_generate(actor=None, house=house, week_start=monday + WEEK)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/chore-assignments/?page_size=200")
    assert response.json()["count"] == 21


def test_the_schema_documents_every_chore_and_meeting_endpoint_and_filter(served_schema):
    schema = served_schema
    expected = {
        "/api/v1/chores/": {"house", "frequency", "is_active", "weekday", "search", "ordering"},
        "/api/v1/chore-assignments/": {"house", "resident", "chore", "status", "due_from", "due_to", "week", "search",
                                       "ordering"},
        "/api/v1/house-meetings/": {"house", "facilitator", "held_from", "held_to", "search", "ordering"},
        "/api/v1/recovery-meetings/": {"resident", "house", "meeting_type", "attended_from", "attended_to", "verified",
                                       "search", "ordering"},
    }  # fmt: skip
    for path, filters in expected.items():
        assert filters <= {param["name"] for param in schema["paths"][path]["get"]["parameters"]}, path
    for path in ["/api/v1/chore-assignments/generate/", "/api/v1/chore-assignments/{id}/mark/",
                 "/api/v1/recovery-meetings/{id}/verify/"]:  # fmt: skip
        assert "post" in schema["paths"][path]
    generate = schema["paths"]["/api/v1/chore-assignments/generate/"]["post"]
    assert generate["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("GenerateWeekInputRequest")
