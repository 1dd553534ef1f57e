"""Defining the program's phases: one service behind the operator's page and the API, with the same rules."""

from datetime import date

import pytest

from accounts.exceptions import Conflict, NotAllowed
from residents.models import Phase
from residents.program.services import phases as services
from tests.factories import admit

from .phases_factories import make_phases


@pytest.fixture
def phases(organization):
    return make_phases(organization)


def test_only_an_operator_defines_a_phase(manager, phases):
    with pytest.raises(NotAllowed):
        services.phase_create(actor=manager, order=4, name="Alumni")
    assert Phase.objects.count() == 3


def test_only_an_operator_changes_a_phase(manager, phases):
    with pytest.raises(NotAllowed):
        services.phase_update(actor=manager, phase=phases[0], passes_per_month=9)
    phases[0].refresh_from_db()
    assert phases[0].passes_per_month == 0


def test_the_api_refuses_a_taken_order_in_the_same_words_as_the_page(api, operator, phases):
    response = api(operator).post("/api/v1/phases/", {"order": 2, "name": "Alumni"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"order": ["Another phase already has order 2."]}


def test_the_api_saves_a_description_without_surrounding_spaces_as_the_page_does(api, operator, phases):
    body = {"order": 4, "name": "Alumni", "description": "  Living on their own.  "}
    response = api(operator).post("/api/v1/phases/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["description"] == "Living on their own."


def test_an_api_change_is_checked_against_the_other_phases(api, operator, phases):
    response = api(operator).patch(f"/api/v1/phases/{phases[2].pk}/", {"name": " accountability "}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    phases[2].refresh_from_db()
    assert phases[2].name == "Independence"


def test_a_phase_someone_has_been_in_cannot_be_deleted(operator, house, phases):
    admit(house, actor=operator, on=date(2026, 1, 5))
    with pytest.raises(Conflict):
        services.phase_delete(actor=operator, phase=phases[0])
    assert Phase.objects.filter(pk=phases[0].pk).exists()


def test_a_phase_nobody_has_been_in_is_deleted(operator, phases):
    services.phase_delete(actor=operator, phase=phases[2])
    assert list(Phase.objects.order_by("order").values_list("name", flat=True)) == ["Stabilization", "Accountability"]
