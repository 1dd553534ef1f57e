"""Applications: the list and its filters, a new application, an application's history and next steps."""

from residents.core.services.applications import application_move
from residents.models import Application, ApplicationEvent

from .conftest import waiting_applicant


def _people(response):
    return [application.first_name for application in response.context["page_obj"].object_list]


def test_the_list_filters_by_status_and_house(page, operator, house, other_house):
    waiting_applicant(operator, house=house, first_name="Ann")
    waiting_applicant(operator, house=other_house, first_name="Bea", accepted=False)
    waiting_applicant(operator, house=None, first_name="Cal", preferred_gender="men")
    client = page(operator)
    assert _people(client.get("/dashboard/applications/?status=accepted")) == ["Ann", "Cal"]
    assert _people(client.get("/dashboard/applications/?status=waiting")) == ["Ann", "Bea", "Cal"]
    assert _people(client.get(f"/dashboard/applications/?house={house.pk}")) == ["Ann"]
    assert _people(client.get("/dashboard/applications/?house=none")) == ["Cal"]


def test_a_manager_sees_applications_for_their_houses_and_the_open_pool(page, manager, operator, house, other_house):
    waiting_applicant(operator, house=house, first_name="Ann")
    waiting_applicant(operator, house=other_house, first_name="Bea")
    waiting_applicant(operator, house=None, first_name="Cal")
    assert _people(page(manager).get("/dashboard/applications/")) == ["Ann", "Cal"]


def test_an_empty_list_says_how_to_start(page, manager):
    body = page(manager).get("/dashboard/applications/").content.decode()
    assert "No applications yet" in body
    assert "/dashboard/applications/new/" in body


def test_a_new_application_is_recorded_and_says_so(page, manager, house):
    data = {"first_name": "Quinn", "last_name": "Park", "phone": "555-0000", "preferred_house": house.pk,
            "payer": "self", "applied_on": "2026-03-01"}  # fmt: skip
    response = page(manager).submit("/dashboard/applications/new/", data, follow=True)
    application = Application.objects.get(last_name="Park")
    assert response.redirect_chain[-1][0] == f"/dashboard/applications/{application.pk}/"
    assert "Application from Quinn Park recorded." in response.content.decode()
    assert application.status == Application.Status.NEW
    assert application.events.count() == 1


def test_an_application_with_no_way_to_reach_the_person_is_refused_beside_phone(page, manager):
    data = {"first_name": "Quinn", "last_name": "Park", "phone": "", "payer": "self", "applied_on": "2026-03-01"}
    response = page(manager).submit("/dashboard/applications/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {"phone": ["Give a phone number or an e-mail to reach the applicant."]}
    assert 'value="Quinn"' in response.content.decode()
    assert not Application.objects.exists()


def test_a_manager_cannot_apply_someone_to_a_house_they_do_not_run(page, manager, other_house):
    data = {"first_name": "Q", "last_name": "P", "phone": "1", "payer": "self", "applied_on": "2026-03-01",
            "preferred_house": other_house.pk}  # fmt: skip
    response = page(manager).submit("/dashboard/applications/new/", data)
    assert response.status_code == 400
    assert "preferred_house" in response.context["form"].errors
    assert not Application.objects.exists()


def test_the_application_page_shows_its_dated_history_and_only_allowed_next_steps(page, manager, operator, house):
    application = waiting_applicant(operator, house=house, accepted=False)
    response = page(manager).get(f"/dashboard/applications/{application.pk}/")
    body = response.content.decode()
    assert [event.to_status for event in response.context["events"]] == ["new", "waitlisted"]
    assert "<time datetime=" in body
    buttons = {value for value, _label in response.context["next_statuses"]}
    # Declining has its own form, which asks for the reason.
    assert buttons | {"declined"} == Application.TRANSITIONS[Application.Status.WAITLISTED]
    assert response.context["can_decline"]
    assert 'name="status" value="accepted"' in body
    assert 'name="status" value="screening"' not in body


def test_moving_an_application_records_the_step_and_says_so(page, manager, operator, house):
    application = waiting_applicant(operator, house=house, accepted=False)
    response = page(manager).submit(
        f"/dashboard/applications/{application.pk}/", {"note": "Interviewed"}, button="Accept", follow=True
    )
    assert "Application is now accepted." in response.content.decode()
    event = application.events.latest("at")
    assert (event.from_status, event.to_status, event.note, event.actor) == (
        "waitlisted", "accepted", "Interviewed", manager.user,
    )  # fmt: skip


def test_a_step_that_is_not_allowed_is_refused_and_nothing_is_written(page, manager, operator, house):
    application = waiting_applicant(operator, house=house, accepted=False)
    client, url = page(manager), f"/dashboard/applications/{application.pk}/"
    second_tab = client.load_form(url, button="Accept")  # loaded while Accept is still offered
    application_move(actor=operator, application=application, to="declined", note="No bed fits their needs")
    events = ApplicationEvent.objects.count()
    response = second_tab()
    assert response.status_code == 400
    assert "An application that is declined cannot become accepted." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert ApplicationEvent.objects.count() == events


def test_a_finished_application_offers_no_next_step(page, manager, operator, house):
    application = waiting_applicant(operator, house=house, accepted=False)
    page(manager).submit(
        f"/dashboard/applications/{application.pk}/", {"reason": "No bed fits their needs"}, button="Decline"
    )
    body = page(manager).get(f"/dashboard/applications/{application.pk}/").content.decode()
    assert "it has no further steps" in body
    assert 'name="status"' not in body


def test_an_accepted_application_points_to_the_bed_board(page, manager, operator, house):
    application = waiting_applicant(operator, house=house)
    body = page(manager).get(f"/dashboard/applications/{application.pk}/").content.decode()
    assert f"/dashboard/houses/{house.pk}/beds/" in body
