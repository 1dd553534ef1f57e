"""The monthly report's referrals section: applications by source and channel, hours to a first reply, acceptance
and admission rates overall and per referral partner, and the nights beds stood empty between residents. Every
figure is read on the organization's clock and as it stood at the month's end; the PDF shows the JSON's figures and
names no applicant."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from houses.services import bed_outage_create
from reports.metrics import Month, as_json, monthly_metrics
from residents.core.services.applications import (
    application_admit,
    application_erase,
    application_move,
    application_receive,
    application_record_contact,
)
from residents.core.services.stays import stay_admit, stay_discharge
from tests.factories import HouseFactory, ResidentFactory
from vacancies.models import Referral, ReferralPartner

from ..clock import local_moment
from .conftest import module_world

MARCH = Month(2026, 3)
NOW = local_moment(2026, 4, 10, 21, 30)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def at(moment):
    """Runs what follows at ``moment`` (a local wall-clock time), then comes back to the test's now."""
    return time_machine.travel(moment, tick=False)


def receive(organization, moment, *, house=None, source="self", via="staff", partner=None, name=("Ada", "Lovell")):
    with at(moment):
        application = application_receive(
            organization=organization, received_via=via, referred_by=source, first_name=name[0], last_name=name[1],
            phone="555-0100", preferred_house=house,
        )  # fmt: skip
        if partner is not None:
            Referral.objects.create(application=application, partner=partner, referrer_name="Ottoline Brackenbury")
    return application


def reply(operator, application, moment):
    with at(moment):
        return application_record_contact(actor=operator, application=application)


def move(operator, application, to, moment, note=""):
    with at(moment):
        return application_move(actor=operator, application=application, to=to, note=note)


def referrals(organization, month=MARCH, house=None):
    return as_json(monthly_metrics(organization=organization, month=month, house=house))["totals"]["referrals"]


def house_referrals(organization, house, month=MARCH):
    houses = monthly_metrics(organization=organization, month=month)["houses"]
    return as_json(next(row for row in houses if row["id"] == house.pk))["referrals"]


def partners(organization):
    return (
        ReferralPartner.objects.create(organization=organization, name="Riverbend Treatment", kind="treatment"),
        ReferralPartner.objects.create(organization=organization, name="County Drug Court", kind="court"),
    )


def test_an_application_received_at_half_past_eleven_local_on_the_last_day_counts_in_that_month(organization, house):
    # 11:30 PM in Chicago on March 31 is 04:30 UTC on April 1.
    receive(organization, local_moment(2026, 3, 31, 23, 30), house=house)
    assert referrals(organization)["received"] == 1
    assert referrals(organization, month=Month(2026, 4))["received"] == 0


def test_an_application_received_just_after_local_midnight_belongs_to_the_next_month(organization, house):
    receive(organization, local_moment(2026, 3, 1, 0, 15), house=house)
    assert referrals(organization, month=Month(2026, 2))["received"] == 0
    assert referrals(organization)["received"] == 1


def test_applications_are_counted_by_who_referred_them_and_how_they_arrived(organization, house, partners):
    receive(organization, local_moment(2026, 3, 2), house=house, source="self", via="website")
    receive(organization, local_moment(2026, 3, 3), house=house, source="family", via="staff")
    receive(organization, local_moment(2026, 3, 4), house=house, source="partner", via="partner", partner=partners[0])
    receive(organization, local_moment(2026, 3, 5), house=house, source="other", via="import")
    figures = referrals(organization)
    assert figures["received"] == 4
    assert figures["by_source"] == {"self": 1, "family": 1, "partner": 1, "other": 1}
    assert figures["by_channel"] == {"staff": 1, "website": 1, "partner": 1, "import": 1}


