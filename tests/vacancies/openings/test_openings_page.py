"""The staff's openings page: each open opening by house with its bed, night and cause, and every offer made with
the applicant, when it was sent and the answer; a fixed number of queries however many there are."""

from datetime import date

from tests.factories import HouseFactory
from tests.forms import FormClient
from vacancies.models import WaitlistOffer
from vacancies.services.offers import offer_answer

from .conftest import days, discharge, plan, resident_in, waiting

URL = "/dashboard/openings/"


def logged_in(member) -> FormClient:
    client = FormClient()
    client.force_login(member.user)
    return client


def test_the_page_lists_an_opening_with_its_offers_and_answers(house, manager, commit):
    waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Casey", date(2026, 11, 2))
    with commit():
        plan(resident_in(house), days(5))
    with commit():
        offer_answer(offer=WaitlistOffer.objects.get(), interested=False)

    page = logged_in(manager).get(URL).content.decode()

    assert "Maple House" in page
    assert "Room 1 · Bed 1, free from Sat, Dec 12" in page
    assert "Planned move-out" in page
    assert "Avery Waiting" in page
    assert "Not interested" in page
    assert "Casey Waiting" in page
    assert "Waiting for an answer" in page


def test_an_interested_answer_is_shown_to_staff(house, operator, commit):
    waiting(house, "Avery", date(2026, 10, 1))
    with commit():
        discharge(resident_in(house), days(2))
    with commit():
        offer_answer(offer=WaitlistOffer.objects.get(), interested=True)

    page = logged_in(operator).get(URL).content.decode()

    assert '<span class="badge ok">Interested</span>' in page
    assert "Discharge recorded" in page


def test_a_filled_or_called_off_opening_is_not_listed(house, operator):
    stay = resident_in(house)
    plan(stay, days(5))
    plan(stay, None)

    page = logged_in(operator).get(URL).content.decode()

    assert "No beds are opening" in page


def test_the_page_costs_the_same_queries_for_any_number_of_openings(
    organization, operator, commit, django_assert_max_num_queries
):
    client = logged_in(operator)
    house = HouseFactory(organization=organization, beds=2)
    waiting(house, "Avery", date(2026, 10, 1))
    with commit():
        plan(resident_in(house), days(3))
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    for number in range(4):
        more = HouseFactory(organization=organization, beds=2)
        waiting(more, f"Applicant{number}", date(2026, 10, 1))
        with commit():
            plan(resident_in(more), days(4))

    with django_assert_max_num_queries(len(few)):
        assert client.get(URL).status_code == 200
