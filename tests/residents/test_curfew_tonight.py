"""Tonight's curfew for someone about to sign out: the phase's weeknight or weekend curfew of the night under way."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from residents.models import Phase, PhaseChange, Stay
from residents.program.selectors.curfew import curfews_tonight
from tests.factories import admit
from tests.residents.phases_factories import make_phases

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def stay(organization, operator, house):
    make_phases(organization)
    return admit(house, actor=operator, on=date(2026, 3, 1))


def _tonight(stay, now):
    return curfews_tonight(organization=stay.organization, stays=Stay.objects.filter(pk=stay.pk), now=now)[stay.pk]


def test_a_weeknight_evening_reads_the_weeknight_curfew(stay):
    curfew = _tonight(stay, datetime(2026, 3, 11, 18, 0, tzinfo=CHICAGO))  # Wednesday
    assert (curfew.words, curfew.deadline) == ("10:00 PM", datetime(2026, 3, 11, 22, 0, tzinfo=CHICAGO))


def test_a_saturday_evening_reads_the_weekend_curfew(stay):
    curfew = _tonight(stay, datetime(2026, 3, 14, 23, 45, tzinfo=CHICAGO))
    assert curfew.words == "11:00 PM"


def test_after_midnight_it_is_still_last_nights_curfew_until_the_morning(stay):
    second = Phase.objects.get(organization=stay.organization, order=2)
    PhaseChange.objects.create(
        organization=stay.organization, stay=stay, phase=second, kind="promotion", effective_on=date(2026, 3, 10)
    )
    # Phase 2's Friday-night curfew is 00:30, that is Saturday 00:30.
    curfew = _tonight(stay, datetime(2026, 3, 14, 0, 10, tzinfo=CHICAGO))
    assert curfew.night == date(2026, 3, 13)
    assert curfew.words == "12:30 AM (after midnight)"
    assert curfew.deadline == datetime(2026, 3, 14, 0, 30, tzinfo=CHICAGO)


def test_from_six_in_the_morning_it_is_tonights_curfew(stay):
    curfew = _tonight(stay, datetime(2026, 3, 12, 6, 0, tzinfo=CHICAGO))
    assert curfew.deadline == datetime(2026, 3, 12, 22, 0, tzinfo=CHICAGO)


def test_a_stay_without_a_phase_has_no_curfew(organization, operator, house):
    make_phases(organization)
    stay = admit(house, actor=operator, on=date(2026, 3, 1), phase=False)
    assert (
        curfews_tonight(
            organization=organization,
            stays=Stay.objects.filter(pk=stay.pk),
            now=datetime(2026, 3, 11, 18, tzinfo=CHICAGO),
        )
        == {}
    )
