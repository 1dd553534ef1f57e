"""Every house-life page, opened by every role, on the manager's house, another house of the organization, and
another organization. A role not allowed on a page gets 403; anything out of the member's sight is 404.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``; an
operator of another organization (``outsider``).
"""

# ruff: noqa: E501 (one row per page reads best as a table)

import inspect
from datetime import datetime, time

import pytest

from accounts.models import AuditEntry
from tests.access import world_once_per_module

from . import conftest as pages
from .house_life_world import _life, ids, snapshot

ROLE_NAMES = ["house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"]


def _afternoon(organization, **_made):
    return datetime.combine(organization.today(), time(14), tzinfo=organization.tzinfo)


def _world(organization, other_organization, **made):
    """The house-life world (tests/pages/house_life_world.py ``life``), made once for the module at 2 p.m. house time
    of today (``_afternoon``); each test then runs from that instant."""
    world = inspect.unwrap(pages.world)(organization=organization, **{name: made[name] for name in ROLE_NAMES})
    return _life(world, organization, other_organization, made["operator"], made["outsider"], made["manager"],
                 made["resident_member"])  # fmt: skip


globals().update(world_once_per_module(_world, ["organization", "other_organization", *ROLE_NAMES], start=_afternoon))


@pytest.fixture
def life(world):
    return world


ROLES = ["operator", "manager", "resident_member", "outsider"]
OWN_HOUSE = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}
OTHER_HOUSE = {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}
FOREIGN = {"operator": 404, "manager": 404, "resident_member": 403, "outsider": 200}
NOWHERE = {"operator": 404, "manager": 404, "resident_member": 403, "outsider": 404}
OPERATORS = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200}
OPERATORS_OWN = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}
FOREIGN_OPERATORS = {"operator": 404, "manager": 403, "resident_member": 403, "outsider": 200}
DEFAULTS_OPERATORS = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}

HOUSE_PAGES = ["rules", "chores", "drug-tests", "meetings", "sign-outs", "passes"]

MATRIX = [
    *[(f"/dashboard/houses/{{house}}/{name}/", OWN_HOUSE) for name in HOUSE_PAGES],
    *[(f"/dashboard/houses/{{other_house}}/{name}/", OTHER_HOUSE) for name in HOUSE_PAGES],
    *[(f"/dashboard/houses/{{foreign_house}}/{name}/", FOREIGN) for name in HOUSE_PAGES],
    ("/dashboard/houses/{house}/rules/{rule}/edit/", OWN_HOUSE),
    ("/dashboard/houses/{house}/rules/{default_rule}/edit/", DEFAULTS_OPERATORS),
    ("/dashboard/houses/{house}/rules/{default_rule}/own-version/", OWN_HOUSE),
    ("/dashboard/houses/{house}/rules/{rule}/own-version/", NOWHERE),
    ("/dashboard/houses/{other_house}/rules/{other_rule}/edit/", OTHER_HOUSE),
    ("/dashboard/houses/{house}/rules/{other_rule}/edit/", NOWHERE),
    ("/dashboard/houses/{house}/chores/{chore}/edit/", OWN_HOUSE),
    ("/dashboard/houses/{other_house}/chores/{other_chore}/edit/", OTHER_HOUSE),
    ("/dashboard/houses/{house}/chores/{other_chore}/edit/", NOWHERE),
    ("/dashboard/houses/{foreign_house}/chores/{foreign_chore}/edit/", FOREIGN),
    ("/dashboard/houses/{house}/drug-tests/draws/{draw}/", OWN_HOUSE),
    ("/dashboard/houses/{other_house}/drug-tests/draws/{other_draw}/", OTHER_HOUSE),
    ("/dashboard/houses/{house}/drug-tests/draws/{other_draw}/", NOWHERE),
    ("/dashboard/houses/{foreign_house}/drug-tests/draws/{foreign_draw}/", FOREIGN),
    ("/dashboard/houses/{house}/drug-tests/requests/{request}/record/", OWN_HOUSE),
    ("/dashboard/houses/{other_house}/drug-tests/requests/{other_request}/record/", OTHER_HOUSE),
    ("/dashboard/houses/{house}/drug-tests/requests/{other_request}/record/", NOWHERE),
    ("/dashboard/houses/{foreign_house}/drug-tests/requests/{foreign_request}/record/", FOREIGN),
    ("/dashboard/residents/{resident}/", OWN_HOUSE),
    ("/dashboard/residents/{other_resident}/", OTHER_HOUSE),
    ("/dashboard/residents/{foreign_resident}/", FOREIGN),
    ("/dashboard/phases/", OPERATORS),
    ("/dashboard/phases/{phase}/edit/", OPERATORS_OWN),
    ("/dashboard/phases/{foreign_phase}/edit/", FOREIGN_OPERATORS),
    ("/dashboard/grievances/", OPERATORS),
    ("/dashboard/grievances/?status=all", OPERATORS),
    ("/dashboard/grievances/{grievance}/", OPERATORS_OWN),
    ("/dashboard/grievances/{foreign_grievance}/", FOREIGN_OPERATORS),
]  # fmt: skip


