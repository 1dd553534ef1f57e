"""Waitlist offers: in order, one waiting for an answer at a time, 48 hours to answer, never twice for the same
opening and applicant."""

from datetime import date, timedelta

from houses.models import Bed
from residents.models import Application
from tests.factories import HouseFactory, admit
from vacancies.models import BedOpening, WaitlistOffer
from vacancies.services.offers import offer_answer
from vacancies.tasks import scan_openings

from .conftest import NOW, days, discharge, plan, resident_in, waiting

Answer = WaitlistOffer.Answer


def offered():
    return list(WaitlistOffer.objects.order_by("sent_at", "pk").values_list("application__first_name", "answer"))


def open_a_bed(house, commit, on=None):
    stay = resident_in(house)
    with commit():
        plan(stay, on or days(5))
    return BedOpening.objects.get(stay=stay)


def test_an_opening_is_offered_to_the_first_applicant_on_the_waitlist_by_e_mail(house, commit, mailoutbox):
    waiting(house, "Casey", date(2026, 11, 2))
    waiting(house, "Avery", date(2026, 10, 1))

    open_a_bed(house, commit)

    offer = WaitlistOffer.objects.get()
    assert offered() == [("Avery", Answer.PENDING)]
    assert offer.expires_at == offer.sent_at + timedelta(hours=48)
    [mail] = mailoutbox
    assert mail.to == ["avery@example.com"]
    assert f"/offers/{offer.token}/" in mail.body
    assert "Maple House" in mail.subject


def test_an_applicant_without_an_e_mail_address_is_passed_over(house, commit):
    waiting(house, "Avery", date(2026, 10, 1), email="")
    waiting(house, "Casey", date(2026, 11, 2))

    open_a_bed(house, commit)

    assert offered() == [("Casey", Answer.PENDING)]


def test_applicants_not_waiting_or_for_another_house_are_not_offered(house, other_house, commit):
    waiting(house, "Avery", date(2026, 10, 1), status=Application.Status.SCREENING)
    waiting(other_house, "Blake", date(2026, 10, 2))
    waiting(house, "Casey", date(2026, 11, 2), status=Application.Status.ACCEPTED)

    open_a_bed(house, commit)

    assert offered() == [("Casey", Answer.PENDING)]


def test_only_one_offer_waits_for_an_answer_per_opening(house, commit, mailoutbox):
    waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Casey", date(2026, 11, 2))
    open_a_bed(house, commit)

    with commit():
        scan_openings()
        scan_openings()

    assert offered() == [("Avery", Answer.PENDING)]
    assert len(mailoutbox) == 1


def test_a_declined_offer_passes_the_opening_to_the_next_applicant(house, commit, mailoutbox):
    waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Casey", date(2026, 11, 2))
    open_a_bed(house, commit)

    with commit():
        offer_answer(offer=WaitlistOffer.objects.get(), interested=False)

    assert offered() == [("Avery", Answer.DECLINED), ("Casey", Answer.PENDING)]
    assert [mail.to for mail in mailoutbox] == [["avery@example.com"], ["casey@example.com"]]


def test_an_offer_unanswered_for_48_hours_expires_and_the_next_applicant_gets_it(house, commit, clock):
    waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Casey", date(2026, 11, 2))
    open_a_bed(house, commit)

    clock.move_to(NOW + timedelta(hours=47, minutes=59))
    with commit():
        scan_openings()
    assert offered() == [("Avery", Answer.PENDING)]

    clock.move_to(NOW + timedelta(hours=48, minutes=1))
    with commit():
        scan_openings()
    assert offered() == [("Avery", Answer.EXPIRED), ("Casey", Answer.PENDING)]


def test_running_the_expiry_twice_sends_nothing_again(house, commit, clock, mailoutbox):
    waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Casey", date(2026, 11, 2))
    open_a_bed(house, commit)
    clock.move_to(NOW + timedelta(hours=49))

    with commit():
        scan_openings()
        scan_openings()

    assert offered() == [("Avery", Answer.EXPIRED), ("Casey", Answer.PENDING)]
    assert len(mailoutbox) == 2


def test_a_yes_holds_the_opening_for_staff_and_asks_nobody_else(house, commit, clock):
    waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Casey", date(2026, 11, 2))
    open_a_bed(house, commit)

    with commit():
        offer_answer(offer=WaitlistOffer.objects.get(), interested=True)
    clock.move_to(NOW + timedelta(days=3))
    with commit():
        scan_openings()

    assert offered() == [("Avery", Answer.INTERESTED)]


def test_a_filled_opening_is_offered_to_nobody_else(house, commit, clock, mailoutbox):
    waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Casey", date(2026, 11, 2))
    opening = open_a_bed(house, commit)

    discharge(opening.stay, opening.opens_on)
    admit(house, on=opening.opens_on, bed=opening.bed)
    clock.move_to(NOW + timedelta(hours=49))
    with commit():
        scan_openings()

    assert offered() == [("Avery", Answer.EXPIRED)]
    assert len(mailoutbox) == 1


def test_a_called_off_opening_is_offered_to_nobody_else(house, commit, clock):
    waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Casey", date(2026, 11, 2))
    opening = open_a_bed(house, commit)

    with commit():
        plan(opening.stay, None)
        offer = WaitlistOffer.objects.get()
    clock.move_to(NOW + timedelta(hours=49))
    with commit():
        scan_openings()

    assert [o.application.first_name for o in WaitlistOffer.objects.all()] == [offer.application.first_name]


def test_two_beds_opening_at_once_go_to_two_applicants(house, commit):
    waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Casey", date(2026, 11, 2))

    open_a_bed(house, commit)
    open_a_bed(house, commit, on=days(6))

    assert sorted(offered()) == [("Avery", Answer.PENDING), ("Casey", Answer.PENDING)]


def test_an_opening_nobody_could_take_is_offered_to_someone_joining_the_waitlist_later(house, commit):
    open_a_bed(house, commit)
    assert offered() == []

    waiting(house, "Avery", date(2026, 12, 7))
    with commit():
        scan_openings()

    assert offered() == [("Avery", Answer.PENDING)]


def test_each_house_offers_to_its_own_waitlist(organization, commit):
    men = HouseFactory(organization=organization, beds=2, gender="men")
    women = HouseFactory(organization=organization, beds=2, gender="women")
    waiting(men, "Avery", date(2026, 10, 1))
    waiting(women, "Blair", date(2026, 10, 2))

    open_a_bed(women, commit)

    assert offered() == [("Blair", Answer.PENDING)]
    assert Bed.objects.filter(house=women).count() == 2