def test_the_median_hours_to_a_first_reply_counts_replies_made_by_the_month_end(organization, house, operator):
    for day, hours in [(2, 2), (3, 30), (4, 5)]:
        arrived = local_moment(2026, 3, day, 10)
        reply(operator, receive(organization, arrived, house=house), arrived + timedelta(hours=hours))
    # Received on the 30th, first answered in April: in March it was still waiting.
    late = receive(organization, local_moment(2026, 3, 30, 22), house=house)
    reply(operator, late, local_moment(2026, 4, 2, 9))
    figures = referrals(organization)
    assert (figures["replied"], figures["waiting_for_reply"]) == (3, 1)
    assert figures["median_hours_to_reply"] == "5.0"


def test_the_share_replied_within_24_hours_is_of_every_application_received(organization, house, operator):
    for day, hours in [(2, 2), (3, 30), (4, 24)]:
        arrived = local_moment(2026, 3, day, 10)
        reply(operator, receive(organization, arrived, house=house), arrived + timedelta(hours=hours))
    receive(organization, local_moment(2026, 3, 5), house=house)
    figures = referrals(organization)
    assert (figures["replied_within_24h"], figures["replied_within_24h_pct"]) == (2, "50.0")


def test_a_later_decision_does_not_change_last_months_rates(organization, house, operator):
    accepted_in_march = receive(organization, local_moment(2026, 3, 10), house=house)
    move(operator, accepted_in_march, "accepted", local_moment(2026, 3, 20))
    decided_in_april = receive(organization, local_moment(2026, 3, 25), house=house)
    before = referrals(organization)

    move(operator, accepted_in_march, "declined", local_moment(2026, 4, 3), note="Chose another program")
    move(operator, decided_in_april, "accepted", local_moment(2026, 4, 4))
    after = referrals(organization)

    assert after == before
    assert (after["accepted"], after["accepted_pct"], after["declined"]) == (1, "50.0", 0)


def test_admission_counts_when_it_happened_by_the_month_end(organization, house, operator):
    application = receive(organization, local_moment(2026, 3, 10), house=house)
    move(operator, application, "accepted", local_moment(2026, 3, 12))
    with at(local_moment(2026, 3, 14)):
        application_admit(actor=operator, application=application, bed=house.beds.first(), on=date(2026, 3, 14))
    figures = referrals(organization)
    assert (figures["accepted_pct"], figures["admitted"], figures["admitted_pct"]) == ("100.0", 1, "100.0")


def test_acceptance_and_admission_rates_are_given_per_partner(organization, house, operator, partners):
    riverbend, court = partners
    admitted = receive(organization, local_moment(2026, 3, 2), house=house, source="partner", partner=riverbend)
    accepted = receive(organization, local_moment(2026, 3, 3), house=house, source="partner", partner=riverbend)
    declined = receive(organization, local_moment(2026, 3, 4), house=house, source="partner", partner=court)
    receive(organization, local_moment(2026, 3, 5), house=house, source="partner", partner=court)
    for application in (admitted, accepted):
        move(operator, application, "accepted", local_moment(2026, 3, 6))
    with at(local_moment(2026, 3, 7)):
        application_admit(actor=operator, application=admitted, bed=house.beds.first(), on=date(2026, 3, 7))
    move(operator, declined, "declined", local_moment(2026, 3, 8), note="Needs detox first")

    rows = {row["partner"]: row for row in referrals(organization)["by_partner"]}
    assert list(rows) == ["County Drug Court", "Riverbend Treatment"]
    river, county = rows["Riverbend Treatment"], rows["County Drug Court"]
    assert (river["received"], river["accepted_pct"], river["admitted_pct"]) == (2, "100.0", "50.0")
    assert (county["received"], county["declined"], county["accepted_pct"], county["admitted_pct"]) == (
        2, 1, "0.0", "0.0",
    )  # fmt: skip


def test_an_application_erased_at_the_applicants_request_still_counts(organization, house):
    kept = receive(organization, local_moment(2026, 3, 2), house=house)
    erased = receive(organization, local_moment(2026, 3, 3), house=house)
    application_erase(application=erased)
    assert referrals(organization)["received"] == 2
    assert kept.pk


