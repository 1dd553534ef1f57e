"""After ``seed_demo``, the first organization shows beds opening: a planned move-out in 5 days offered to the
waitlist (an answer awaited), an earlier opening whose applicant said "interested", and yesterday's partner digest."""

from datetime import timedelta

import pytest

from accounts.models import Membership, Organization
from tests.forms import FormClient
from vacancies.models import BedOpening, PartnerDigest, WaitlistOffer

Answer = WaitlistOffer.Answer


@pytest.fixture(autouse=True)
def clock():
    """The demo is seeded on the real clock (this folder's fixed clock does not apply)."""
    return None


@pytest.fixture
def first(demo_db):
    return Organization.objects.order_by("pk").first()


def test_the_demo_has_a_planned_move_out_in_five_days_with_one_offer_awaiting_an_answer(first):
    opening = BedOpening.objects.get(organization=first, opens_on=first.today() + timedelta(days=5))

    assert opening.cause == BedOpening.Cause.PLANNED
    assert opening.stay.expected_move_out == opening.opens_on
    assert list(opening.offers.values_list("answer", flat=True)) == [Answer.PENDING]


def test_the_demo_has_an_earlier_opening_whose_applicant_said_interested(first):
    opening = BedOpening.objects.get(organization=first, opens_on=first.today() + timedelta(days=3))
    [offer] = opening.offers.all()

    assert offer.answer == Answer.INTERESTED
    pending = WaitlistOffer.objects.get(opening__organization=first, answer=Answer.PENDING)
    assert pending.opening.house_id == opening.house_id
    assert pending.application_id != offer.application_id


def test_the_demo_sent_one_partner_digest_yesterday_telling_of_the_earlier_opening(first):
    [digest] = PartnerDigest.objects.filter(partner__organization=first)

    assert digest.sent_on == first.today() - timedelta(days=1)
    assert [o.opens_on for o in digest.openings.all()] == [first.today() + timedelta(days=3)]


def test_the_demo_manager_sees_both_openings_on_the_openings_page(first):
    manager = Membership.objects.get(user__email="manager@example.com")
    client = FormClient()
    client.force_login(manager.user)

    page = client.get("/dashboard/openings/").content.decode()

    assert page.count("Planned move-out") == 2
    assert "Interested" in page
    assert "Waiting for an answer" in page


def test_the_demo_offer_link_opens_the_applicants_page(first, client):
    pending = WaitlistOffer.objects.get(opening__organization=first, answer=Answer.PENDING)

    response = client.get(f"/offers/{pending.token}/")

    assert response.status_code == 200
    assert 'name="answer" value="interested"' in response.content.decode()
