"""A bed's outage history as its own resource (``/api/v1/bed-outages/`` and the bed's outage page): any outage, past,
running or ahead, is corrected in place (the new nights replace the old: one record, each night counted once) or
removed, under the same rules as taking a bed out of service (issue 12, requirement 2)."""

from datetime import date

import pytest

from houses import services
from houses.models import BedOutage
from reports.metrics import Month, monthly_metrics
from reports.services import month_close
from residents.core.services.stays import stay_admit
from tests.access import request_as
from tests.clock import local_moment, module_clock
from tests.factories import HouseFactory, take_out_of_service

_clock = module_clock(local_moment(2026, 4, 15))

MARCH_BED_NIGHTS = 4 * 31  # Maple House: four beds, all of March


@pytest.fixture
def bed(house):
    return house.beds.order_by("pk").first()


@pytest.fixture
def past_outage(operator, bed):
    """Mar 10 to Mar 20, over and closed by returning the bed: the bed's status fields no longer describe it."""
    take_out_of_service(bed, date(2026, 3, 10), date(2026, 3, 20))
    services.bed_return_to_service(actor=operator, bed=bed)
    return bed.outages.get()


def _outages(bed):
    return list(bed.outages.values_list("start", "end", "reason"))


def _march_out(organization, house):
    march = monthly_metrics(organization=organization, month=Month(2026, 3))
    [row] = [row for row in march["houses"] if row["id"] == house.pk]
    return MARCH_BED_NIGHTS - row["occupancy"]["available_bed_nights"]


def _patch(api, member, outage, **fields):
    return api(member).patch(f"/api/v1/bed-outages/{outage.pk}/", fields, format="json")


def test_a_past_outages_start_is_corrected_through_the_api_and_counted_once(
    api, operator, organization, house, bed, past_outage
):
    response = _patch(api, operator, past_outage, start="2026-03-12")
    assert response.status_code == 200
    assert response.json()["start"] == "2026-03-12"
    assert _outages(bed) == [(date(2026, 3, 12), date(2026, 3, 20), "Leak")]
    assert _march_out(organization, house) == 8


def test_a_past_outages_start_is_corrected_on_the_beds_outage_page(
    page, operator, organization, house, bed, past_outage
):
    url = f"/dashboard/houses/{house.pk}/beds/{bed.pk}/outages/{past_outage.pk}/edit/"
    response = page(operator).submit(url, {"start": "2026-03-12"}, button="Save outage", follow=True)
    assert "outage saved." in response.content.decode()
    assert _outages(bed) == [(date(2026, 3, 12), date(2026, 3, 20), "Leak")]
    assert _march_out(organization, house) == 8


def test_the_beds_outage_page_lists_its_history(page, operator, house, bed, past_outage):
    take_out_of_service(bed, date(2026, 4, 20), reason="Mold")
    body = page(operator).get(f"/dashboard/houses/{house.pk}/beds/{bed.pk}/outages/").content.decode()
    assert "Mar 10, 2026" in body
    assert "Leak" in body
    assert "Apr 20, 2026" in body
    assert "Mold" in body


def test_a_correction_onto_another_outage_is_refused_and_nothing_written(api, operator, bed, past_outage):
    services.bed_outage_create(actor=operator, bed=bed, reason="Mold", start=date(2026, 3, 25), end=date(2026, 4, 1))
    response = _patch(api, operator, past_outage, end="2026-03-27")
    assert response.status_code == 400
    assert response.json() == {"start": ["The bed is already out of service from Mar 25, 2026 to Apr 1, 2026 (Mold)."]}
    assert _outages(bed) == [
        (date(2026, 3, 10), date(2026, 3, 20), "Leak"),
        (date(2026, 3, 25), date(2026, 4, 1), "Mold"),
    ]


def test_a_new_outage_over_an_old_one_is_refused(api, operator, bed, past_outage):
    body = {"bed": bed.pk, "start": "2026-03-05", "end": "2026-03-11", "reason": "Paint"}
    response = api(operator).post("/api/v1/bed-outages/", body, format="json")
    assert response.status_code == 400
    assert "already out of service from Mar 10, 2026" in response.json()["start"][0]
    assert BedOutage.objects.count() == 1


