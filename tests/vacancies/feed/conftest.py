"""The feed's world: on Wednesday, March 11, 2026 (the organizations' date), Maple House (men, four beds, one
resident planning to leave on March 16) and Willow House (women, no MOUD) published, a third house not."""

from datetime import date

import pytest

from residents.models import Stay
from tests.clock import local_moment, module_clock
from tests.factories import HouseFactory, admit
from tests.forms import FormClient

from .world import publish

TODAY = date(2026, 3, 11)
LEAVES = date(2026, 3, 16)
_clock = module_clock(local_moment(2026, 3, 11))


@pytest.fixture
def visitor():
    """A browser or a directory's server, not signed in."""
    return FormClient()


@pytest.fixture
def resident_stay(house):
    stay = admit(house, on=date(2026, 2, 1), legal_first_name="Zebulon", legal_last_name="Quackenbush")
    Stay.objects.filter(pk=stay.pk).update(expected_move_out=LEAVES)
    return stay


@pytest.fixture
def maple(house, resident_stay):
    return publish(
        house, slug="maple-house", fees=[("Application fee", "25.00"), ("Key deposit", "20.00")], accepts_moud=True
    )


@pytest.fixture
def willow(other_house):
    return publish(other_house, slug="willow-house", accepts_moud=False, min_age=21, max_age=65)


@pytest.fixture
def hidden(organization):
    """A house with a listing not published."""
    from tests.factories import operator_of
    from vacancies.services.listings import listing_save

    house = HouseFactory(organization=organization, name="Harbor House", gender="coed", beds=2)
    return listing_save(actor=operator_of(organization), house=house, slug="harbor-house", published=False)
