"""Erasing an application at the applicant's request: the vacancies rows that hang on it (a pending waitlist offer)
go, a referring partner's referral stays and reads "Withdrawn" without the person's name, the API no longer lists it,
and erasing twice changes nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from residents.core.services.applications import application_create, application_erase, application_move
from tests.erased import assert_nothing_personal_left
from vacancies.models import BedOpening, Referral, ReferralPartner, WaitlistOffer
from vacancies.partner_selectors import partner_referrals


@pytest.fixture
def application(manager, house):
    return application_create(
        actor=manager, first_name="Jordan", last_name="Blake", phone="(555) 100-2000", applied_on=date.today(),
        preferred_house=house, notes="Call after work",
    )  # fmt: skip


def offer(application, house, *, answer="pending", night=1):
    opening = BedOpening.objects.create(
        organization=house.organization, house=house, bed=house.beds.first(),
        opens_on=date.today() + timedelta(days=night), cause="discharge",
    )  # fmt: skip
    return WaitlistOffer.objects.create(
        opening=opening, application=application, expires_at=timezone.now() + timedelta(hours=48), answer=answer
    )


def test_erasing_deletes_a_pending_waitlist_offer_and_keeps_an_answered_one(application, manager, house):
    application = application_move(actor=manager, application=application, to="waitlisted")
    pending = offer(application, house)
    answered = offer(application, house, answer="declined", night=2)
    application_erase(actor=manager, application=application)
    assert list(WaitlistOffer.objects.values_list("pk", flat=True)) == [answered.pk]
    assert pending.pk != answered.pk


def test_a_referring_partner_sees_the_erased_referral_withdrawn_without_the_name(application, manager, organization):
    partner = ReferralPartner.objects.create(organization=organization, name="Riverbend Treatment", kind="treatment")
    Referral.objects.create(application=application, partner=partner, referrer_name="Sam Case")
    application_erase(actor=manager, application=application)
    [row] = partner_referrals(partner)
    assert (row.status, "Jordan" in row.name, "Blake" in row.name) == ("withdrawn", False, False)


def test_an_erased_application_leaves_the_api(api, manager, application):
    application_erase(actor=manager, application=application)
    assert api(manager).get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert api(manager).get("/api/v1/applications/").json()["count"] == 0


def test_erasing_twice_changes_nothing(application, manager):
    first = application_erase(actor=manager, application=application)
    again = application_erase(actor=manager, application=application)
    assert (again.erased_at, again.status) == (first.erased_at, "withdrawn")
    assert_nothing_personal_left(application.pk, "Jordan", "Blake", "Call after work")
