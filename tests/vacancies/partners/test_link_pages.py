"""A partner's private link: the open beds of its shared houses, one form to refer a person, and its referrals'
status, with no login; a link rotated, turned off or of an inactive partner answers 404."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from residents.core.services.applications import application_move, application_record_contact, application_update
from residents.models import Application
from tests.forms import FormClient
from vacancies.models import Referral, ReferralPartner
from vacancies.services.partners import partner_link_rotate, partner_link_set_enabled

from .helpers import refer

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Jamie", "last_name": "Lopez", "phone": "(555) 010-2000", "on_moud": "yes", "payer": "agency",
    "consent_to_contact": "on", "referrer_name": "Casey Case", "referrer_email": "casey@hope.example",
    "notes": "Leaves detox on Friday",
}  # fmt: skip


def test_the_link_shows_the_open_beds_of_the_shared_houses_only(link, house, other_house):
    page = Client().get(link)

    assert page.status_code == 200
    assert house.name in page.content.decode()
    assert other_house.name not in page.content.decode()


def test_the_link_shows_beds_open_tonight_from_the_vacancy_answer(link, house):
    page = Client().get(link).content.decode()

    assert "4 beds" in page


def test_a_person_referred_through_the_form_becomes_a_new_application_from_the_partner(link, partner, house):
    response = FormClient().submit(f"{link}refer/", {**FORM, "preferred_house": str(house.pk)})

    assert response.status_code == 302
    referral = Referral.objects.select_related("application").get()
    application = referral.application
    assert (referral.partner, referral.referrer_name, referral.referrer_email) == (
        partner,
        "Casey Case",
        "casey@hope.example",
    )
    assert (application.status, application.received_via, application.referred_by) == ("new", "partner", "partner")
    assert (application.referral_source, application.preferred_house, application.on_moud) == (
        partner.name,
        house,
        True,
    )
    assert application.consent_to_contact
    assert application.organization_id == partner.organization_id


def test_after_referring_the_partner_sees_the_referral_received(link):
    response = FormClient().submit(f"{link}refer/", FORM, follow=True)

    assert response.redirect_chain[-1][0] == f"{link}referrals/"
    assert "Jamie L." in response.content.decode()
    assert "Received" in response.content.decode()


def test_a_referral_without_the_persons_consent_is_refused_and_writes_nothing(link):
    response = FormClient().submit(f"{link}refer/", {**FORM, "consent_to_contact": None})

    assert response.status_code == 400
    assert "must agree to be contacted" in response.content.decode()
    assert not Application.objects.exists()


def test_a_referral_with_no_way_to_reach_the_person_is_refused(link):
    response = FormClient().submit(f"{link}refer/", {**FORM, "phone": ""})

    assert response.status_code == 400
    assert "phone number or an e-mail" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_house_not_shared_with_the_partner_cannot_be_asked_for(link, other_house):
    response = Client().post(f"{link}refer/", {**FORM, "preferred_house": str(other_house.pk), "on_moud": "no"})

    assert response.status_code == 400
    assert not Application.objects.exists()


def test_the_form_offers_only_the_shared_houses(link, house, other_house):
    page = Client().get(f"{link}refer/").content.decode()

    assert house.name in page
    assert other_house.name not in page


def test_a_flood_of_referrals_from_one_address_is_refused(link):
    client = FormClient()
    for n in range(10):
        assert client.submit(f"{link}refer/", {**FORM, "first_name": f"P{n}"}).status_code == 302

    response = client.submit(f"{link}refer/", {**FORM, "first_name": "Eleventh"})

    assert response.status_code == 429
    assert Application.objects.count() == 10


def test_a_new_link_kills_the_old_one(link, partner, operator):
    rotated = partner_link_rotate(actor=operator, partner=partner)

    assert Client().get(link).status_code == 404
    assert Client().get(f"{link}referrals/").status_code == 404
    assert Client().get(f"/r/{rotated.link_token}/").status_code == 200


def test_a_link_turned_off_answers_404(link, partner, operator):
    partner_link_set_enabled(actor=operator, partner=partner, enabled=False)

    assert Client().get(link).status_code == 404
    assert Client().post(f"{link}refer/", FORM).status_code == 404


def test_the_link_of_an_inactive_partner_answers_404(link, partner):
    ReferralPartner.objects.filter(pk=partner.pk).update(is_active=False)

    assert Client().get(link).status_code == 404


def test_an_unknown_link_answers_404(link):
    assert Client().get("/r/not-a-token/").status_code == 404


def test_a_partner_never_sees_another_partners_referrals(link, partner, other_partner):
    refer(other_partner, first_name="Hidden", last_name="Person")
    refer(partner, first_name="Shown", last_name="Person")

    page = Client().get(f"{link}referrals/").content.decode()

    assert "Shown P." in page
    assert "Hidden" not in page


def test_the_referrals_page_shows_nothing_else_of_the_applicant(link, partner):
    refer(partner, first_name="Jamie", last_name="Lopez", phone="(555) 777-1234", email="jamie@example.org",
          notes="Private detail", sobriety_date=date(2026, 1, 2))  # fmt: skip

    page = Client().get(f"{link}referrals/").content.decode()

    assert "Jamie L." in page
    for private in ("Lopez", "777-1234", "jamie@example.org", "Private detail", "2026-01-02", "Jan 2, 2026"):
        assert private not in page


def test_status_changes_made_by_staff_show_on_the_partner_page(link, partner, operator):
    application = refer(partner).application
    application_record_contact(actor=operator, application=application)
    assert "Contacted" in Client().get(f"{link}referrals/").content.decode()

    application_move(actor=operator, application=application, to="interview")
    assert "Interview" in Client().get(f"{link}referrals/").content.decode()

    application_move(actor=operator, application=application, to="declined", note="No bed for a man this month")
    page = Client().get(f"{link}referrals/").content.decode()
    assert "Declined" in page
    assert "No bed for a man this month" in page


def test_a_referral_staff_moved_to_a_house_not_shared_with_the_partner_does_not_name_that_house(
    link, partner, house, other_house, operator
):
    application = refer(partner, preferred_house=house).application
    application_update(actor=operator, application=application, preferred_house=other_house)

    page = Client().get(f"{link}referrals/").content.decode()

    assert other_house.name not in page
    assert "Another house" in page


def test_the_referral_date_is_the_organizations_date(link, partner):
    # 03:00 UTC on Mar 3 is still Mar 2 in Chicago.
    with time_machine.travel("2026-03-03T03:00:00Z", tick=False):
        refer(partner)

    assert "Mar 2, 2026" in Client().get(f"{link}referrals/").content.decode()


def test_the_referrals_page_costs_the_same_queries_for_many_referrals(link, partner, django_assert_max_num_queries):
    for n in range(12):
        refer(partner, first_name=f"Person{n}")

    with django_assert_max_num_queries(4):
        response = Client().get(f"{link}referrals/")
    assert response.content.decode().count("<tr>") == 13


def test_the_vacancies_page_costs_the_same_queries_for_many_houses(
    link, partner, organization, django_assert_max_num_queries
):
    from tests.factories import HouseFactory

    partner.houses.add(*[HouseFactory(organization=organization, beds=2) for _ in range(5)])

    with django_assert_max_num_queries(8):
        response = Client().get(link)
    assert response.status_code == 200
