"""The operator's audit log API: read-only, operators only, their own organization, filterable, constant queries."""

from datetime import datetime, time, timedelta

import pytest

from accounts.models import AuditEntry
from tests.factories import MembershipFactory


def _entry(organization, actor, *, action="view", object_type="residents.drugtest", object_id="1", at=None):
    fields = {"at": at} if at else {}
    return AuditEntry.objects.create(
        actor=actor.user, organization=organization, action=action, object_type=object_type, object_id=object_id,
        ip_address="198.51.100.4", path="/api/v1/drug-tests/1/", **fields,
    )  # fmt: skip


@pytest.fixture
def entries(organization, other_organization, operator, manager, outsider):
    return {
        "viewed": _entry(organization, manager, object_id="7"),
        "listed": _entry(organization, manager, action="list", object_id=""),
        "changed": _entry(organization, operator, action="update", object_type="residents.incident", object_id="3"),
        "theirs": _entry(other_organization, outsider),
    }


@pytest.mark.parametrize(
    ("role", "status"), [("operator", 200), ("manager", 403), ("resident_member", 403), ("outsider", 200)]
)
def test_only_operators_read_the_audit_log(request, api, entries, role, status):
    assert api(request.getfixturevalue(role)).get("/api/v1/audit-log/").status_code == status


def test_an_operator_sees_only_their_organizations_entries(api, operator, outsider, entries):
    ours = {row["id"] for row in api(operator).get("/api/v1/audit-log/").json()["results"]}
    theirs = {row["id"] for row in api(outsider).get("/api/v1/audit-log/").json()["results"]}
    assert ours == {entries[name].pk for name in ("viewed", "listed", "changed")}
    assert theirs == {entries["theirs"].pk}
    assert api(outsider).get(f"/api/v1/audit-log/{entries['viewed'].pk}/").status_code == 404


def test_an_entry_says_who_did_what_from_where(api, operator, manager, entries):
    body = api(operator).get(f"/api/v1/audit-log/{entries['viewed'].pk}/").json()
    assert body["actor"] == manager.user.pk
    assert body["actor_email"] == manager.user.email
    assert (body["action"], body["object_type"], body["object_id"]) == ("view", "residents.drugtest", "7")
    assert (body["ip_address"], body["path"]) == ("198.51.100.4", "/api/v1/drug-tests/1/")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_audit_log_is_read_only(api, operator, entries, method):
    path = "/api/v1/audit-log/" if method == "post" else f"/api/v1/audit-log/{entries['viewed'].pk}/"
    assert getattr(api(operator), method)(path, {"action": "view"}, format="json").status_code == 405
    assert AuditEntry.objects.count() == 4


def _ids(api, operator, query):
    response = api(operator).get(f"/api/v1/audit-log/?{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=list", {"listed"}),
        ("object_type=residents.incident", {"changed"}),
        ("object_type=residents.drugtest&object_id=7", {"viewed"}),
        ("search=drug-tests", {"viewed", "listed", "changed"}),
    ],
)
def test_the_audit_log_filters(api, operator, entries, query, expected):
    assert _ids(api, operator, query) == {entries[name].pk for name in expected}


def test_the_audit_log_filters_by_actor(api, operator, manager, entries):
    assert _ids(api, operator, f"actor={manager.user.pk}") == {entries["viewed"].pk, entries["listed"].pk}


def test_the_audit_log_filters_by_the_organizations_days(api, operator, organization, manager):
    day = organization.today() - timedelta(days=10)
    # 23:30 local on the day is already the next day in UTC: it still belongs to ``day``.
    late = _entry(organization, manager, at=datetime.combine(day, time(23, 30), tzinfo=organization.tzinfo))
    _entry(organization, manager, at=datetime.combine(day + timedelta(days=1), time(0, 30), tzinfo=organization.tzinfo))
    _entry(organization, manager, at=datetime.combine(day, time(0, 0), tzinfo=organization.tzinfo) - timedelta(hours=1))
    assert _ids(api, operator, f"since={day}&until={day}") == {late.pk}


@pytest.mark.parametrize("query", ["action=peek", "since=someday", "actor=me", "ordering=ip_address", "who=1"])
def test_a_bad_audit_log_filter_is_a_400_naming_it(api, operator, query):
    response = api(operator).get(f"/api/v1/audit-log/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_reading_the_audit_log_runs_a_constant_number_of_queries(
    api, organization, operator, django_assert_max_num_queries
):
    def grow(size):
        for _n in range(size):
            _entry(organization, MembershipFactory(organization=organization, role="manager"))

    client = api(operator)
    grow(2)
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/audit-log/?page_size=200")
    grow(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/audit-log/?page_size=200")
    assert response.json()["count"] == 32
