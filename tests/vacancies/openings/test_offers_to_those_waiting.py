"""Only applicants still waiting, who agreed to be contacted, are offered a bed or hold one: an applicant who leaves
the waitlist (withdrawn, declined, admitted elsewhere, erased) passes the beds they were offered or said yes to on,
and can no longer answer."""

from datetime import date, timedelta

import pytest

from accounts.exceptions import Conflict
from residents.core.services.applications import (
    application_accept_and_admit,
    application_erase,
    application_move,
)
from residents.models import Application
from tests.factories import HouseFactory, free_bed, operator_of
from vacancies.models import BedOpening, WaitlistOffer
from vacancies.services.offers import offer_answer, offers_expire
from vacancies.tasks import scan_openings

from .conftest import NOW, days, plan, resident_in, waiting

Answer = WaitlistOffer.Answer
Status = Application.Status


def offered():
    return list(WaitlistOffer.objects.order_by("sent_at", "pk").values_list("application__first_name", "answer"))


def open_a_bed(house, commit, on=None) -> BedOpening:
    stay = resident_in(house)
    with commit():
        plan(stay, on or days(5))
    return BedOpening.objects.get(stay=stay)


@pytest.fixture
def avery_interested(house, commit):
    """Avery said yes to the bed opening in 5 days; Blake waits after her."""
    avery = waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Blake", date(2026, 10, 2))
    open_a_bed(house, commit)
    with commit():
        offer_answer(offer=WaitlistOffer.objects.get(), interested=True)
    return avery


# Consent


def test_an_applicant_who_did_not_agree_to_be_contacted_is_passed_over(house, commit, mailoutbox):
    waiting(house, "Avery", date(2026, 10, 1), consent_to_contact=False)
    waiting(house, "Blake", date(2026, 10, 2))

    open_a_bed(house, commit)

    assert offered() == [("Blake", Answer.PENDING)]
    assert [mail.to for mail in mailoutbox] == [["blake@example.com"]]


def test_the_hourly_offers_skip_an_opening_only_applicants_without_consent_wait_for(house, commit, mailoutbox):
    open_a_bed(house, commit)
    waiting(house, "Avery", date(2026, 10, 1), consent_to_contact=False)

    with commit():
        assert offers_expire() == 0

    assert offered() == []
    assert mailoutbox == []


# Leaving the waitlist


def test_a_yes_from_an_applicant_who_withdrew_no_longer_holds_the_bed(house, commit, clock, avery_interested):
    Application.objects.filter(pk=avery_interested.pk).update(status=Status.WITHDRAWN)

    clock.move_to(NOW + timedelta(days=3))
    with commit():
        scan_openings()

    assert offered() == [("Avery", Answer.INTERESTED), ("Blake", Answer.PENDING)]


@pytest.mark.parametrize("to", [Status.WITHDRAWN, Status.DECLINED])
def test_staff_moving_an_interested_applicant_off_the_waitlist_offers_the_bed_to_the_next_at_once(
    house, commit, avery_interested, to
):
    with commit():
        application_move(actor=operator_of(house.organization), application=avery_interested, to=to, note="Moved")

    assert offered() == [("Avery", Answer.INTERESTED), ("Blake", Answer.PENDING)]


def test_an_applicant_admitted_elsewhere_passes_the_offer_awaiting_their_answer_on(house, organization, commit):
    avery = waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Blake", date(2026, 10, 2))
    open_a_bed(house, commit)
    elsewhere = HouseFactory(organization=organization, beds=1)

    with commit():
        application_accept_and_admit(
            actor=operator_of(organization), application=avery, bed=free_bed(elsewhere, on=days(1)), on=days(1)
        )

    assert offered() == [("Avery", Answer.EXPIRED), ("Blake", Answer.PENDING)]


def test_an_erased_application_passes_its_beds_on(house, commit, avery_interested):
    with commit():
        application_erase(application=avery_interested)

    assert [name for name, answer in offered() if answer in (Answer.PENDING, Answer.INTERESTED)] == ["Blake"]


def test_a_declined_applicant_can_no_longer_answer_their_offer(house, commit):
    avery = waiting(house, "Avery", date(2026, 10, 1))
    open_a_bed(house, commit)
    offer = WaitlistOffer.objects.get()
    Application.objects.filter(pk=avery.pk).update(status=Status.DECLINED)

    with pytest.raises(Conflict, match="no longer on the waitlist"):
        offer_answer(offer=offer, interested=True)

    offer.refresh_from_db()
    assert offer.answer == Answer.PENDING


# The hourly offers' cost


def test_the_hourly_offers_pass_over_an_opening_whose_waitlist_all_holds_other_beds(
    house, commit, django_assert_max_num_queries
):
    waiting(house, "Avery", date(2026, 10, 1))
    first = open_a_bed(house, commit)
    open_a_bed(house, commit, on=days(6))
    assert list(WaitlistOffer.objects.values_list("opening_id", flat=True)) == [first.pk]

    with django_assert_max_num_queries(3):
        assert offers_expire() == 0
