"""Who reaches the Archive page and its actions: operators of the organization only. Managers and residents get 403
(archiving is the operator's decision, and archived records are out of their view); another organization's resident
is a 404, as if it did not exist. A refused write changes nothing."""

import pytest
from django.utils import timezone

from residents.models import DrugTest, Incident, ResidentNote

from .conftest import KEPT_YEARS, LATER, at, lived_with_records

ROLES = ["operator", "manager", "resident_member", "outsider"]

OPERATORS = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200}
OPERATORS_OWN = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}
FOREIGN = {"operator": 404, "manager": 403, "resident_member": 403, "outsider": 200}

PAGES = [
    ("/dashboard/archive/", OPERATORS),
    ("/dashboard/archive/residents/{former}/", OPERATORS_OWN),
    ("/dashboard/archive/residents/{foreign_former}/", FOREIGN),
]

WRITES = [
    (
        "/dashboard/archive/archive-due/",
        {"confirm": "on"},
        {"operator": 302, "manager": 403, "resident_member": 403, "outsider": 302},
    ),
    (
        "/dashboard/archive/residents/{former}/restore/",
        {},
        {"operator": 302, "manager": 403, "resident_member": 403, "outsider": 404},
    ),
]


@pytest.fixture
def places(organization, house, foreign_house, operator, manager, resident_member, outsider):
    for org in (organization, foreign_house.organization):
        org.sensitive_records_kept_years = KEPT_YEARS
        org.save()
    former = lived_with_records(house, legal_first_name="Dale").resident
    foreign_former = lived_with_records(foreign_house, legal_first_name="Ines").resident
    # One incident of the former resident is archived already, so there is something to restore.
    Incident.objects.filter(residents=former).update(archived_at=timezone.now())
    with at(LATER):
        yield {"former": former.pk, "foreign_former": foreign_former.pk}


@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[path for path, _ in PAGES])
def test_each_role_gets_exactly_its_access_to_each_archive_page(request, page, places, path, expected):
    url = path.format(**places)
    seen = {role: page(request.getfixturevalue(role)).get(url).status_code for role in ROLES}
    assert seen == expected


def _mine(organization) -> list:
    return [
        list(model.objects.filter(organization=organization).values_list("pk", "archived_at").order_by("pk"))
        for model in (DrugTest, Incident, ResidentNote)
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "body", "expected"), WRITES, ids=[path for path, _, _ in WRITES])
def test_each_role_gets_exactly_its_access_to_each_archive_action(
    request, page, places, organization, role, path, body, expected
):
    before = _mine(organization)
    response = page(request.getfixturevalue(role)).post(path.format(**places), body)
    assert response.status_code == expected[role]
    if role != "operator":
        assert _mine(organization) == before
