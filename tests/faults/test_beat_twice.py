"""Beat running the rent job twice at once (two beat processes, or a run overlapping the next) posts each charge
once: each stay's rent is posted under the stay's row lock and a unique idempotency key per period, so the second
run finds the charges there and neither run waits on the other for longer than one stay."""

from datetime import date

import pytest

from billing.tasks import post_rent_due
from tests.billing.conftest import make_policy
from tests.concurrency import at_once
from tests.factories import admit

from .conftest import rent_keys


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_rent_jobs_from_beat_at_once_post_each_charge_once(house):
    make_policy(house)
    stays = [admit(house, date(2026, 1, 5)) for _ in range(5)]
    written = at_once([post_rent_due.apply, post_rent_due.apply, post_rent_due.apply])
    assert sum(result.get() for result in written) == 5 * 6  # Jan 5 to June 15: six charges a stay, once
    for stay in stays:
        keys = rent_keys(stay)
        assert len(keys) == 6 == len(set(keys))
