"""Each house's random-testing policy: set by operators through one service, whatever the channel."""

import pytest

from accounts.exceptions import DomainError, NotAllowed
from residents.models import DrugTestPolicy
from residents.testing.services import drug_test_policies as services


def test_an_operator_sets_a_houses_policy(operator, house):
    policy = services.drug_test_policy_create(actor=operator, house=house, percentage=40, due_days=3)
    assert (policy.house, policy.percentage, policy.due_days) == (house, 40, 3)
    assert policy.organization_id == house.organization_id


def test_a_manager_cannot_set_a_policy_even_for_their_own_house(manager, house):
    with pytest.raises(NotAllowed):
        services.drug_test_policy_create(actor=manager, house=house, percentage=40)
    assert not DrugTestPolicy.objects.exists()


def test_a_house_has_one_policy_and_a_second_is_refused_beside_the_house(operator, house):
    services.drug_test_policy_create(actor=operator, house=house)
    with pytest.raises(DomainError) as error:
        services.drug_test_policy_create(actor=operator, house=house, percentage=50)
    assert error.value.field == "house"
    assert DrugTestPolicy.objects.get().percentage == DrugTestPolicy.DEFAULT_PERCENTAGE


@pytest.mark.parametrize(("changes", "field"), [({"percentage": 0}, "percentage"), ({"due_days": 7}, "due_days")])
def test_a_policy_draws_a_share_from_1_to_100_percent_due_within_the_week(operator, house, changes, field):
    policy = services.drug_test_policy_create(actor=operator, house=house)
    with pytest.raises(DomainError) as error:
        services.drug_test_policy_update(actor=operator, policy=policy, **changes)
    assert error.value.field == field
    policy.refresh_from_db()
    assert (policy.percentage, policy.due_days) == (DrugTestPolicy.DEFAULT_PERCENTAGE, DrugTestPolicy.DEFAULT_DUE_DAYS)


def test_a_policy_stays_with_its_house(operator, house, other_house):
    policy = services.drug_test_policy_create(actor=operator, house=house)
    with pytest.raises(DomainError) as error:
        services.drug_test_policy_update(actor=operator, policy=policy, house=other_house, percentage=60)
    assert error.value.field == "house"
    policy.refresh_from_db()
    assert (policy.house, policy.percentage) == (house, DrugTestPolicy.DEFAULT_PERCENTAGE)