def test_an_application_naming_no_house_counts_only_for_the_organization(organization, house):
    receive(organization, local_moment(2026, 3, 2), house=house)
    receive(organization, local_moment(2026, 3, 3), house=None)
    assert house_referrals(organization, house)["received"] == 1
    assert referrals(organization)["received"] == 2
    assert referrals(organization, house=house)["received"] == 1


def test_each_house_counts_the_applications_that_asked_for_it(organization, house, other_house):
    receive(organization, local_moment(2026, 3, 2), house=house)
    receive(organization, local_moment(2026, 3, 3), house=other_house)
    receive(organization, local_moment(2026, 3, 4), house=other_house)
    assert house_referrals(organization, house)["received"] == 1
    assert house_referrals(organization, other_house)["received"] == 2


def turnover(organization, house, operator):
    """Bed 1: its first resident leaves on March 5 (first night away), the bed is out of service on the nights of
    March 8 and 9, and the next resident arrives on March 15: ten nights between, two of them out of service.
    Bed 2 takes its first-ever resident in March (no turnover)."""
    first_bed, second_bed = house.beds.order_by("pk")[:2]
    leaving = stay_admit(
        actor=operator, resident=ResidentFactory(organization=organization), bed=first_bed, on=date(2026, 2, 1)
    )
    stay_discharge(actor=operator, stay=leaving, on=date(2026, 3, 5), reason="completed")
    bed_outage_create(
        actor=operator, bed=first_bed, reason="New mattress", start=date(2026, 3, 8), end=date(2026, 3, 10)
    )
    stay_admit(actor=operator, resident=ResidentFactory(organization=organization), bed=first_bed, on=date(2026, 3, 15))
    stay_admit(actor=operator, resident=ResidentFactory(organization=organization), bed=second_bed, on=date(2026, 3, 3))
    return house


def test_empty_bed_nights_skip_an_outage_and_ignore_the_first_ever_occupant(organization, turnover):
    figures = house_referrals(organization, turnover)
    assert (figures["turnovers"], figures["empty_bed_nights"]) == (1, 8)
    assert (figures["average_empty_nights"], figures["median_empty_nights"]) == ("8.0", "8.0")


def test_a_bed_taken_the_night_its_resident_left_stood_empty_no_night(organization, house, operator, resident_factory):
    bed = house.beds.first()
    stay = stay_admit(actor=operator, resident=resident_factory(), bed=bed, on=date(2026, 2, 1))
    stay_discharge(actor=operator, stay=stay, on=date(2026, 3, 10), reason="completed")
    stay_admit(actor=operator, resident=resident_factory(), bed=bed, on=date(2026, 3, 10))
    figures = house_referrals(organization, house)
    assert (figures["turnovers"], figures["empty_bed_nights"], figures["median_empty_nights"]) == (1, 0, "0.0")


def test_the_organization_takes_the_median_of_every_houses_turnovers(
    organization, turnover, other_house, operator, resident_factory
):
    bed = other_house.beds.first()
    stay = stay_admit(actor=operator, resident=resident_factory(), bed=bed, on=date(2026, 2, 1))
    stay_discharge(actor=operator, stay=stay, on=date(2026, 3, 10), reason="completed")
    stay_admit(actor=operator, resident=resident_factory(), bed=bed, on=date(2026, 3, 12))
    figures = referrals(organization)
    assert (figures["turnovers"], figures["empty_bed_nights"]) == (2, 10)
    assert (figures["average_empty_nights"], figures["median_empty_nights"]) == ("5.0", "5.0")


def test_a_month_without_applications_or_turnovers_reports_zeros_and_no_rates(organization, house):
    figures = referrals(organization)
    assert (figures["received"], figures["accepted_pct"], figures["median_hours_to_reply"]) == (0, None, None)
    assert (figures["turnovers"], figures["average_empty_nights"], figures["by_partner"]) == (0, None, [])