def test_a_correction_over_nights_a_resident_slept_in_the_bed_is_refused_naming_them(
    api, operator, bed, past_outage, resident_factory
):
    resident = resident_factory(legal_first_name="Ruth", legal_last_name="Baker")
    stay_admit(actor=operator, resident=resident, bed=bed, on=date(2026, 3, 22))
    response = _patch(api, operator, past_outage, end="2026-03-25")
    assert response.status_code == 400
    [message] = response.json()["start"]
    assert str(resident) in message
    assert "Mar 22, 2026" in message
    assert _outages(bed) == [(date(2026, 3, 10), date(2026, 3, 20), "Leak")]


def test_a_correction_on_the_page_names_the_resident_beside_the_start(
    page, operator, house, bed, past_outage, resident_factory
):
    resident = resident_factory(legal_first_name="Sam", legal_last_name="Ortiz")
    stay_admit(actor=operator, resident=resident, bed=bed, on=date(2026, 3, 22))
    url = f"/dashboard/houses/{house.pk}/beds/{bed.pk}/outages/{past_outage.pk}/edit/"
    response = page(operator).submit(url, {"end": "2026-03-25"}, button="Save outage")
    assert response.status_code == 400
    [message] = response.context["form"].errors["start"]
    assert str(resident) in message


@pytest.fixture
def march_closed(organization, operator):
    month_close(actor=operator, organization=organization, month=Month(2026, 3))


def test_a_correction_in_a_closed_month_is_refused(api, operator, bed, past_outage, march_closed):
    response = _patch(api, operator, past_outage, start="2026-03-12")
    assert response.status_code == 400
    assert "March 2026 is closed" in response.json()["start"][0]
    assert _outages(bed) == [(date(2026, 3, 10), date(2026, 3, 20), "Leak")]


def test_an_outage_in_a_closed_month_cannot_be_removed(api, operator, bed, past_outage, march_closed):
    response = api(operator).delete(f"/api/v1/bed-outages/{past_outage.pk}/")
    assert response.status_code == 400
    assert "March 2026 is closed" in response.json()["start"][0]
    assert BedOutage.objects.count() == 1


def test_removing_a_past_outage_gives_its_nights_back(api, operator, organization, house, bed, past_outage):
    assert _march_out(organization, house) == 10
    assert api(operator).delete(f"/api/v1/bed-outages/{past_outage.pk}/").status_code == 204
    assert not BedOutage.objects.exists()
    assert _march_out(organization, house) == 0


def test_removing_an_outage_on_the_page(page, operator, house, bed, past_outage):
    response = page(operator).submit(
        f"/dashboard/houses/{house.pk}/beds/{bed.pk}/outages/",
        {},
        form=f"form[action$='/outages/{past_outage.pk}/remove/']",
        follow=True,
    )
    assert "outage removed." in response.content.decode()
    assert not BedOutage.objects.exists()


def test_correcting_the_current_outage_keeps_the_beds_status_fields_in_step(api, operator, bed):
    take_out_of_service(bed, date(2026, 4, 10), date(2026, 4, 20))
    outage = bed.outages.get()
    assert _patch(api, operator, outage, start="2026-04-08", reason="Mold").status_code == 200
    bed.refresh_from_db()
    assert (bed.status, bed.out_of_service_from, bed.out_of_service_until, bed.out_of_service_reason) == (
        "out_of_service", date(2026, 4, 8), date(2026, 4, 20), "Mold"
    )  # fmt: skip


def test_removing_the_current_outage_puts_the_bed_back_in_service(api, operator, bed):
    take_out_of_service(bed, date(2026, 4, 10))
    assert api(operator).delete(f"/api/v1/bed-outages/{bed.outages.get().pk}/").status_code == 204
    bed.refresh_from_db()
    assert (bed.status, bed.out_of_service_from) == ("available", None)


def test_an_outage_recorded_ahead_becomes_the_beds_current_outage(api, operator, bed):
    body = {"bed": bed.pk, "start": "2026-04-20", "reason": "Paint"}
    assert api(operator).post("/api/v1/bed-outages/", body, format="json").status_code == 201
    bed.refresh_from_db()
    assert (bed.status, bed.out_of_service_from, bed.out_of_service_reason) == (
        "out_of_service",
        date(2026, 4, 20),
        "Paint",
    )


def test_an_outage_cannot_move_to_another_bed(api, operator, house, past_outage):
    other = house.beds.order_by("pk")[1]
    response = _patch(api, operator, past_outage, bed=other.pk)
    assert response.status_code == 400
    assert "bed" in response.json()


