"""An opening stays true after it is found: a planned move-out that passes with the resident still in the bed, a bed
taken out of service, retired or whose house closed is no longer offered; a discharge or a move entered the morning
after still opens the bed; a planned move-out moved a day moves its opening, offers and digests with it; and the
hourly scan does no work again for a leaving it cannot record."""

from datetime import date, timedelta

from houses.models import BedOutage
from houses.services import bed_retire, bed_take_out_of_service, house_update
from tests.factories import HouseFactory, admit, operator_of
from vacancies.models import BedOpening, PartnerDigest, ReferralPartner, WaitlistOffer
from vacancies.services.offers import offer_answer, offer_next, offers_expire
from vacancies.services.openings import openings_scan, stay_openings_sync
from vacancies.tasks import scan_openings, send_partner_digests

from .conftest import NOW, TODAY, days, discharge, plan, resident_in, transfer, waiting

Answer = WaitlistOffer.Answer
Cause = BedOpening.Cause


def offered():
    return list(WaitlistOffer.objects.order_by("sent_at", "pk").values_list("application__first_name", "answer"))


def open_openings():
    return list(
        BedOpening.objects.filter(filled_at__isnull=True, cancelled_at__isnull=True).values_list("bed_id", "opens_on")
    )


def bed_of(stay):
    return stay.bed_assignments.get(end__isnull=True).bed


def three_waiting(house):
    for n, name in enumerate(["Avery", "Blake", "Casey"]):
        waiting(house, name, date(2026, 10, 1 + n))


# A planned move-out that passes with the resident still there


def test_a_planned_move_out_that_passes_with_the_resident_still_in_the_bed_calls_the_opening_off(house, commit, clock):
    three_waiting(house)
    stay = resident_in(house)
    with commit():
        plan(stay, days(1))

    clock.move_to(NOW + timedelta(days=2))
    with commit():
        scan_openings()

    assert BedOpening.objects.get().cancelled_at is not None
    assert offered() == [("Avery", Answer.EXPIRED)]


def test_the_waitlist_is_not_offered_an_occupied_bed_every_48_hours(house, commit, clock, mailoutbox):
    three_waiting(house)
    stay = resident_in(house)
    with commit():
        plan(stay, days(1))

    for hours in (50, 100, 150):
        clock.move_to(NOW + timedelta(hours=hours))
        with commit():
            scan_openings()

    assert [name for name, _ in offered()] == ["Avery"]
    assert len(mailoutbox) == 1


def test_on_its_night_a_planned_move_out_still_holds_its_opening(house, commit, clock):
    waiting(house, "Avery", date(2026, 10, 1))
    stay = resident_in(house)
    with commit():
        plan(stay, days(1))

    clock.move_to(NOW + timedelta(days=1))
    with commit():
        scan_openings()

    assert open_openings() == [(bed_of(stay).pk, days(1))]


def test_an_opening_whose_night_passed_stays_open_while_the_bed_is_empty(house, commit, clock):
    stay = resident_in(house)
    bed = bed_of(stay)
    discharge(stay, days(1))

    clock.move_to(NOW + timedelta(days=4))
    scan_openings()

    assert open_openings() == [(bed.pk, days(1))]


# A bed taken out of service, retired, or its house closed


def test_a_bed_taken_out_of_service_after_its_opening_was_found_is_offered_to_nobody_else(house, commit, clock):
    three_waiting(house)
    stay = resident_in(house)
    bed = bed_of(stay)
    with commit():
        discharge(stay, days(2))
    bed_take_out_of_service(actor=operator_of(house.organization), bed=bed, reason="Flood", start=days(3), until=None)

    clock.move_to(NOW + timedelta(hours=49))
    with commit():
        scan_openings()

    assert BedOpening.objects.get().cancelled_at is not None
    assert offered() == [("Avery", Answer.EXPIRED)]


def test_an_outage_recorded_after_the_opening_stops_the_next_offer_even_before_the_scan(house, commit, clock):
    three_waiting(house)
    stay = resident_in(house)
    with commit():
        discharge(stay, days(2))
    opening = BedOpening.objects.get()
    BedOutage.objects.create(bed=opening.bed, start=days(3), reason="Flood")  # as the houses service writes it

    clock.move_to(NOW + timedelta(hours=49))
    with commit():
        offers_expire()

    opening.refresh_from_db()
    assert opening.cancelled_at is not None
    assert offered() == [("Avery", Answer.EXPIRED)]


def test_a_bed_retired_after_its_opening_was_found_is_called_off(house, commit):
    stay = resident_in(house)
    bed = bed_of(stay)
    discharge(stay, days(2))
    bed_retire(actor=operator_of(house.organization), bed=bed, on=days(4))

    openings_scan(organization=house.organization, on=TODAY)

    assert BedOpening.objects.get().cancelled_at is not None


def test_an_opening_of_a_house_that_closed_is_called_off(house, commit):
    stay = resident_in(house)
    discharge(stay, days(2))
    house_update(actor=operator_of(house.organization), house=house, closed_on=days(2))

    openings_scan(organization=house.organization, on=TODAY)

    assert BedOpening.objects.get().cancelled_at is not None


def test_no_offer_is_made_for_an_opening_whose_bed_is_no_longer_free(house, commit):
    waiting(house, "Avery", date(2026, 10, 1))
    stay = resident_in(house)
    discharge(stay, days(2))  # outside a commit: nobody offered yet
    opening = BedOpening.objects.get()
    BedOutage.objects.create(bed=opening.bed, start=days(2), reason="Paint")

    assert offer_next(opening_id=opening.pk) is None
    assert offered() == []


# A discharge or a move entered the morning after


