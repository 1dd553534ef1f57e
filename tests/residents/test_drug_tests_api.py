"""The drug-test API: what it answers, how it filters, what it refuses, and what it audits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from residents.models import Draw, DrugTest, DrugTestSubstance, TestRequest
from tests.factories import admit

from .drug_tests_factories import days_ago, draw, moment, record_test, request_test, this_monday


@pytest.fixture
def resident(operator, organization, house):
    return admit(house, on=days_ago(organization, 40), legal_last_name="Okafor", actor=operator).resident


@pytest.fixture
def yesterday(organization):
    return days_ago(organization, 1)


def _new_test(who, day, **overrides):
    body = {
        "resident": who.pk,
        "collected_at": moment(who.organization, day).isoformat(),
        "method": "urine_cup",
        "reason": "random",
        "panel": ["thc", "cocaine", "fentanyl"],
        "result": "negative",
    }
    body.update(overrides)
    return body


# Recording and reading


def test_staff_record_a_test_and_get_it_back_whole(api, manager, house, resident, yesterday):
    body = _new_test(resident, yesterday, result="positive", positive_substances=["fentanyl"], lab_reference="A-1")
    response = api(manager).post("/api/v1/drug-tests/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["panel"] == ["cocaine", "fentanyl", "thc"]
    assert data["positive_substances"] == ["fentanyl"]
    assert (data["house"], data["collected_by"], data["result"]) == (house.pk, manager.user.pk, "positive")
    assert DrugTest.objects.get().positive_substances == ["fentanyl"]


def test_recording_a_test_fulfils_the_due_request(api, manager, organization, resident):
    request = request_test(manager, resident, due_on=organization.today())
    body = _new_test(resident, organization.today(), collected_at=timezone.now().isoformat())
    response = api(manager).post("/api/v1/drug-tests/", body, format="json")
    assert response.json()["fulfilled_request"] == request.pk
    request.refresh_from_db()
    assert request.status == "fulfilled"


def test_a_pending_lab_result_is_completed_through_the_api(api, manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday, method="lab_urine", result="pending_lab")
    response = api(manager).post(
        f"/api/v1/drug-tests/{test.pk}/complete/",
        {"result": "positive", "positive_substances": ["thc"], "lab_reference": "LAB-9"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["result"], response.json()["positive_substances"]) == ("positive", ["thc"])
    again = api(manager).post(f"/api/v1/drug-tests/{test.pk}/complete/", {"result": "negative"}, format="json")
    assert again.status_code == 409
    assert "result" in again.json()


def test_notes_and_lab_reference_can_be_corrected(api, manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday)
    response = api(manager).patch(f"/api/v1/drug-tests/{test.pk}/", {"notes": "Temperature strip read 94F"})
    assert response.status_code == 200
    assert DrugTest.objects.get(pk=test.pk).notes == "Temperature strip read 94F"


# Filters, search, ordering


@pytest.fixture
def some_tests(manager, operator, organization, house, resident):
    other = admit(house, on=days_ago(organization, 40), legal_last_name="Zimmer", actor=operator).resident
    return {
        "clean": record_test(manager, resident, on=days_ago(organization, 10), panel=["thc", "cocaine"]),
        "fentanyl": record_test(
            manager,
            other,
            on=days_ago(organization, 5),
            panel=["fentanyl", "thc"],
            result="positive",
            positive_substances=["fentanyl"],
        ),
        "breath": record_test(manager, other, on=days_ago(organization, 2), method="breath", panel=["alcohol"]),
    }


def _ids(api, member, query):
    response = api(member).get(f"/api/v1/drug-tests/?{query}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("substance=thc", {"clean", "fentanyl"}),
        ("substance=alcohol", {"breath"}),
        ("positive_for=fentanyl", {"fentanyl"}),
        ("positive_for=thc", set()),
        ("substance=thc&positive_for=fentanyl", {"fentanyl"}),
        ("result=positive", {"fentanyl"}),
        ("method=breath", {"breath"}),
        ("search=okafor", {"clean"}),
    ],
)
def test_drug_tests_filter_in_sql(api, manager, some_tests, query, expected):
    assert set(_ids(api, manager, query)) == {some_tests[name].pk for name in expected}


def test_collection_dates_filter_by_the_organizations_days(api, manager, organization, some_tests):
    since = days_ago(organization, 5).isoformat()
    until = days_ago(organization, 5).isoformat()
    assert _ids(api, manager, f"collected_from={since}&collected_to={until}") == [some_tests["fentanyl"].pk]


def test_drug_tests_order_by_collection(api, manager, some_tests):
    assert _ids(api, manager, "ordering=collected_at") == [
        some_tests["clean"].pk, some_tests["fentanyl"].pk, some_tests["breath"].pk,
    ]  # fmt: skip


def test_requests_filter_to_the_overdue(api, manager, organization, house, resident):
    late = TestRequest.objects.create(
        organization=organization, resident=resident, stay=resident.stays.get(), house=house, reason="random",
        requested_on=days_ago(organization, 9), due_on=days_ago(organization, 7),
    )  # fmt: skip
    request_test(manager, resident, due_on=organization.today() + timedelta(days=4))
    response = api(manager).get("/api/v1/test-requests/?overdue=true")
    assert [row["id"] for row in response.json()["results"]] == [late.pk]
    assert response.json()["results"][0]["is_overdue"] is True


def test_the_overdue_list_is_per_house(api, operator, organization, house, other_house, resident):
    elsewhere = admit(other_house, on=days_ago(organization, 30), actor=operator).resident
    for who, where in [(resident, house), (elsewhere, other_house)]:
        TestRequest.objects.create(
            organization=organization, resident=who, stay=who.stays.get(), house=where, reason="random",
            requested_on=days_ago(organization, 9), due_on=days_ago(organization, 7),
        )  # fmt: skip
    everywhere = api(operator).get("/api/v1/test-requests/overdue/").json()["results"]
    assert [row["house_name"] for row in everywhere] == ["Maple House", "Willow House"]
    one = api(operator).get(f"/api/v1/test-requests/overdue/?house={other_house.pk}").json()["results"]
    assert [row["resident"] for row in one] == [elsewhere.pk]


# Draws through the API


def test_posting_a_draw_twice_returns_the_same_draw(api, manager, organization, house, resident):
    week = (this_monday(organization) - timedelta(days=7)).isoformat()
    first = api(manager).post("/api/v1/drug-test-draws/", {"house": house.pk, "week_start": week}, format="json")
    again = api(manager).post("/api/v1/drug-test-draws/", {"house": house.pk, "week_start": week}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Draw.objects.count() == 1


def test_the_replay_endpoint_shows_the_draw_is_honest(api, manager, organization, house, resident):
    made = draw(manager, house, week_start=this_monday(organization) - timedelta(days=7), percentage=100)
    body = api(manager).get(f"/api/v1/drug-test-draws/{made.pk}/replay/").json()
    assert body["matches"] is True
    assert [row["id"] for row in body["replayed"]] == made.selected
    assert body["replayed"][0]["name"] == resident.display_name


def test_a_draw_shows_its_seed_as_text(api, manager, organization, house, resident):
    made = draw(manager, house, week_start=this_monday(organization) - timedelta(days=7))
    body = api(manager).get(f"/api/v1/drug-test-draws/{made.pk}/").json()
    assert body["seed"] == str(made.seed)
    assert body["population"] == [resident.pk]


# Bad input: 4xx naming the field, nothing written


def _refused_and_nothing_written(response, field, model=DrugTest, count=0):
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert model.objects.count() == count


def test_a_positive_naming_no_substance_is_a_400(api, manager, resident, yesterday):
    response = api(manager).post(
        "/api/v1/drug-tests/", _new_test(resident, yesterday, result="positive"), format="json"
    )
    _refused_and_nothing_written(response, "positive_substances")
    assert not DrugTestSubstance.objects.exists()


def test_a_positive_substance_off_the_panel_is_a_400(api, manager, resident, yesterday):
    body = _new_test(resident, yesterday, result="positive", positive_substances=["kratom"])
    _refused_and_nothing_written(api(manager).post("/api/v1/drug-tests/", body, format="json"), "positive_substances")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("panel", ["caffeine"]),
        ("panel", []),
        ("panel", "thc"),
        ("method", "hair"),
        ("reason", "because"),
        ("result", "maybe"),
        ("collected_at", "yesterday"),
        ("collected_at", "2999-01-01T10:00:00Z"),
        ("resident", 999999),
        ("resident", "abc"),
        ("house", 1),
        ("stay", 1),
        ("colour", "blue"),
    ],
)
def test_bad_test_input_is_a_400_naming_the_field(api, manager, resident, yesterday, field, value):
    body = _new_test(resident, yesterday, **{field: value})
    _refused_and_nothing_written(api(manager).post("/api/v1/drug-tests/", body, format="json"), field)


@pytest.mark.parametrize("field", ["resident", "collected_at", "method", "reason", "panel", "result"])
def test_a_missing_required_test_field_is_named(api, manager, resident, yesterday, field):
    body = _new_test(resident, yesterday)
    del body[field]
    _refused_and_nothing_written(api(manager).post("/api/v1/drug-tests/", body, format="json"), field)


def test_a_test_outside_the_residents_stay_is_a_400(api, manager, organization, resident):
    body = _new_test(resident, days_ago(organization, 100))
    _refused_and_nothing_written(api(manager).post("/api/v1/drug-tests/", body, format="json"), "collected_at")


@pytest.mark.parametrize(("field", "value"), [("result", "positive"), ("panel", ["thc"]), ("resident", 1)])
def test_a_result_cannot_be_patched(api, manager, resident, yesterday, field, value):
    test = record_test(manager, resident, on=yesterday)
    response = api(manager).patch(f"/api/v1/drug-tests/{test.pk}/", {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert DrugTest.objects.get(pk=test.pk).result == "negative"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"result": "nope"}, "result"),
        ({"result": "pending_lab"}, "result"),
        ({"result": "positive"}, "positive_substances"),
        ({"result": "positive", "positive_substances": ["pcp"]}, "positive_substances"),
        ({"result": "negative", "extra": 1}, "extra"),
    ],
)
def test_a_bad_completion_is_a_400_and_leaves_the_test_pending(api, manager, resident, yesterday, body, field):
    test = record_test(manager, resident, on=yesterday, method="lab_urine", result="pending_lab", panel=["thc"])
    response = api(manager).post(f"/api/v1/drug-tests/{test.pk}/complete/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert DrugTest.objects.get(pk=test.pk).result == "pending_lab"


@pytest.mark.parametrize(
    ("field", "value"),
    [("due_on", "2020-01-01"), ("due_on", "soon"), ("reason", "bored"), ("resident", 999999), ("status", "open")],
)
def test_bad_request_input_is_a_400_naming_the_field(api, manager, organization, resident, field, value):
    body = {"resident": resident.pk, "reason": "for_cause", "due_on": organization.today().isoformat(), field: value}
    response = api(manager).post("/api/v1/test-requests/", body, format="json")
    _refused_and_nothing_written(response, field, model=TestRequest)


def test_cancelling_without_a_reason_is_a_400(api, manager, organization, resident):
    request = request_test(manager, resident, due_on=organization.today())
    response = api(manager).post(f"/api/v1/test-requests/{request.pk}/cancel/", {"reason": " "}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    request.refresh_from_db()
    assert request.status == "open"


@pytest.mark.parametrize(
    ("field", "value"),
    [("week_start", "tuesday"), ("percentage", 0), ("percentage", 101), ("house", 999999)],
)
def test_bad_draw_input_is_a_400_naming_the_field(api, manager, organization, house, resident, field, value):
    body = {"house": house.pk, "week_start": (this_monday(organization) - timedelta(days=7)).isoformat()}
    body[field] = value
    response = api(manager).post("/api/v1/drug-test-draws/", body, format="json")
    _refused_and_nothing_written(response, field, model=Draw)


def test_a_draw_on_a_tuesday_or_in_the_future_is_a_400(api, manager, organization, house, resident):
    for day in [this_monday(organization) + timedelta(days=1), this_monday(organization) + timedelta(days=7)]:
        response = api(manager).post(
            "/api/v1/drug-test-draws/", {"house": house.pk, "week_start": day.isoformat()}, format="json"
        )
        _refused_and_nothing_written(response, "week_start", model=Draw)
    assert not TestRequest.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"), [({"percentage": 0}, "percentage"), ({"due_days": 9}, "due_days"), ({"house": 999999}, "house")]
)
def test_bad_policy_input_is_a_400_naming_the_field(api, operator, house, body, field):
    response = api(operator).post("/api/v1/drug-test-policies/", {"house": house.pk, **body}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_second_policy_for_a_house_is_a_400(api, operator, house):
    assert api(operator).post("/api/v1/drug-test-policies/", {"house": house.pk}, format="json").status_code == 201
    response = api(operator).post("/api/v1/drug-test-policies/", {"house": house.pk}, format="json")
    assert response.status_code == 400
    assert "house" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        "substance=caffeine",
        "positive_for=x",
        "collected_from=last-week",
        "result=maybe",
        "resident=abc",
        "colour=1",
        "ordering=notes",
    ],
)
def test_a_bad_drug_test_filter_is_a_400_naming_it(api, manager, query):
    response = api(manager).get(f"/api/v1/drug-tests/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


# Audit


def _entries():
    return list(AuditEntry.objects.order_by("pk"))


def test_a_staff_list_of_drug_tests_is_audited_with_the_ids_read(api, manager, resident, yesterday):
    tests = [record_test(manager, resident, on=yesterday), record_test(manager, resident, on=yesterday)]
    api(manager).get("/api/v1/drug-tests/?result=negative", REMOTE_ADDR="203.0.113.9")
    [entry] = _entries()
    assert (entry.actor, entry.organization, entry.action) == (manager.user, manager.organization, "list")
    assert (entry.object_type, entry.object_id, entry.object_count) == ("residents.drugtest", "", 2)
    assert set(entry.detail.split(", ")) == {str(test.pk) for test in tests}
    assert (entry.ip_address, entry.path) == ("203.0.113.9", "/api/v1/drug-tests/?result=negative")


def test_a_staff_read_of_one_test_is_audited(api, operator, resident, yesterday):
    test = record_test(operator, resident, on=yesterday)
    api(operator).get(f"/api/v1/drug-tests/{test.pk}/")
    [entry] = _entries()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        operator.user, "view", "residents.drugtest", str(test.pk),
    )  # fmt: skip
    assert (entry.ip_address, entry.path) == ("127.0.0.1", f"/api/v1/drug-tests/{test.pk}/")


def test_recording_a_test_is_audited(api, manager, resident, yesterday):
    response = api(manager).post("/api/v1/drug-tests/", _new_test(resident, yesterday), format="json")
    [entry] = _entries()
    assert (entry.action, entry.object_id, entry.actor) == ("create", str(response.json()["id"]), manager.user)
    assert entry.organization == manager.organization


def test_changing_a_test_is_audited_with_the_fields_changed(api, manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday)
    api(manager).patch(f"/api/v1/drug-tests/{test.pk}/", {"notes": "Observed collection"}, format="json")
    [entry] = _entries()
    assert (entry.action, entry.object_id, entry.detail) == ("update", str(test.pk), "changed: notes")


def test_completing_a_lab_result_is_audited(api, manager, resident, yesterday):
    test = record_test(manager, resident, on=yesterday, method="lab_urine", result="pending_lab")
    api(manager).post(f"/api/v1/drug-tests/{test.pk}/complete/", {"result": "dilute"}, format="json")
    [entry] = _entries()
    assert (entry.action, entry.object_id, entry.detail) == ("update", str(test.pk), "completed: result=dilute")


def test_a_refused_change_writes_no_audit_entry(api, manager, resident, yesterday):
    api(manager).post("/api/v1/drug-tests/", _new_test(resident, yesterday, result="positive"), format="json")
    assert _entries() == []


def test_a_resident_reading_their_own_tests_is_not_audited(api, operator, resident_member, yesterday):
    test = record_test(operator, resident_member.resident, on=yesterday)
    client = api(resident_member)
    assert client.get("/api/v1/drug-tests/").json()["count"] == 1
    assert client.get(f"/api/v1/drug-tests/{test.pk}/").status_code == 200
    assert _entries() == []


# Constant queries


def _grow(operator, organization, house, size):
    for _n in range(size):
        someone = admit(house, on=days_ago(organization, 30), actor=operator).resident
        record_test(operator, someone, on=days_ago(organization, 3), result="positive", positive_substances=["thc"])
        record_test(operator, someone, on=days_ago(organization, 2), method="lab_urine", result="pending_lab")
        request_test(operator, someone, due_on=organization.today() + timedelta(days=5))
        TestRequest.objects.create(
            organization=organization, resident=someone, stay=someone.stays.get(), house=house, reason="random",
            requested_on=days_ago(organization, 9), due_on=days_ago(organization, 7),
        )  # fmt: skip
    for weeks in range(1, size + 1):
        draw(operator, house, week_start=this_monday(organization) - timedelta(days=7 * weeks))


LISTS = [
    "/api/v1/drug-tests/",
    "/api/v1/drug-tests/?substance=thc&positive_for=thc",
    "/api/v1/test-requests/",
    "/api/v1/test-requests/?overdue=true",
    "/api/v1/test-requests/overdue/",
    "/api/v1/drug-test-draws/",
    "/api/v1/drug-test-policies/",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("role", ["operator", "manager"])
def test_a_list_runs_a_constant_number_of_queries(
    request, api, organization, house, operator, role, path, django_assert_max_num_queries
):
    from residents.models import DrugTestPolicy

    client = api(request.getfixturevalue(role))
    separator = "&" if "?" in path else "?"
    _grow(operator, organization, house, 2)
    DrugTestPolicy.objects.get_or_create(organization=organization, house=house)
    with django_assert_max_num_queries(10) as small:
        client.get(f"{path}{separator}page_size=200")
    _grow(operator, organization, house, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"{path}{separator}page_size=200")
    assert response.status_code == 200
    assert response.json()["count"] >= (12 if "polic" not in path else 1)