def _grow(organization, operator, houses: int, start: int):
    """``houses`` more houses, each with its own partner, two applications (one replied and accepted) and a
    turnover in March."""
    for number in range(start, start + houses):
        house = HouseFactory(organization=organization, name=f"House {number}", beds=2)
        partner = ReferralPartner.objects.create(organization=organization, name=f"Partner {number}", kind="detox")
        for day in (2, 3):
            application = receive(
                organization, local_moment(2026, 3, day), house=house, source="partner", via="partner", partner=partner
            )
        reply(operator, application, local_moment(2026, 3, 4))
        move(operator, application, "accepted", local_moment(2026, 3, 5))
        bed = house.beds.first()
        stay = stay_admit(
            actor=operator, resident=ResidentFactory(organization=organization), bed=bed, on=date(2026, 2, 1)
        )
        stay_discharge(actor=operator, stay=stay, on=date(2026, 3, 6), reason="completed")
        stay_admit(actor=operator, resident=ResidentFactory(organization=organization), bed=bed, on=date(2026, 3, 9))


def test_the_monthly_figures_take_the_same_queries_whatever_the_number_of_houses_and_partners(
    api, organization, operator, django_assert_max_num_queries
):
    _grow(organization, operator, 1, start=1)
    client = api(operator)
    with django_assert_max_num_queries(80) as few:
        client.get("/api/v1/reports/monthly/?month=2026-03")
    few_count = len(few.captured_queries)
    _grow(organization, operator, 4, start=2)
    with django_assert_max_num_queries(few_count):
        figures = client.get("/api/v1/reports/monthly/?month=2026-03").json()["totals"]["referrals"]
    assert (figures["received"], len(figures["by_partner"]), figures["turnovers"]) == (10, 5, 5)


def test_the_monthly_api_lists_the_referrals_section_for_the_organization_and_each_house(api, operator, house):
    body = api(operator).get("/api/v1/reports/monthly/?month=2026-03").json()
    assert "referrals" in body["totals"]
    assert "referrals" in body["houses"][0]


# The PDF: the same figures as the JSON, nobody named.

try:
    from reports.pdf import render_monthly
except OSError:  # pragma: no cover - WeasyPrint needs Pango
    render_monthly = None
needs_pdf = pytest.mark.skipif(render_monthly is None, reason="WeasyPrint cannot load Pango")


def _pdf_text(organization, audience="internal", house=None) -> str:
    content, _pages = render_monthly(organization=organization, month=MARCH, audience=audience, house=house)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def month_of_referrals(organization, turnover, operator, partners):
    riverbend, court = partners
    first = receive(
        organization, local_moment(2026, 3, 2, 9), house=turnover, source="partner", via="partner", partner=riverbend,
        name=("Quillon", "Fairweather"),
    )  # fmt: skip
    reply(operator, first, local_moment(2026, 3, 2, 12))
    move(operator, first, "accepted", local_moment(2026, 3, 4))
    second = receive(
        organization, local_moment(2026, 3, 9, 9), house=turnover, source="partner", via="partner", partner=court,
        name=("Peregrine", "Oddbody"),
    )  # fmt: skip
    reply(operator, second, local_moment(2026, 3, 10, 15))
    move(operator, second, "declined", local_moment(2026, 3, 11), note="Needs detox first")
    receive(organization, local_moment(2026, 3, 20), house=turnover, source="family", via="website")
    return turnover


def internal_text(organization, month_of_referrals):
    """March's organization report, as text: rendered once for the module's tests that only read it."""
    return _pdf_text(organization)


# The month of referrals and its report made once for the module (tests/reports/conftest.py): each test asking for it
# gets its own copy of that world, at the same frozen instant, and its writes roll back; ``turnover``, ``partners``
# and the roles are the world's then, made afresh for the other tests.
globals().update(
    module_world(
        ["organization", "house", "operator"],
        {
            "turnover": turnover,
            "partners": partners,
            "month_of_referrals": month_of_referrals,
            "internal_text": internal_text,
        },
        asked_by=["month_of_referrals", "internal_text"],
        at=NOW,
        tick=False,
    )
)


