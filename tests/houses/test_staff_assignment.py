"""Who may set the houses a manager runs."""

import pytest

from accounts.exceptions import NotAllowed
from houses.services import house_assign_staff


def test_an_operator_of_another_organization_cannot_change_the_houses_a_manager_runs(outsider, manager, house):
    with pytest.raises(NotAllowed):
        house_assign_staff(actor=outsider, membership=manager, houses=[])
    assert list(manager.houses.all()) == [house]


def test_an_operator_sets_the_houses_a_manager_of_their_organization_runs(operator, manager, house, other_house):
    house_assign_staff(actor=operator, membership=manager, houses=[other_house])
    assert list(manager.houses.all()) == [other_house]