@pytest.mark.parametrize(("path", "expected"), MATRIX, ids=[path for path, _ in MATRIX])
def test_each_role_gets_exactly_its_access_to_each_house_life_page(request, page, life, path, expected):
    url = path.format(**ids(life))
    seen = {role: page(request.getfixturevalue(role)).get(url).status_code for role in ROLES}
    assert seen == expected


# Writes by whoever may not make them: (path, body, expected status per role). Each must change nothing at all.
# No page these roles can load offers these forms, so each write is posted by hand, as a forged request would be.
NO_MANAGER = {"manager": 404, "resident_member": 403, "outsider": 404}
NO_MANAGER_ROLE = {"manager": 403, "resident_member": 403, "outsider": 404}
NOT_FOREIGN = {"manager": 404, "resident_member": 403, "outsider": 404}
RULE = {"category": "conduct", "text": "No shouting.", "consequence": "A talk."}
WRITES = [
    ("/dashboard/houses/{other_house}/rules/add/", RULE, NO_MANAGER),
    ("/dashboard/houses/{other_house}/rules/{other_rule}/edit/", RULE, NO_MANAGER),
    ("/dashboard/houses/{house}/rules/{default_rule}/edit/", RULE, NO_MANAGER_ROLE),
    ("/dashboard/houses/{other_house}/rules/{default_rule}/own-version/", RULE, NO_MANAGER),
    ("/dashboard/houses/{other_house}/rules/{other_rule}/retire/", {}, NO_MANAGER),
    ("/dashboard/houses/{house}/rules/{default_rule}/retire/", {}, NO_MANAGER_ROLE),
    ("/dashboard/houses/{house}/rules/{other_rule}/retire/", {}, NOT_FOREIGN),
    ("/dashboard/houses/{other_house}/chores/add/", {"chore-name": "Porch", "chore-frequency": "daily"}, NO_MANAGER),
    ("/dashboard/houses/{other_house}/chores/{other_chore}/edit/", {"name": "Porch", "frequency": "daily"}, NO_MANAGER),
    ("/dashboard/houses/{other_house}/chores/generate/", {"week_start": "2026-01-05"}, NO_MANAGER),
    ("/dashboard/houses/{house}/chores/assignments/{other_assignment}/mark/", {"mark-{other_assignment}-status": "done"}, NOT_FOREIGN),
    ("/dashboard/houses/{other_house}/chores/assignments/{other_assignment}/mark/", {"mark-{other_assignment}-status": "done"}, NO_MANAGER),
    ("/dashboard/houses/{other_house}/drug-tests/draw/", {}, NO_MANAGER),
    ("/dashboard/houses/{other_house}/drug-tests/requests/{other_request}/record/", {"collected_at": "2026-01-20T10:00", "method": "urine_cup", "panel": "thc", "result": "negative"}, NO_MANAGER),
    ("/dashboard/houses/{other_house}/drug-tests/requests/{other_request}/cancel/", {"cancel-{other_request}-reason": "No"}, NO_MANAGER),
    ("/dashboard/houses/{house}/drug-tests/requests/{other_request}/cancel/", {"cancel-{other_request}-reason": "No"}, NOT_FOREIGN),
    ("/dashboard/houses/{other_house}/drug-tests/{other_test}/lab-result/", {"lab-{other_test}-result": "negative"}, NO_MANAGER),
    ("/dashboard/houses/{house}/drug-tests/{other_test}/lab-result/", {"lab-{other_test}-result": "negative"}, NOT_FOREIGN),
    ("/dashboard/houses/{other_house}/meetings/log/", {"held_at": "2026-01-20T19:00", "facilitator_name": "Sam"}, NO_MANAGER),
    ("/dashboard/houses/{other_house}/sign-outs/{other_stay}/sign-in/", {}, NO_MANAGER),
    ("/dashboard/houses/{house}/sign-outs/{other_stay}/sign-in/", {}, NOT_FOREIGN),
    ("/dashboard/houses/{other_house}/sign-outs/sign-out/", {"destination": "Work", "expected_return_at": "2030-01-01T10:00"}, NO_MANAGER),
    ("/dashboard/houses/{other_house}/passes/{other_pass}/return/", {}, NO_MANAGER),
    ("/dashboard/houses/{house}/passes/{other_pass}/return/", {}, NOT_FOREIGN),
    ("/dashboard/houses/{other_house}/passes/{other_pass}/decide/", {"pass-{other_pass}-decision": "deny", "pass-{other_pass}-reason": "No"}, NO_MANAGER),
    ("/dashboard/residents/{other_resident}/drug-tests/", {"test-collected_at": "2026-01-20T10:00", "test-method": "urine_cup", "test-reason": "random", "test-panel": "thc", "test-result": "negative"}, NO_MANAGER),
    ("/dashboard/residents/{other_resident}/incidents/", {"incident-occurred_at": "2026-01-20T10:00", "incident-category": "conduct", "incident-severity": "low", "incident-what_happened": "Yelled."}, NO_MANAGER),
    ("/dashboard/residents/{other_resident}/meetings/{other_attendance}/verify/", {}, NO_MANAGER),
    ("/dashboard/residents/{other_resident}/phase/demote/", {"demote-reason": "Late"}, NO_MANAGER),
    ("/dashboard/phases/{phase}/edit/", {"order": "1", "name": "Renamed", "meetings_per_week": "0", "drug_tests_per_month": "0", "passes_per_month": "0", "min_days_before_promotion": "0"}, NO_MANAGER_ROLE),
    ("/dashboard/grievances/{grievance}/respond/", {"respond-response": "Fixed."}, NO_MANAGER_ROLE),
    ("/dashboard/grievances/{grievance}/close/", {"close-response": "Fixed."}, NO_MANAGER_ROLE),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "expected"), WRITES, ids=[path for path, _, _ in WRITES])
def test_a_house_life_write_out_of_reach_is_refused_and_changes_nothing(request, page, life, path, body, expected):
    values = ids(life)
    body = {name.format(**values): value for name, value in body.items()}
    before, audited = snapshot(), AuditEntry.objects.count()
    url = path.format(**values)
    seen = {role: page(request.getfixturevalue(role)).post(url, body).status_code for role in expected}
    assert seen == expected
    assert snapshot() == before
    assert AuditEntry.objects.count() == audited


def test_an_anonymous_visitor_is_sent_to_login_from_every_house_life_page(client, life):
    for path, _expected in MATRIX:
        response = client.get(path.format(**ids(life)))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
