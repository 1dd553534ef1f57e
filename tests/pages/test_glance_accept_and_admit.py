"""Each waitlist row's one action, "Accept and admit to bed…": it accepts the application (if not yet accepted) and
admits the applicant to the free bed and move-in date chosen, linking the application to the new resident."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine

from residents.core.services.applications import application_move
from residents.core.services.stays import stay_admit, stay_discharge
from residents.models import Application, ApplicationEvent
from tests.factories import ResidentFactory

from .conftest import waiting_applicant

NOW = datetime(2026, 3, 11, 15, 0, tzinfo=ZoneInfo("America/Chicago"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _wednesday_afternoon():
    with time_machine.travel(NOW, tick=False):
        yield


def _waitlist(house):
    return f"/dashboard/houses/{house.pk}/waitlist/"


def _action_href(html: str, applicant: str) -> str:
    """The href of the row action of ``applicant`` (its hidden words name them), checking it is the row's only one."""
    document = lxml.html.fromstring(html)
    for row in document.cssselect("tbody tr"):
        if applicant in row.text_content():
            [action] = row.cssselect("td.row-actions a")
            assert " ".join(action.text_content().split()) == f"Accept and admit to bed… {applicant}"
            return action.get("href")
    raise AssertionError(f"no row for {applicant}")


def test_every_waitlist_row_has_one_action_accept_and_admit_to_bed(page, manager, operator, house):
    waitlisted = waiting_applicant(operator, house=house, accepted=False, first_name="Wes", last_name="Waite")
    accepted = waiting_applicant(operator, house=house, first_name="Ada", last_name="Accepted")
    html = page(manager).get(_waitlist(house)).content.decode()
    assert _action_href(html, "Wes Waite") == f"/dashboard/applications/{waitlisted.pk}/admit/"
    assert _action_href(html, "Ada Accepted") == f"/dashboard/applications/{accepted.pk}/admit/"


def test_the_applications_list_offers_the_action_on_waiting_rows_only(page, manager, operator, house):
    waiting_applicant(operator, house=house, accepted=False, first_name="Wes", last_name="Waite")
    html = page(manager).get("/dashboard/applications/").content.decode()
    assert _action_href(html, "Wes Waite")
    declined = waiting_applicant(operator, house=house, accepted=False, first_name="Del", last_name="Clined")
    application_move(actor=operator, application=declined, to="declined", note="No bed fits their needs")
    document = lxml.html.fromstring(page(manager).get("/dashboard/applications/").content.decode())
    [row] = [row for row in document.cssselect("tbody tr") if "Del Clined" in row.text_content()]
    assert row.cssselect("td.row-actions a") == []


def test_accepting_and_admitting_a_waitlisted_applicant_fills_the_bed_and_links_the_application(
    page, manager, operator, house
):
    application = waiting_applicant(operator, house=house, accepted=False, first_name="Wes", last_name="Waite")
    bed = house.beds.order_by("pk").last()
    client = page(manager)
    admit_page = _action_href(client.get(_waitlist(house)).content.decode(), "Wes Waite")
    response = client.submit(
        admit_page, {"bed": str(bed.pk), "on": TODAY.isoformat()}, button="Accept and admit", follow=True
    )
    assert response.redirect_chain[-1][0] == f"/dashboard/houses/{house.pk}/beds/"
    body = " ".join(response.content.decode().split())
    assert f"Wes Waite admitted to Maple House, {bed.room.name} · {bed.label} from Mar 11, 2026." in body
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert application.resident.display_name == "Wes Waite"
    assert bed.assignments.get().stay.resident == application.resident
    steps = list(ApplicationEvent.objects.filter(application=application).values_list("to_status", flat=True))
    assert steps[-2:] == ["accepted", "admitted"]


def test_an_accepted_applicant_is_admitted_without_being_accepted_twice(page, manager, operator, house):
    application = waiting_applicant(operator, house=house, first_name="Ada", last_name="Accepted")
    bed = house.beds.order_by("pk").last()
    url = f"/dashboard/applications/{application.pk}/admit/"
    page(manager).submit(url, {"bed": str(bed.pk), "on": TODAY.isoformat()}, button="Admit")
    steps = list(ApplicationEvent.objects.filter(application=application).values_list("to_status", flat=True))
    assert steps.count("accepted") == 1
    assert steps[-1] == "admitted"


def test_the_page_offers_only_free_beds_of_the_house_asked_for(page, manager, operator, house, other_house):
    manager.houses.add(other_house)
    occupant = ResidentFactory(organization=house.organization)
    taken = house.beds.order_by("pk").first()
    stay_admit(actor=operator, resident=occupant, bed=taken, on=TODAY - timedelta(days=10))
    application = waiting_applicant(operator, house=house, accepted=False)
    html = page(manager).get(f"/dashboard/applications/{application.pk}/admit/").content.decode()
    offered = {option.get("value") for option in lxml.html.fromstring(html).cssselect("select[name=bed] option")}
    assert offered == {""} | {str(bed.pk) for bed in house.beds.exclude(pk=taken.pk)}


def test_a_move_in_date_when_the_bed_was_taken_is_refused_and_the_application_stays_waitlisted(
    page, manager, operator, house
):
    bed = house.beds.order_by("pk").first()
    stay = stay_admit(
        actor=operator, resident=ResidentFactory(organization=house.organization), bed=bed,
        on=TODAY - timedelta(days=30),
    )  # fmt: skip
    stay_discharge(actor=operator, stay=stay, on=TODAY - timedelta(days=2), reason="completed")
    application = waiting_applicant(operator, house=house, accepted=False)
    url = f"/dashboard/applications/{application.pk}/admit/"
    on = (TODAY - timedelta(days=10)).isoformat()
    response = page(manager).submit(url, {"bed": str(bed.pk), "on": on}, button="Accept and admit")
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.WAITLISTED
    assert application.resident is None


def test_an_application_already_admitted_goes_back_to_its_page_saying_why(page, manager, operator, house):
    application = waiting_applicant(operator, house=house)
    bed = house.beds.order_by("pk").last()
    url = f"/dashboard/applications/{application.pk}/admit/"
    client = page(manager)
    client.submit(url, {"bed": str(bed.pk), "on": TODAY.isoformat()}, button="Admit")
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == f"/dashboard/applications/{application.pk}/"
    assert "This application is admitted: only a waiting application can be accepted and admitted." in (
        response.content.decode()
    )


def test_a_manager_cannot_open_the_admit_page_of_an_application_for_a_house_they_do_not_run(
    page, manager, operator, other_house
):
    application = waiting_applicant(operator, house=other_house)
    assert page(manager).get(f"/dashboard/applications/{application.pk}/admit/").status_code == 404


def test_a_waiting_applications_own_page_offers_accept_and_admit_to_bed(page, manager, operator, house):
    application = waiting_applicant(operator, house=house, accepted=False)
    html = page(manager).get(f"/dashboard/applications/{application.pk}/").content.decode()
    anchors = lxml.html.fromstring(html).cssselect("main a")
    links = [a for a in anchors if a.text_content() == "Accept and admit to bed…"]
    assert [link.get("href") for link in links] == [f"/dashboard/applications/{application.pk}/admit/"]
