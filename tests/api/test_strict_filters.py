"""Filters are strict: a malformed yes/no or id is a 400 naming the filter, and an id of a row the viewer may not see
is refused exactly like one that does not exist, so the answer never reveals that it exists elsewhere."""

from datetime import date
from functools import cache

import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts.api_filters import ScopedModelChoiceFilter, StrictBooleanFilter
from compliance.services import inspections as inspection_services
from residents.core.services import stays as stay_services
from residents.testing.services import drug_test_draws as draw_services

from ..factories import HouseFactory, ResidentFactory
from ..residents.chores_factories import ChoreFactory
from ..residents.phases_factories import make_phases
from ..residents.rules_factories import publish_defaults

pytestmark = pytest.mark.django_db

INVALID_CHOICE = ["Select a valid choice. That choice is not one of the available choices."]


@cache
def _list_endpoints() -> list[tuple[str, type]]:
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    return [
        (path, view.cls)
        for path, _regex, method, view in generator.endpoints
        if method == "GET"
        and getattr(view, "actions", {}).get("get") == "list"
        and getattr(view.cls, "filterset_class", None)
    ]


def _filters_of_kind(kind) -> list[tuple[str, str, object]]:
    return [
        (path, name, filter_)
        for path, view in _list_endpoints()
        for name, filter_ in view.filterset_class.base_filters.items()
        if isinstance(filter_, kind)
    ]


def _label(model) -> str:
    return model if isinstance(model, str) else model._meta.label


MODEL_CHOICE_FILTERS = [
    pytest.param(path, name, _label(filter_.related_model), id=path + name)
    for path, name, filter_ in _filters_of_kind(ScopedModelChoiceFilter)
]


def _foreign_row(label: str, outsider):
    """A row of ``label`` that belongs to another organization."""
    organization = outsider.organization
    house = HouseFactory(organization=organization, beds=1)
    if label == "houses.House":
        return house
    if label == "houses.Room":
        return house.rooms.first()
    if label == "houses.Bed":
        return house.beds.first()
    if label == "residents.Resident":
        return ResidentFactory(organization=organization)
    if label == "residents.Stay":
        return stay_services.stay_admit(
            actor=outsider,
            resident=ResidentFactory(organization=organization),
            bed=house.beds.first(),
            on=date(2026, 1, 5),
        )
    if label == "residents.Phase":
        return make_phases(organization)[0]
    if label == "residents.HouseRule":
        return publish_defaults(outsider)[0]
    if label == "residents.RuleSet":
        publish_defaults(outsider)
        return house.rule_sets.first()
    if label == "residents.Chore":
        return ChoreFactory(house=house)
    if label == "residents.Draw":
        made, _created = draw_services.drug_test_draw(actor=outsider, house=house, week_start=date(2026, 3, 2))
        return made
    if label == "compliance.Inspection":
        return inspection_services.inspection_start(actor=outsider, house=house)
    if label == "accounts.Membership":
        return outsider
    if label == "accounts.User":
        return outsider.user
    raise AssertionError(f"No foreign {label} to try: add one here.")


def test_a_yes_no_filter_refuses_anything_but_true_or_false(api, operator):
    response = api(operator).get("/api/v1/memberships/?is_active=garbage")
    assert response.status_code == 400
    assert response.json() == {"is_active": ["Use true or false."]}


@pytest.mark.parametrize(("value", "count"), [("true", 1), ("false", 0), ("1", 1), ("0", 0)])
def test_a_yes_no_filter_takes_true_false_1_and_0(api, operator, value, count):
    response = api(operator).get(f"/api/v1/memberships/?is_active={value}")
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_open_stays_with_a_typo_are_a_400_not_every_stay(api, operator):
    response = api(operator).get("/api/v1/stays/?open=ture")
    assert response.status_code == 400
    assert response.json() == {"open": ["Use true or false."]}


def test_a_resident_id_that_is_not_a_whole_number_is_a_400(api, operator):
    response = api(operator).get("/api/v1/drug-tests/?resident=1.5")
    assert response.status_code == 400
    assert response.json() == {"resident": INVALID_CHOICE}


def test_a_filter_by_a_visible_row_still_filters(api, operator, house, other_house):
    response = api(operator).get(f"/api/v1/rooms/?house={house.pk}")
    assert response.status_code == 200
    assert {room["house"] for room in response.json()["results"]} == {house.pk}


def test_a_manager_filtering_by_a_house_they_do_not_run_is_told_it_does_not_exist(api, manager, other_house):
    client = api(manager)
    not_theirs = client.get(f"/api/v1/drug-tests/?house={other_house.pk}")
    missing = client.get(f"/api/v1/drug-tests/?house={other_house.pk + 1000}")
    assert not_theirs.status_code == missing.status_code == 400
    assert not_theirs.json() == missing.json() == {"house": INVALID_CHOICE}


@pytest.mark.parametrize(("path", "name", "label"), MODEL_CHOICE_FILTERS)
def test_an_id_from_another_organization_is_answered_like_a_missing_one(api, operator, outsider, path, name, label):
    foreign = _foreign_row(label, outsider)
    missing_pk = type(foreign).objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    client = api(operator)
    from_elsewhere = client.get(f"{path}?{name}={foreign.pk}")
    missing = client.get(f"{path}?{name}={missing_pk}")
    assert from_elsewhere.status_code == missing.status_code == 400
    assert from_elsewhere.json() == missing.json() == {name: INVALID_CHOICE}


@cache
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _query_parameter(path: str, name: str) -> dict:
    operation = _schema()["paths"][path]["get"]
    return next(p for p in operation["parameters"] if p["in"] == "query" and p["name"] == name)


def test_the_schema_describes_every_id_filter_as_an_integer():
    undocumented = [
        (path, name)
        for path, name, _filter in _filters_of_kind(ScopedModelChoiceFilter)
        if _query_parameter(path, name)["schema"].get("type") != "integer"
    ]
    assert undocumented == []


def test_the_schema_describes_every_yes_no_filter_as_a_boolean():
    undocumented = [
        (path, name)
        for path, name, _filter in _filters_of_kind(StrictBooleanFilter)
        if _query_parameter(path, name)["schema"].get("type") != "boolean"
    ]
    assert undocumented == []


def test_the_id_filters_cover_the_lists_of_the_findings():
    # The fuzzer's 15 model-choice filters that answered 200 for another organization's id, among others.
    names = {(path, name) for path, name, _filter in _filters_of_kind(ScopedModelChoiceFilter)}
    assert {("/api/v1/rooms/", "house"), ("/api/v1/beds/", "room"), ("/api/v1/stays/", "resident")} <= names
    assert len(names) >= 15