@pytest.fixture
def world(house, other_house, operator, manager, resident_member, outsider):
    # The second bed: the resident member sleeps in the first one.
    bed, other_bed = house.beds.order_by("pk")[1], other_house.beds.order_by("pk").first()
    return {
        "bed": bed,
        "outage": services.bed_outage_create(
            actor=operator, bed=bed, reason="Leak", start=date(2026, 3, 10), end=date(2026, 3, 20)
        ),
        "other_outage": services.bed_outage_create(
            actor=operator, bed=other_bed, reason="Leak", start=date(2026, 3, 10), end=date(2026, 3, 20)
        ),
        "house": house,
    }


ROLES = ["operator", "manager", "resident_member", "outsider"]
NEW = {"bed": "{bed}", "start": "2026-02-01", "end": "2026-02-05", "reason": "Paint"}
# (method, path template, body, expected status for each of ROLES, in order)
MATRIX = [
    ("get", "/api/v1/bed-outages/{outage}/", None, (200, 200, 403, 404)),
    ("get", "/api/v1/bed-outages/{other_outage}/", None, (200, 404, 403, 404)),
    ("post", "/api/v1/bed-outages/", NEW, (201, 201, 403, 400)),
    ("patch", "/api/v1/bed-outages/{outage}/", {"start": "2026-03-12"}, (200, 200, 403, 404)),
    ("patch", "/api/v1/bed-outages/{other_outage}/", {"start": "2026-03-12"}, (200, 404, 403, 404)),
    ("delete", "/api/v1/bed-outages/{outage}/", None, (204, 204, 403, 404)),
    ("delete", "/api/v1/bed-outages/{other_outage}/", None, (204, 404, 403, 404)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access_to_outages(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[ROLES.index(role)], response.content


@pytest.mark.parametrize(("role", "count"), [("operator", 2), ("manager", 1), ("outsider", 0)])
def test_the_outage_list_shows_only_outages_of_visible_houses(request, api, world, role, count):
    assert api(request.getfixturevalue(role)).get("/api/v1/bed-outages/").json()["count"] == count


def test_a_resident_cannot_list_outages(api, world, resident_member):
    assert api(resident_member).get("/api/v1/bed-outages/").status_code == 403


def test_the_outage_list_filters_by_house_and_bed(api, world, operator):
    client = api(operator)
    by_house = client.get(f"/api/v1/bed-outages/?house={world['house'].pk}").json()["results"]
    by_bed = client.get(f"/api/v1/bed-outages/?bed={world['bed'].pk}").json()["results"]
    assert [row["id"] for row in by_house] == [row["id"] for row in by_bed] == [world["outage"].pk]


@pytest.mark.parametrize(
    ("role", "status"), [("operator", 200), ("manager", 403), ("resident_member", 403), ("outsider", 404)]
)
def test_each_role_gets_exactly_its_access_to_the_outage_page(request, page, world, role, status):
    house, bed = world["house"], world["bed"]
    response = page(request.getfixturevalue(role)).get(f"/dashboard/houses/{house.pk}/beds/{bed.pk}/outages/")
    assert response.status_code == status


def _grow(organization, operator, size):
    for _n in range(size):
        for bed in HouseFactory(organization=organization, beds=2).beds.all():
            services.bed_outage_create(
                actor=operator, bed=bed, reason="Paint", start=date(2026, 2, 1), end=date(2026, 2, 3)
            )


def test_the_outage_list_runs_a_constant_number_of_queries(api, operator, django_assert_max_num_queries):
    client = api(operator)
    _grow(operator.organization, operator, 2)
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/bed-outages/?page_size=200")
    small_count = len(small.captured_queries)
    _grow(operator.organization, operator, 15)
    with django_assert_max_num_queries(small_count):
        assert client.get("/api/v1/bed-outages/?page_size=200").json()["count"] == 34


def test_the_outage_page_runs_a_constant_number_of_queries(page, operator, house, bed, django_assert_max_num_queries):
    client = page(operator)
    url = f"/dashboard/houses/{house.pk}/beds/{bed.pk}/outages/"
    services.bed_outage_create(actor=operator, bed=bed, reason="Paint", start=date(2026, 1, 1), end=date(2026, 1, 3))
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    small_count = len(small.captured_queries)
    for day in range(5, 25, 2):
        services.bed_outage_create(
            actor=operator, bed=bed, reason="Paint", start=date(2026, 2, day), end=date(2026, 2, day + 1)
        )
    with django_assert_max_num_queries(small_count):
        assert client.get(url).status_code == 200