@needs_pdf
def test_the_pdf_shows_the_referral_figures_of_the_json(organization, month_of_referrals, internal_text):
    figures = referrals(organization)
    text = internal_text
    assert f"Applications received {figures['received']} " in text
    assert f"Median hours to first reply (of those replied) {figures['median_hours_to_reply']} hours" in text
    assert f"Replied within 24 hours {figures['replied_within_24h']} ({figures['replied_within_24h_pct']}%)" in text
    assert f"Accepted by month end {figures['accepted']} ({figures['accepted_pct']}%)" in text
    assert f"Admitted by month end {figures['admitted']} ({figures['admitted_pct']}%)" in text
    assert f"Still waiting for a first reply at month end {figures['waiting_for_reply']}" in text
    assert (
        f"Nights beds stood empty between residents {figures['empty_bed_nights']} (average "
        f"{figures['average_empty_nights']}, median {figures['median_empty_nights']} a turnover)"
    ) in text
    for row in figures["by_partner"]:
        assert re.search(
            rf"{row['partner']} \(\w[\w ]*\) {row['received']} {row['median_hours_to_reply']} h "
            rf"{row['accepted']} \({row['accepted_pct']}%\) {row['admitted']} \({row['admitted_pct']}%\)",
            text,
        ), row["partner"]


@needs_pdf
def test_each_part_of_the_referrals_section_stays_on_one_page(organization, month_of_referrals):
    content, _pages = render_monthly(organization=organization, month=MARCH, house=month_of_referrals)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]
    for first, last in [
        ("Referrals Applications received", "Declined by month end"),
        ("Referrals by partner", "No applicant is named."),
    ]:
        assert any(first in page and last in page for page in pages), first


@needs_pdf
def test_the_pdf_names_no_applicant_and_no_one_at_a_partner(month_of_referrals, internal_text):
    text = internal_text
    for name in ("Quillon", "Fairweather", "Peregrine", "Oddbody", "Ottoline", "Brackenbury"):
        assert name not in text


@needs_pdf
def test_the_pdf_says_erased_applications_still_count(organization, house):
    text = _pdf_text(organization, house=house)
    assert "An application erased at the applicant's request still counts" in text


@needs_pdf
def test_the_pdf_shows_the_ones_still_waiting_beside_the_median_reply(organization, month_of_referrals, internal_text):
    figures = referrals(organization)
    text = internal_text
    assert (
        f"Median hours to first reply {figures['median_hours_to_reply']} h {figures['waiting_for_reply']} still "
        f"waiting, the longest {figures['oldest_wait_hours']} h"
    ) in text


@needs_pdf
def test_the_pdf_charts_the_applications_by_who_referred_them(organization, month_of_referrals):
    from reports.pdf import monthly_html

    html = monthly_html(organization=organization, month=MARCH)
    assert "<title>Applications by who referred them</title>" in html
    assert re.search(r'<text class="axis-label x-axis"[^>]*>Referred by</text>', html)


@needs_pdf
def test_the_funder_pdf_shows_small_counts_of_applicants_as_under_five(organization, month_of_referrals):
    text = _pdf_text(organization, audience="funder")
    assert "Applications received <5 " in text
    assert "Accepted by month end <5 Admitted" in text
    assert "Accepted / admitted too few" in text
    assert "33.3%" not in text


def test_the_rates_are_decimals_with_one_place(organization, house, operator):
    for day in (2, 3, 4):
        receive(organization, local_moment(2026, 3, day), house=house)
    first = receive(organization, local_moment(2026, 3, 5), house=house)
    move(operator, first, "accepted", local_moment(2026, 3, 6))
    figures = monthly_metrics(organization=organization, month=MARCH)["totals"]["referrals"]
    assert figures["accepted_pct"] == Decimal("25.0")
