from datetime import date, timedelta

from houses.models import Bed, BedOutage


def _take_out(bed, start, until=None, reason="Leak"):
    bed.status = Bed.Status.OUT_OF_SERVICE
    bed.out_of_service_reason, bed.out_of_service_from, bed.out_of_service_until = reason, start, until
    bed.save()


def test_taking_a_bed_out_of_service_records_an_outage(house):
    bed = house.beds.first()
    _take_out(bed, date(2026, 3, 1), date(2026, 3, 9))
    assert list(bed.outages.values_list("start", "end", "reason")) == [(date(2026, 3, 1), date(2026, 3, 9), "Leak")]


def test_returning_a_bed_to_service_ends_the_running_outage_today(house):
    bed = house.beds.first()
    today = house.organization.today()
    _take_out(bed, today - timedelta(days=5))
    bed.status = Bed.Status.AVAILABLE
    bed.clean()
    bed.save()
    assert bed.outages.get().end == today


def test_cancelling_an_outage_that_has_not_begun_leaves_no_history(house):
    bed = house.beds.first()
    _take_out(bed, house.organization.today() + timedelta(days=3))
    bed.status = Bed.Status.AVAILABLE
    bed.clean()
    bed.save()
    assert not BedOutage.objects.exists()


def test_capacity_counts_only_beds_in_service(api, operator, house):
    _take_out(house.beds.first(), date(2026, 3, 1))
    body = api(operator).get(f"/api/v1/houses/{house.pk}/").json()
    assert (body["capacity"], body["bed_count"]) == (3, 4)
