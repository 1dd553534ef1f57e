"""Real concurrency on PostgreSQL: one address invited twice at the same moment."""

import pytest

from accounts.exceptions import DomainError
from accounts.models import Membership, User
from accounts.services import membership_invite
from tests.concurrency import at_once
from tests.factories import MembershipFactory


def _invite(operator):
    def job():
        try:
            membership_invite(
                actor=operator,
                email="Jordan@Example.org",
                full_name="Jordan",
                role="manager",
                base_url="http://testserver/",
            )
            return "invited"
        except DomainError as error:
            return error.status_code

    return job


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_address_invited_twice_at_once_gives_one_invitation_and_one_conflict():
    operator = MembershipFactory(role="operator")
    results = at_once([_invite(operator), _invite(operator)])
    assert sorted(results, key=str) == [409, "invited"]
    assert User.objects.filter(email="jordan@example.org").count() == 1
    assert Membership.objects.filter(user__email="jordan@example.org").count() == 1
