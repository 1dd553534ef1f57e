"""Every portal list page costs the same number of queries whatever the resident's history holds (measured with a
little of everything, then with a lot)."""

from datetime import timedelta

import pytest

from accounts.calendar import week_of
from residents.models import PhaseChange
from tests.residents.rules_factories import house_rule, publish_defaults, sign

from .portal_factories import (
    ask_for_a_test,
    attended_house_meeting,
    chore,
    drug_test,
    give_phases,
    grievance,
    outside_meeting,
    overnight_pass,
    portal_client,
    sign_out,
    stay_of,
)

PAGES = ["/portal/", "/portal/rules/", "/portal/chores/", "/portal/tests/", "/portal/meetings/", "/portal/phase/",
         "/portal/sign-out/", "/portal/passes/", "/portal/grievances/"]  # fmt: skip


def _grow(member, operator, *, size, batch):
    """``size`` more of every record the portal lists, for the resident of ``member``. Each ``batch`` is dated after
    the one before, as the services require of sign-outs."""
    stay = stay_of(member)
    today = stay.organization.today()
    monday, _sunday = week_of(today)
    phases = list(stay.organization.phases.order_by("order"))
    for number in range(size):
        label = f"{batch}-{number}"
        chore(stay, day=monday + timedelta(days=number % 7), name=f"Chore {label}")
        drug_test(stay, actor=operator, days_ago=1 + batch * 40 + number)
        ask_for_a_test(stay, actor=operator, due_in=number)
        outside_meeting(stay, days_ago=number, name=f"Group {label}")
        attended_house_meeting(stay, days_ago=batch * 40 + number)
        sign_out(stay, actor=operator, hours_ago=(3 - batch) * 200 - number * 5)
        overnight_pass(stay, actor=member, leave_in=batch * 60 + number * 2)
        grievance(member, subject=f"Grievance {label}")
        PhaseChange.objects.create(
            organization=stay.organization, stay=stay, phase=phases[(number + 1) % 2], kind="promotion",
            effective_on=stay.move_in + timedelta(days=batch * 60 + number + 1),
        )  # fmt: skip
        house_rule(operator, stay.house, text=f"House rule {label}.")
        sign(member.resident, stay.house)


@pytest.mark.parametrize("path", PAGES)
def test_a_portal_list_page_runs_a_constant_number_of_queries(
    path, operator, resident_member, django_assert_max_num_queries
):
    give_phases(operator, stay_of(resident_member))
    publish_defaults(operator)
    client = portal_client(resident_member)
    _grow(resident_member, operator, size=1, batch=1)
    with django_assert_max_num_queries(30) as small:
        assert client.get(path).status_code == 200
    few = len(small.captured_queries)
    _grow(resident_member, operator, size=12, batch=2)
    with django_assert_max_num_queries(few) as large:
        assert client.get(path).status_code == 200
    assert len(large.captured_queries) == few
