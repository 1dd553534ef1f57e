"""A closed month is frozen beyond the ledger: admissions, discharges, transfers, outages, bed and house dates, drug
tests and incidents dated into it are refused (400 naming the closed month, nothing written), so its figures stay the
ones its stored PDF was made from (issue 12, requirement 7). Today is June 15, 2026; the books are closed through
May."""

from datetime import date

import pytest

from accounts.closing import MonthClosed
from houses import services as house_services
from houses.models import Bed, BedOutage, House
from reports.metrics import Month, fingerprint, monthly_metrics
from reports.models import MonthClose
from reports.services import month_close
from residents.conduct.services.incidents import incident_update
from residents.core.services.stays import stay_admit
from residents.models import BedAssignment, DrugTest, Incident, Stay, TestRequest
from residents.testing.services import drug_tests as test_services
from tests.clock import local_moment, module_clock
from tests.factories import take_out_of_service

from ..residents.drug_tests_factories import moment, record_incident, record_test

_clock = module_clock(local_moment(2026, 6, 15))

MAY = "May 2026 is closed"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def spring(organization, operator, house, other_house, resident_factory):
    """Maple House with a resident since March 1 (a test request of hers due May 28 still open, a May test pending
    its lab result), an outage running since May 25 on another bed, and Willow House empty; then April and May
    closed. A newcomer waits to be admitted."""
    maple, willow = list(house.beds.order_by("pk")), list(other_house.beds.order_by("pk"))
    stay = stay_admit(actor=operator, resident=resident_factory(), bed=maple[0], on=date(2026, 3, 1))
    request = TestRequest.objects.create(
        organization=organization, resident=stay.resident, stay=stay, house=house, reason="scheduled",
        requested_on=date(2026, 5, 1), due_on=date(2026, 5, 28),
    )  # fmt: skip
    pending = record_test(operator, stay.resident, on=date(2026, 5, 12), result="pending_lab")
    take_out_of_service(maple[1], date(2026, 5, 25), date(2026, 6, 20))
    month_close(actor=operator, organization=organization, month=Month(2026, 4))
    month_close(actor=operator, organization=organization, month=Month(2026, 5))
    return {
        "stay": stay, "maple": maple, "willow": willow, "request": request, "pending": pending,
        "newcomer": resident_factory(), "house": house, "other_house": other_house,
    }  # fmt: skip


def _history():
    """Every row a month's figures are computed from, as stored."""
    return (
        list(Stay.objects.order_by("pk").values()),
        list(BedAssignment.objects.order_by("pk").values()),
        list(BedOutage.objects.order_by("pk").values()),
        list(Bed.objects.order_by("pk").values("in_service_from", "retired_on", "status")),
        list(House.objects.order_by("pk").values("opened_on", "closed_on", "status")),
        list(DrugTest.objects.order_by("pk").values("collected_at", "result")),
        list(TestRequest.objects.order_by("pk").values("status")),
    )


# (name, how to send it, the field the error is shown beside)
ATTEMPTS = {
    "an admission": (
        lambda s: ("post", "/api/v1/stays/admit/",
                   {"resident": s["newcomer"].pk, "bed": s["maple"][2].pk, "on": "2026-05-20"}),
        "on",
    ),
    "a discharge": (
        lambda s: ("post", f"/api/v1/stays/{s['stay'].pk}/discharge/", {"on": "2026-05-25", "reason": "completed"}),
        "on",
    ),
    "a transfer": (
        lambda s: ("post", f"/api/v1/stays/{s['stay'].pk}/transfer/", {"bed": s["willow"][0].pk, "on": "2026-05-10"}),
        "on",
    ),
    "an outage": (
        lambda s: ("patch", f"/api/v1/beds/{s['maple'][2].pk}/",
                   {"status": "out_of_service", "out_of_service_reason": "Leak",
                    "out_of_service_from": "2026-05-03", "out_of_service_until": "2026-05-09"}),
        "out_of_service_from",
    ),
    "a bed retirement": (
        lambda s: ("patch", f"/api/v1/beds/{s['maple'][3].pk}/", {"retired_on": "2026-05-15"}),
        "retired_on",
    ),
    "a house closing": (
        lambda s: ("patch", f"/api/v1/houses/{s['other_house'].pk}/", {"closed_on": "2026-05-31"}),
        "closed_on",
    ),
    "a drug test": (
        lambda s: ("post", "/api/v1/drug-tests/",
                   {"resident": s["stay"].resident.pk, "collected_at": "2026-05-20T09:00:00-05:00",
                    "method": "urine_cup", "reason": "random", "panel": ["thc"], "result": "negative"}),
        "collected_at",
    ),
}  # fmt: skip


def _send(client, spring, name):
    method, path, body = ATTEMPTS[name][0](spring)
    return getattr(client, method)(path, body, format="json")


@pytest.mark.parametrize("name", list(ATTEMPTS))
def test_a_change_dated_into_a_closed_month_is_refused_naming_it_and_nothing_is_written(api, operator, spring, name):
    before = _history()
    response = _send(api(operator), spring, name)
    assert response.status_code == 400
    message = response.json()[ATTEMPTS[name][1]][0]
    assert message.startswith(f"{MAY}; ")
    assert "Jun 1, 2026" in message
    assert _history() == before