def test_a_discharge_entered_the_morning_after_opens_the_bed_from_tonight(house, commit, mailoutbox):
    waiting(house, "Avery", date(2026, 10, 1))
    stay = resident_in(house)
    bed = bed_of(stay)

    with commit():
        discharge(stay, days(-1))

    assert list(BedOpening.objects.values_list("bed_id", "opens_on", "cause")) == [(bed.pk, TODAY, Cause.DISCHARGE)]
    assert offered() == [("Avery", Answer.PENDING)]


def test_a_move_to_another_bed_entered_the_morning_after_opens_the_bed_left_from_tonight(house):
    stay = resident_in(house)
    left = bed_of(stay)
    other = resident_in(house)
    spare = bed_of(other)
    discharge(other, days(-3))

    transfer(stay, spare, days(-1))

    assert open_openings() == [(left.pk, TODAY)]


def test_a_discharge_entered_more_than_a_week_late_opens_nothing(house):
    discharge(resident_in(house), days(-8))

    assert not BedOpening.objects.exists()


def test_someone_admitted_the_morning_after_into_a_bed_left_the_night_before_fills_its_opening(house, commit):
    waiting(house, "Avery", date(2026, 10, 1))
    stay = resident_in(house)
    bed = bed_of(stay)

    with commit():
        discharge(stay, days(-2))
        admit(house, on=days(-1), bed=bed)

    assert BedOpening.objects.get().filled_at is not None
    assert offered() == []


def test_an_opening_entered_late_is_recorded_once_on_the_following_days(house, commit, clock, mailoutbox):
    three_waiting(house)
    stay = resident_in(house)
    with commit():
        discharge(stay, days(-1))

    for day in (0, 1, 2, 3):
        clock.move_to(NOW + timedelta(days=day))
        with commit():
            stay_openings_sync(stay=stay)
            scan_openings()

    assert list(BedOpening.objects.values_list("opens_on", flat=True)) == [TODAY]
    assert offered() == [("Avery", Answer.EXPIRED), ("Blake", Answer.PENDING)]  # passed on once, after 48 hours


# A planned move-out moved


def test_moving_a_planned_move_out_a_day_keeps_the_offers_made(house, commit, mailoutbox):
    three_waiting(house)
    stay = resident_in(house)
    with commit():
        plan(stay, days(5))
    with commit():
        offer_answer(offer=WaitlistOffer.objects.get(), interested=False)

    with commit():
        plan(stay, days(6))

    assert open_openings() == [(bed_of(stay).pk, days(6))]
    assert BedOpening.objects.count() == 1
    assert offered() == [("Avery", Answer.DECLINED), ("Blake", Answer.PENDING)]
    assert len(mailoutbox) == 2


def test_a_discharge_a_day_off_the_plan_keeps_the_offer_waiting_for_an_answer(house, commit, mailoutbox):
    three_waiting(house)
    stay = resident_in(house)
    bed = bed_of(stay)
    with commit():
        plan(stay, days(5))

    with commit():
        discharge(stay, days(4))

    assert list(BedOpening.objects.values_list("bed_id", "opens_on")) == [(bed.pk, days(4))]
    assert offered() == [("Avery", Answer.PENDING)]
    assert len(mailoutbox) == 1


def test_a_moved_opening_is_not_told_to_partners_again(organization, house, commit, clock, mailoutbox):
    partner = ReferralPartner.objects.create(
        organization=organization,
        name="Riverside Treatment",
        kind=ReferralPartner.Kind.TREATMENT,
        email="intake@riverside.example",
        digest_opt_in=True,
    )
    partner.houses.set([house])
    stay = resident_in(house)
    plan(stay, days(5))
    send_partner_digests()

    clock.move_to(NOW + timedelta(days=1))
    plan(stay, days(6))

    assert send_partner_digests() == 0
    assert PartnerDigest.objects.count() == 1


def test_a_planned_move_out_moved_onto_a_night_called_off_before_takes_its_place(house, commit):
    three_waiting(house)
    stay = resident_in(house)
    bed = bed_of(stay)
    with commit():
        plan(stay, days(5))
    plan(stay, None)
    with commit():
        plan(stay, days(6))
    offers = offered()

    with commit():
        plan(stay, days(5))

    assert open_openings() == [(bed.pk, days(5))]
    assert BedOpening.objects.count() == 1
    assert offered() == [offers[-1]]


def test_a_planned_move_out_moved_outside_the_notice_days_calls_the_opening_off(house):
    stay = resident_in(house)
    plan(stay, days(5))

    plan(stay, days(20))

    assert open_openings() == []


# The scan's cost


def test_a_second_scan_with_nothing_new_costs_a_few_queries_even_when_a_leaving_cannot_be_recorded(
    organization, house, django_assert_max_num_queries
):
    operator = operator_of(organization)
    for _ in range(3):
        stay = resident_in(house)
        bed = bed_of(stay)
        discharge(stay, days(3))
        bed_take_out_of_service(actor=operator, bed=bed, reason="Paint", start=days(3), until=None)
    for _ in range(3):
        plan(resident_in(HouseFactory(organization=organization, beds=2)), days(3))
    openings_scan(organization=organization, on=TODAY)

    with django_assert_max_num_queries(9):
        synced = openings_scan(organization=organization, on=TODAY)

    assert synced == 0
    assert len(open_openings()) == 3


def test_a_leaving_whose_bed_is_out_of_service_is_not_synced_again_each_hour(house):
    stay = resident_in(house)
    bed = bed_of(stay)
    BedOutage.objects.create(bed=bed, start=days(2), reason="Paint")  # recorded before the move-out was planned
    plan(stay, days(5))
    assert not BedOpening.objects.exists()

    assert openings_scan(organization=house.organization, on=TODAY) == 0
