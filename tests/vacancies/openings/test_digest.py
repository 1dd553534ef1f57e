"""The partners' daily vacancy digest: one e-mail a day, only openings no earlier digest told of, only the houses
shared with the partner, and none when nothing is new."""

from datetime import timedelta

import pytest

from tests.concurrency import at_once
from tests.factories import HouseFactory
from vacancies.models import PartnerDigest, ReferralPartner
from vacancies.tasks import send_partner_digests

from .conftest import NOW, TODAY, days, discharge, plan, resident_in


def partner(organization, *houses, **fields) -> ReferralPartner:
    made = ReferralPartner.objects.create(
        organization=organization,
        name=fields.pop("name", "Riverside Treatment"),
        kind=ReferralPartner.Kind.TREATMENT,
        contact_name="Dana Cole",
        email=fields.pop("email", "intake@riverside.example"),
        digest_opt_in=fields.pop("digest_opt_in", True),
        **fields,
    )
    made.houses.set(houses)
    return made


def test_a_partner_gets_one_e_mail_listing_the_beds_opening_in_their_houses(organization, house, mailoutbox):
    riverside = partner(organization, house)
    plan(resident_in(house), days(3))
    plan(resident_in(house), days(3))

    assert send_partner_digests() == 1

    [mail] = mailoutbox
    assert mail.to == ["intake@riverside.example"]
    assert "Maple House (Springfield): 2 beds from Thursday, December 10" in mail.body
    assert f"/r/{riverside.link_token}/" in mail.body
    digest = PartnerDigest.objects.get()
    assert (digest.partner, digest.sent_on, digest.openings.count()) == (riverside, TODAY, 2)


def test_running_the_digest_twice_the_same_day_sends_one(organization, house, mailoutbox):
    partner(organization, house)
    plan(resident_in(house), days(3))
    send_partner_digests()
    plan(resident_in(house), days(4))

    assert send_partner_digests() == 0

    assert len(mailoutbox) == 1
    assert PartnerDigest.objects.count() == 1


def test_the_next_day_lists_only_the_openings_not_told_before(organization, house, clock, mailoutbox):
    partner(organization, house)
    plan(resident_in(house), days(3))
    send_partner_digests()
    plan(resident_in(house), days(5))

    clock.move_to(NOW + timedelta(days=1))
    send_partner_digests()

    assert len(mailoutbox) == 2
    assert "December 10" not in mailoutbox[1].body
    assert "1 bed from Saturday, December 12" in mailoutbox[1].body


def test_no_e_mail_goes_when_nothing_is_new(organization, house, clock, mailoutbox):
    partner(organization, house)
    plan(resident_in(house), days(3))
    send_partner_digests()

    clock.move_to(NOW + timedelta(days=1))

    assert send_partner_digests() == 0
    assert len(mailoutbox) == 1


def test_a_partner_hears_only_of_the_houses_shared_with_them(organization, house, other_house, mailoutbox):
    partner(organization, other_house)
    plan(resident_in(house), days(3))

    send_partner_digests()

    assert mailoutbox == []


@pytest.mark.parametrize(
    "fields",
    [{"digest_opt_in": False}, {"email": ""}, {"is_active": False}],
    ids=["not opted in", "no e-mail", "inactive"],
)
def test_a_partner_who_did_not_opt_in_has_no_address_or_is_inactive_gets_nothing(
    organization, house, fields, mailoutbox
):
    partner(organization, house, **fields)
    plan(resident_in(house), days(3))

    send_partner_digests()

    assert mailoutbox == []


def test_an_opening_called_off_before_the_digest_is_not_listed(organization, house, mailoutbox):
    partner(organization, house)
    stay = resident_in(house)
    plan(stay, days(3))
    plan(stay, None)

    send_partner_digests()

    assert mailoutbox == []


def test_a_partner_who_just_opted_in_is_not_told_of_beds_whose_night_passed(organization, house, clock, mailoutbox):
    discharge(resident_in(house), days(1))
    clock.move_to(NOW + timedelta(days=3))
    partner(organization, house)

    assert send_partner_digests() == 0

    assert mailoutbox == []


def test_the_digest_reads_a_fixed_number_of_queries_for_any_number_of_partners_and_houses(
    organization, django_assert_max_num_queries
):
    for number in range(4):
        house = HouseFactory(organization=organization, beds=1)
        plan(resident_in(house), days(3))
        partner(organization, house, name=f"Partner {number}")
    send_partner_digests()

    with django_assert_max_num_queries(6):
        assert send_partner_digests(organization.pk) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_digest_at_once_send_one(organization, house, mailoutbox):
    partner(organization, house)
    plan(resident_in(house), days(3))

    sent = at_once([send_partner_digests.apply, send_partner_digests.apply, send_partner_digests.apply])

    assert sum(result.get() for result in sent) == 1
    assert len(mailoutbox) == 1
    assert PartnerDigest.objects.count() == 1