def test_a_discharge_dated_into_a_closed_month_from_its_page_shows_why_beside_the_date(page, manager, spring):
    stay = spring["stay"]
    response = page(manager).submit(f"/dashboard/stays/{stay.pk}/discharge/", {"on": "2026-05-25", "reason": "other"})
    assert response.status_code == 400
    assert response.context["form"].errors["on"] == [
        "May 2026 is closed; a discharge cannot be dated May 25, 2026. Date it Jun 1, 2026 or later, or ask an "
        "operator to reopen May 2026."
    ]
    stay.refresh_from_db()
    assert stay.is_open


def test_an_earlier_closed_month_is_named_too(api, operator, spring):
    response = api(operator).post(
        f"/api/v1/stays/{spring['stay'].pk}/discharge/", {"on": "2026-04-02", "reason": "completed"}, format="json"
    )
    assert response.json()["on"][0].startswith("April 2026 is closed; a discharge cannot be dated Apr 2, 2026.")


def test_the_closed_months_figures_stay_as_stored_after_every_refused_change_and_valid_ones_today(
    api, operator, organization, spring
):
    client = api(operator)
    shown = client.get("/api/v1/reports/monthly/?month=2026-05").json()
    for name in ATTEMPTS:
        assert _send(client, spring, name).status_code == 400, name
    # Valid changes dated today: an admission, a bed retired from tonight, and a test that answers the request due
    # in May (late: May counts it overdue, not done).
    today = "2026-06-15"
    body = {"resident": spring["newcomer"].pk, "bed": spring["maple"][2].pk, "on": today}
    assert client.post("/api/v1/stays/admit/", body, format="json").status_code == 201
    retired = client.patch(f"/api/v1/beds/{spring['maple'][3].pk}/", {"retired_on": today}, format="json")
    assert retired.status_code == 200
    record_test(operator, spring["stay"].resident, on=date(2026, 6, 15))
    spring["request"].refresh_from_db()
    assert spring["request"].status == TestRequest.Status.FULFILLED

    assert client.get("/api/v1/reports/monthly/?month=2026-05").json() == shown
    close = MonthClose.objects.get(month=date(2026, 5, 1))  # the stored PDF was made from these very figures
    assert fingerprint(monthly_metrics(organization=organization, month=Month(2026, 5))) == close.report.fingerprint


def test_the_first_open_day_takes_a_discharge(api, operator, spring):
    response = api(operator).post(
        f"/api/v1/stays/{spring['stay'].pk}/discharge/", {"on": "2026-06-01", "reason": "completed"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["move_out"] == "2026-06-01"


def test_an_outage_that_began_in_a_closed_month_keeps_its_start_but_its_return_can_move(operator, spring):
    bed = spring["maple"][1]
    with pytest.raises(MonthClosed, match=r"^May 2026 is closed; the outage on May 25, 2026 is part of it"):
        house_services.bed_take_out_of_service(
            actor=operator, bed=bed, reason="Leak", start=date(2026, 5, 27), until=date(2026, 6, 20)
        )
    house_services.bed_take_out_of_service(
        actor=operator, bed=bed, reason="Leak", start=date(2026, 5, 25), until=date(2026, 6, 25)
    )
    assert list(BedOutage.objects.filter(bed=bed).values_list("start", "end")) == [
        (date(2026, 5, 25), date(2026, 6, 25))
    ]


def test_a_bed_retired_in_a_closed_month_stays_retired(operator, spring):
    bed = spring["maple"][3]
    Bed.objects.filter(pk=bed.pk).update(retired_on=date(2026, 5, 15))  # retired before the close
    with pytest.raises(MonthClosed, match="May 2026 is closed; the bed's retirement on May 15, 2026 is part of it"):
        house_services.bed_unretire(actor=operator, bed=bed)
    bed.refresh_from_db()
    assert bed.retired_on == date(2026, 5, 15)


def test_an_incident_dated_into_a_closed_month_is_refused(operator, spring):
    with pytest.raises(MonthClosed, match="May 2026 is closed; an incident cannot be dated May 30, 2026"):
        record_incident(operator, spring["house"], on=date(2026, 5, 30), residents=[spring["stay"].resident])
    assert not Incident.objects.exists()


def test_an_incident_of_a_closed_month_keeps_its_severity_but_its_wording_can_be_corrected(
    operator, organization, spring
):
    Incident.objects.create(
        organization=organization, house=spring["house"], occurred_at=moment(organization, date(2026, 5, 30), 22),
        category="curfew", severity="low", what_happened="Late.", reported_by=operator.user,
    )  # fmt: skip
    incident = Incident.objects.get()
    with pytest.raises(MonthClosed, match="May 2026 is closed; a change to this incident"):
        incident_update(actor=operator, incident=incident, severity="high")
    incident_update(actor=operator, incident=incident, what_happened="Came in 40 minutes late.")
    incident.refresh_from_db()
    assert (incident.severity, incident.what_happened) == ("low", "Came in 40 minutes late.")


def test_the_lab_result_of_a_test_collected_in_a_closed_month_is_refused(api, operator, spring):
    pending = spring["pending"]
    response = api(operator).post(f"/api/v1/drug-tests/{pending.pk}/complete/", {"result": "negative"}, format="json")
    assert response.status_code == 400
    assert response.json()["result"][0].startswith("May 2026 is closed; the result of a test collected May 12, 2026")
    pending.refresh_from_db()
    assert pending.result == "pending_lab"


def test_a_request_due_in_a_closed_month_cannot_be_cancelled(operator, spring):
    with pytest.raises(MonthClosed, match="May 2026 is closed, and this request was due May 28, 2026"):
        test_services.test_request_cancel(actor=operator, request=spring["request"], reason="Left early")
    spring["request"].refresh_from_db()
    assert spring["request"].status == TestRequest.Status.OPEN
