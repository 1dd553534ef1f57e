"""The referrals section read right: a funder copy hides every rate or median taken over fewer than 5, a partner's
referral recorded by staff counts in the partner's row, an erasure leaves past months as they were, and the median
reply time stands beside how many were still waiting and for how long."""

import pytest
import time_machine

from reports.audience import FUNDER, RATE_HIDDEN, for_audience
from reports.metrics import Month, as_json, monthly_metrics
from residents.core.services.applications import (
    application_create,
    application_erase,
    application_move,
    application_receive,
    application_record_contact,
)
from vacancies.models import Referral, ReferralPartner

from ..clock import local_moment

MARCH = Month(2026, 3)
NOW = local_moment(2026, 4, 10, 21, 30)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def at(moment):
    return time_machine.travel(moment, tick=False)


def receive(organization, moment, *, house=None, partner=None, source="self"):
    with at(moment):
        application = application_receive(
            organization=organization, received_via="partner" if partner else "website", referred_by=source,
            first_name="Ada", last_name="Lovell", phone="555-0100", preferred_house=house,
        )  # fmt: skip
    if partner is not None:
        Referral.objects.create(application=application, partner=partner)
    return application


def reply(operator, application, moment):
    with at(moment):
        return application_record_contact(actor=operator, application=application)


def referrals(organization, month=MARCH, audience=None):
    metrics = monthly_metrics(organization=organization, month=month)
    if audience:
        metrics = for_audience(metrics, audience)
    return as_json(metrics)["totals"]["referrals"]


@pytest.fixture
def court(organization):
    return ReferralPartner.objects.create(organization=organization, name="County Drug Court", kind="court")


def test_a_funder_copy_hides_the_rates_and_median_of_fewer_than_five_applicants(organization, house, operator, court):
    application = receive(organization, local_moment(2026, 3, 2, 9), house=house, partner=court, source="partner")
    reply(operator, application, local_moment(2026, 3, 2, 11))
    figures = referrals(organization, audience=FUNDER)
    hidden = ["replied_within_24h_pct", "accepted_pct", "admitted_pct", "median_hours_to_reply"]
    assert {name: figures[name] for name in hidden} == dict.fromkeys(hidden, RATE_HIDDEN)
    [row] = figures["by_partner"]
    assert {name: row[name] for name in hidden} == dict.fromkeys(hidden, RATE_HIDDEN)


def test_a_funder_copy_hides_each_houses_rates_of_fewer_than_five(organization, house):
    receive(organization, local_moment(2026, 3, 2, 9), house=house)
    houses = as_json(for_audience(monthly_metrics(organization=organization, month=MARCH), FUNDER))["houses"]
    [shown] = [row for row in houses if row["id"] == house.pk]
    assert shown["referrals"]["accepted_pct"] == RATE_HIDDEN


def test_a_funder_copy_shows_the_rates_of_five_applicants_or_more(organization, house, operator):
    for day in range(2, 7):
        reply(
            operator, receive(organization, local_moment(2026, 3, day, 9), house=house), local_moment(2026, 3, day, 11)
        )
    figures = referrals(organization, audience=FUNDER)
    assert (figures["received"], figures["accepted_pct"], figures["median_hours_to_reply"]) == (5, "0.0", "2.0")


def test_a_partners_referral_recorded_by_staff_counts_in_the_partners_row(organization, house, operator, court):
    receive(organization, local_moment(2026, 3, 2, 9), house=house, partner=court, source="partner")
    with at(local_moment(2026, 3, 3, 9)):
        application_create(
            actor=operator, first_name="Bo", last_name="Dane", phone="555-0101", applied_on=MARCH.first,
            preferred_house=house, referred_by="partner", referral_source=" county drug court ",
        )  # fmt: skip
    figures = referrals(organization)
    [row] = figures["by_partner"]
    assert (row["partner"], row["received"], figures["by_source"]["partner"]) == ("County Drug Court", 2, 2)


def test_a_source_named_like_a_partner_but_not_referred_by_one_is_not_theirs(organization, operator, court):
    with at(local_moment(2026, 3, 3, 9)):
        application_create(
            actor=operator, first_name="Bo", last_name="Dane", phone="555-0101", applied_on=MARCH.first,
            referred_by="other", referral_source="County Drug Court",
        )  # fmt: skip
    assert referrals(organization)["by_partner"] == []


def test_erasing_an_application_leaves_a_past_months_figures_unchanged(organization, house, operator, court):
    kept = receive(organization, local_moment(2026, 3, 2, 9), house=house)
    erased = receive(organization, local_moment(2026, 3, 3, 9), house=house, partner=court, source="partner")
    reply(operator, erased, local_moment(2026, 3, 3, 12))
    with at(local_moment(2026, 3, 5, 9)):
        application_move(actor=operator, application=erased, to="accepted")
    staff_recorded = receive(organization, local_moment(2026, 3, 4, 9), house=house, source="partner")
    staff_recorded.referral_source = "County Drug Court"
    staff_recorded.save(update_fields=["referral_source"])
    before = referrals(organization)
    application_erase(actor=operator, application=erased)
    application_erase(actor=operator, application=staff_recorded)
    assert referrals(organization) == before
    assert kept.pk


def test_the_median_reply_stands_beside_the_oldest_wait_at_the_months_end(organization, house, operator):
    replied = receive(organization, local_moment(2026, 3, 2, 9), house=house)
    reply(operator, replied, local_moment(2026, 3, 2, 12))
    receive(organization, local_moment(2026, 3, 30, 12), house=house)
    receive(organization, local_moment(2026, 3, 31, 12), house=house)
    figures = referrals(organization)
    # March 30 noon to April 1 midnight, Chicago time: 36 hours.
    assert (figures["median_hours_to_reply"], figures["waiting_for_reply"], figures["oldest_wait_hours"]) == (
        "3.0", 2, "36.0",
    )  # fmt: skip


def test_with_none_waiting_there_is_no_oldest_wait(organization, house, operator):
    reply(operator, receive(organization, local_moment(2026, 3, 2, 9), house=house), local_moment(2026, 3, 2, 12))
    assert referrals(organization)["oldest_wait_hours"] is None
