"""Outages: the history the in-service rule reads. One outage per night of a bed, never over nights someone sleeps in
it, and a corrected outage replaces the one it corrects (issue 12, requirement 2)."""

from datetime import date

import pytest

from accounts.exceptions import DomainError
from houses import selectors, services
from houses.models import BedOutage
from residents.core.services.stays import stay_admit, stay_discharge
from tests.clock import local_moment, module_clock
from tests.factories import take_out_of_service

_clock = module_clock(local_moment(2026, 4, 15))

TODAY = date(2026, 4, 15)
OUTAGE = {"status": "out_of_service", "out_of_service_reason": "Leak"}


@pytest.fixture
def bed(house):
    return house.beds.order_by("pk").first()


def _outages(bed):
    return list(bed.outages.values_list("start", "end", "reason"))


def _patch(api, operator, bed, **fields):
    return api(operator).patch(f"/api/v1/beds/{bed.pk}/", fields, format="json")


def test_taking_a_bed_out_of_service_records_an_outage(api, operator, bed):
    response = _patch(api, operator, bed, **OUTAGE, out_of_service_from="2026-04-20", out_of_service_until="2026-04-25")
    assert response.status_code == 200
    assert _outages(bed) == [(date(2026, 4, 20), date(2026, 4, 25), "Leak")]


def test_correcting_the_start_replaces_the_outage(api, operator, house, bed):
    _patch(api, operator, bed, **OUTAGE, out_of_service_from="2026-03-10", out_of_service_until="2026-03-20")
    response = _patch(api, operator, bed, out_of_service_from="2026-03-12")
    assert response.status_code == 200
    assert _outages(bed) == [(date(2026, 3, 12), date(2026, 3, 20), "Leak")]
    march = selectors.bed_nights_by_house(houses=[house.pk], first=date(2026, 3, 1), end=date(2026, 4, 1))
    assert march[house.pk]["out"] == 8


def test_correcting_an_outage_on_its_page_replaces_it(page, operator, house, bed):
    take_out_of_service(bed, date(2026, 4, 10), date(2026, 4, 20))
    url = f"/dashboard/houses/{house.pk}/beds/{bed.pk}/out-of-service/"
    response = page(operator).submit(url, {"out_of_service_from": "2026-04-08"}, button="Save outage", follow=True)
    assert "is out of service." in response.content.decode()
    assert _outages(bed) == [(date(2026, 4, 8), date(2026, 4, 20), "Leak")]


def test_correcting_an_outage_onto_an_earlier_one_is_refused_and_nothing_written(api, operator, bed):
    take_out_of_service(bed, date(2026, 3, 1), date(2026, 3, 10))
    services.bed_return_to_service(actor=operator, bed=bed)
    take_out_of_service(bed, date(2026, 4, 10), date(2026, 4, 20), reason="Mold")
    response = _patch(api, operator, bed, out_of_service_from="2026-03-05")
    assert response.status_code == 400
    assert response.json() == {
        "out_of_service_from": ["The bed is already out of service from Mar 1, 2026 to Mar 10, 2026 (Leak)."]
    }
    assert _outages(bed) == [
        (date(2026, 3, 1), date(2026, 3, 10), "Leak"),
        (date(2026, 4, 10), date(2026, 4, 20), "Mold"),
    ]
    bed.refresh_from_db()
    assert bed.out_of_service_from == date(2026, 4, 10)


def test_a_second_outage_over_nights_already_out_is_refused(api, operator, bed):
    take_out_of_service(bed, date(2026, 3, 1), date(2026, 3, 10))
    services.bed_return_to_service(actor=operator, bed=bed)
    response = _patch(api, operator, bed, **OUTAGE, out_of_service_from="2026-03-09", out_of_service_until="2026-03-12")
    assert response.status_code == 400
    assert "already out of service from Mar 1, 2026 to Mar 10, 2026" in response.json()["out_of_service_from"][0]
    assert _outages(bed) == [(date(2026, 3, 1), date(2026, 3, 10), "Leak")]
    bed.refresh_from_db()
    assert bed.status == "available"


def test_an_outage_over_nights_a_resident_sleeps_in_the_bed_is_refused_naming_them(
    api, operator, bed, resident_factory
):
    resident = resident_factory(legal_first_name="Ruth", legal_last_name="Baker")
    stay_admit(actor=operator, resident=resident, bed=bed, on=date(2026, 3, 1))
    response = _patch(api, operator, bed, **OUTAGE, out_of_service_from="2026-04-20")
    assert response.status_code == 400
    [message] = response.json()["out_of_service_from"]
    assert str(resident) in message
    assert "Apr 20, 2026" in message
    assert not BedOutage.objects.exists()
    bed.refresh_from_db()
    assert bed.status == "available"


def test_an_outage_over_a_past_stay_is_refused_too(operator, bed, resident_factory):
    stay = stay_admit(actor=operator, resident=resident_factory(), bed=bed, on=date(2026, 2, 1))
    stay_discharge(actor=operator, stay=stay, on=date(2026, 3, 1), reason="completed")
    with pytest.raises(DomainError, match="Feb 20, 2026"):
        take_out_of_service(bed, date(2026, 2, 20), date(2026, 3, 5))
    take_out_of_service(bed, date(2026, 3, 1), date(2026, 3, 5))  # from the night they left: fine
    assert len(_outages(bed)) == 1


def test_the_outage_page_names_the_resident_beside_the_start(page, operator, house, bed, resident_factory):
    resident = resident_factory(legal_first_name="Sam", legal_last_name="Ortiz")
    stay_admit(actor=operator, resident=resident, bed=bed, on=date(2026, 4, 1))
    response = page(operator).submit(
        f"/dashboard/houses/{house.pk}/beds/{bed.pk}/out-of-service/",
        {"out_of_service_reason": "Paint", "out_of_service_from": "2026-04-16"},
    )
    assert response.status_code == 400
    [message] = response.context["form"].errors["out_of_service_from"]
    assert str(resident) in message
    assert not BedOutage.objects.exists()


def test_returning_a_bed_to_service_ends_the_running_outage_tonight(operator, bed):
    take_out_of_service(bed, date(2026, 4, 10))
    services.bed_return_to_service(actor=operator, bed=bed)
    assert _outages(bed) == [(date(2026, 4, 10), TODAY, "Leak")]


def test_cancelling_an_outage_that_has_not_begun_leaves_no_history(operator, bed):
    take_out_of_service(bed, date(2026, 4, 20))
    services.bed_return_to_service(actor=operator, bed=bed)
    assert not BedOutage.objects.exists()


def test_a_new_outage_after_one_that_ended_keeps_the_old_one(operator, bed):
    take_out_of_service(bed, date(2026, 3, 1), date(2026, 3, 10))
    services.bed_return_to_service(actor=operator, bed=bed)
    take_out_of_service(bed, date(2026, 4, 20), reason="Mold")
    assert _outages(bed) == [(date(2026, 3, 1), date(2026, 3, 10), "Leak"), (date(2026, 4, 20), None, "Mold")]


def test_an_outage_before_the_bed_entered_service_is_refused(api, operator, bed):
    services.bed_update(actor=operator, bed=bed, in_service_from=date(2026, 4, 1))
    response = _patch(api, operator, bed, **OUTAGE, out_of_service_from="2026-03-20")
    assert response.status_code == 400
    assert "in service from Apr 1, 2026" in response.json()["out_of_service_from"][0]
    assert not BedOutage.objects.exists()
