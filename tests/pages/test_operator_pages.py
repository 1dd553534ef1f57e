"""Operator pages: houses, rooms and beds, staff, organization settings and the audit log."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import AuditEntry, Membership, Organization
from houses.models import Bed, BedOutage, House, Room

HOUSE = {"name": "Cedar House", "gender": "women", "status": "active", "city": "Springfield"}


def test_adding_a_house_opens_it_and_leads_to_its_rooms(page, operator):
    response = page(operator).submit("/dashboard/houses/new/", HOUSE, follow=True)
    house = House.objects.get(name="Cedar House")
    assert house.organization == operator.organization
    assert response.redirect_chain[-1][0] == f"/dashboard/houses/{house.pk}/rooms/"
    assert "Cedar House added." in response.content.decode()


def test_a_house_name_already_used_is_refused_beside_the_name(page, operator, house):
    response = page(operator).submit("/dashboard/houses/new/", {**HOUSE, "name": "maple house"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"name": ["The organization already has a house with this name."]}
    assert House.objects.filter(organization=operator.organization).count() == 1


def test_a_house_without_a_designation_is_refused_and_nothing_written(page, operator):
    response = page(operator).submit(
        "/dashboard/houses/new/", {"name": "Cedar House", "status": "active", "gender": ""}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["gender"]
    assert not House.objects.filter(name="Cedar House").exists()


def test_editing_a_house_saves_it_and_says_so(page, operator, house):
    data = {**HOUSE, "name": "Maple House", "gender": "men", "phone": "555-4444"}
    response = page(operator).submit(f"/dashboard/houses/{house.pk}/edit/", data, follow=True)
    assert "Maple House saved." in response.content.decode()
    house.refresh_from_db()
    assert house.phone == "555-4444"


def test_renaming_a_house_to_another_houses_name_is_refused(page, operator, house, other_house):
    response = page(operator).submit(f"/dashboard/houses/{house.pk}/edit/", {**HOUSE, "name": "Willow House"})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    house.refresh_from_db()
    assert house.name == "Maple House"


def test_the_house_list_shows_capacity_and_managers(page, operator, manager, house):
    body = page(operator).get("/dashboard/houses/").content.decode()
    assert "4 of 4" in body
    assert "Marcus Manager" in body


def test_adding_a_room_and_a_bed(page, operator, house):
    client = page(operator)
    rooms = f"/dashboard/houses/{house.pk}/rooms/"
    response = client.submit(rooms, {"room-name": "Attic", "room-floor": "3"}, button="Add room", follow=True)
    assert "Attic added to Maple House." in response.content.decode()
    attic = Room.objects.get(house=house, name="Attic")
    response = client.submit(rooms, {"bed-room": attic.pk, "bed-label": "Window"}, button="Add bed", follow=True)
    assert "Window added to Attic." in response.content.decode()
    assert attic.beds.get().house == house


def test_a_room_name_used_twice_is_refused_beside_it(page, operator, house):
    response = page(operator).submit(
        f"/dashboard/houses/{house.pk}/rooms/", {"room-name": "room 1", "room-floor": "1"}, button="Add room"
    )
    assert response.status_code == 400
    assert response.context["room_form"].errors == {"name": ["This house already has a room with this name."]}
    assert 'id="id_room-name_error"' in response.content.decode()
    assert house.rooms.count() == 1


def test_a_bed_cannot_be_added_to_a_room_of_another_house(page, operator, house, other_house):
    foreign_room = other_house.rooms.first()
    response = page(operator).submit(
        f"/dashboard/houses/{house.pk}/rooms/", {"bed-room": foreign_room.pk, "bed-label": "Cot"}, button="Add bed"
    )
    assert response.status_code == 400
    assert "room" in response.context["bed_form"].errors
    assert not Bed.objects.filter(label="Cot").exists()


def test_a_bed_label_used_twice_in_a_room_is_refused(page, operator, house):
    room = house.rooms.first()
    response = page(operator).submit(
        f"/dashboard/houses/{house.pk}/rooms/", {"bed-room": room.pk, "bed-label": "Bed 1"}, button="Add bed"
    )
    assert response.status_code == 400
    assert response.context["bed_form"].errors == {"label": ["This room already has a bed with this label."]}


def test_taking_a_bed_out_of_service_and_returning_it(page, operator, house):
    bed = house.beds.order_by("pk").last()
    today = operator.organization.today()
    client = page(operator)
    outage = {"out_of_service_reason": "New mattress", "out_of_service_from": today,
              "out_of_service_until": today + timedelta(days=3)}  # fmt: skip
    response = client.submit(f"/dashboard/houses/{house.pk}/beds/{bed.pk}/out-of-service/", outage, follow=True)
    assert "is out of service." in response.content.decode()
    bed.refresh_from_db()
    assert (bed.status, bed.out_of_service_reason) == ("out_of_service", "New mattress")
    assert BedOutage.objects.filter(bed=bed).exists()
    back = f"form[action$='/beds/{bed.pk}/back-in-service/']"
    response = client.submit(f"/dashboard/houses/{house.pk}/rooms/", form=back, follow=True)
    assert "is back in service." in response.content.decode()
    bed.refresh_from_db()
    assert bed.status == "available"


def test_the_beds_own_rules_put_each_outage_error_beside_its_field(page, operator, house):
    bed = house.beds.order_by("pk").last()
    response = page(operator).submit(
        f"/dashboard/houses/{house.pk}/beds/{bed.pk}/out-of-service/",
        {"out_of_service_reason": "", "out_of_service_from": "2026-03-10", "out_of_service_until": "2026-03-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "out_of_service_reason": ["Say why the bed is out of service."],
        "out_of_service_until": ["The return date must be after the start date."],
    }
    bed.refresh_from_db()
    assert bed.status == "available"
    assert not BedOutage.objects.filter(bed=bed).exists()


def test_returning_a_bed_already_in_service_is_refused_with_a_message(page, operator, house):
    bed = house.beds.first()
    client, rooms = page(operator), f"/dashboard/houses/{house.pk}/rooms/"
    client.submit(f"/dashboard/houses/{house.pk}/beds/{bed.pk}/out-of-service/", {"out_of_service_reason": "Paint"})
    back = f"form[action$='/beds/{bed.pk}/back-in-service/']"
    second_tab = client.load_form(rooms, form=back)
    client.submit(rooms, form=back)
    response = second_tab()
    assert response.status_code == 400
    assert "This bed is already in service." in response.content.decode()


def test_inviting_a_manager_emails_them_and_assigns_their_houses(
    page, operator, house, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = page(operator).submit(
            "/dashboard/staff/",
            {"email": "new.manager@example.org", "full_name": "Nia New", "role": "manager", "houses": [house.pk]},
            button="Send invitation",
            follow=True,
        )
    assert "Invitation sent to new.manager@example.org." in response.content.decode()
    membership = Membership.objects.get(user__email="new.manager@example.org")
    assert list(membership.houses.all()) == [house]
    assert mail.outbox[-1].to == ["new.manager@example.org"]


def test_inviting_someone_already_in_the_organization_is_refused_beside_the_email(page, operator, manager):
    before = Membership.objects.count()
    invite = {"email": manager.user.email, "role": "manager"}
    response = page(operator).submit("/dashboard/staff/", invite, button="Send invitation")
    assert response.status_code == 400
    assert response.context["invite_form"].errors == {"email": ["This person is already a member of the organization."]}
    assert Membership.objects.count() == before


def test_an_operator_is_not_given_houses(page, operator, house):
    response = page(operator).submit(
        "/dashboard/staff/",
        {"email": "op2@example.org", "role": "operator", "houses": [house.pk]},
        button="Send invitation",
    )
    assert response.status_code == 400
    assert response.context["invite_form"].errors == {"houses": ["Only managers are assigned to houses."]}
    assert not Membership.objects.filter(user__email="op2@example.org").exists()


def test_assigning_houses_to_a_manager(page, operator, manager, house, other_house):
    response = page(operator).submit(
        f"/dashboard/staff/{manager.pk}/", {"houses": [other_house.pk]}, button="Save houses", follow=True
    )
    assert "Houses of Marcus Manager saved." in response.content.decode()
    assert list(manager.houses.all()) == [other_house]


def test_a_house_of_another_organization_cannot_be_assigned(page, operator, manager, foreign_house):
    response = page(operator).submit(
        f"/dashboard/staff/{manager.pk}/", {"houses": [foreign_house.pk]}, button="Save houses"
    )
    assert response.status_code == 400
    assert "houses" in response.context["form"].errors
    assert manager.houses.count() == 1


def test_deactivating_and_reactivating_a_manager(page, operator, manager):
    client = page(operator)
    response = client.submit(f"/dashboard/staff/{manager.pk}/", button="Deactivate", follow=True)
    assert "is deactivated" in response.content.decode()
    manager.refresh_from_db()
    assert not manager.is_active
    client.submit(f"/dashboard/staff/{manager.pk}/", button="Reactivate")
    manager.refresh_from_db()
    assert manager.is_active


def test_an_operator_cannot_deactivate_themselves(page, operator):
    client = page(operator)
    assert "Deactivate" not in client.get(f"/dashboard/staff/{operator.pk}/").content.decode()
    # Their own page offers no such form, so only a crafted request can try it; the rule still holds.
    response = client.post(f"/dashboard/staff/{operator.pk}/active/", {"active": "no"})
    assert response.status_code == 400
    assert "You cannot change your own role or deactivate yourself." in response.content.decode()
    operator.refresh_from_db()
    assert operator.is_active


def test_the_staff_list_filters_by_role(page, operator, manager, resident_member):
    response = page(operator).get("/dashboard/staff/?role=manager")
    assert [member.pk for member in response.context["page_obj"].object_list] == [manager.pk]


def test_changing_the_organization_settings(page, operator):
    data = {"name": "Second Wind Homes", "timezone": "America/Denver", "currency": "CAD"}
    response = page(operator).submit("/dashboard/settings/", data, follow=True)
    assert "Organization settings saved." in response.content.decode()
    organization = Organization.objects.get(pk=operator.organization_id)
    assert (organization.name, organization.timezone, organization.currency) == (
        "Second Wind Homes",
        "America/Denver",
        "CAD",
    )


def test_a_bad_currency_and_time_zone_are_shown_beside_them_and_nothing_saved(page, operator):
    data = {"name": "Renamed", "timezone": "Mars/Olympus", "currency": "dollars"}
    response = page(operator).submit("/dashboard/settings/", data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"timezone", "currency"}
    assert Organization.objects.get(pk=operator.organization_id).name == "Second Wind"


def _entry(organization, actor, *, action="view", object_type="residents.drugtest", days_ago=0):
    return AuditEntry.objects.create(
        organization=organization, actor=actor, action=action, object_type=object_type, object_id="7",
        at=timezone.now() - timedelta(days=days_ago),
    )  # fmt: skip


def test_the_audit_log_filters_by_actor_action_type_and_dates(page, operator, manager, outsider):
    organization = operator.organization
    _entry(organization, manager.user)
    _entry(organization, operator.user, action="update")
    _entry(organization, manager.user, object_type="residents.incident", days_ago=10)
    _entry(outsider.organization, outsider.user)
    client = page(operator)

    def count(query):
        return client.get(f"/dashboard/audit/?{query}").context["page_obj"].paginator.count

    assert count("") == 3
    assert count(f"actor={manager.user.pk}") == 2
    assert count("action=update") == 1
    assert count("object_type=residents.incident") == 1
    today = organization.today()
    assert count(f"since={today - timedelta(days=1)}") == 2
    assert count(f"until={today - timedelta(days=5)}") == 1


def test_an_audit_range_that_ends_before_it_starts_is_shown_beside_the_end(page, operator):
    response = page(operator).get("/dashboard/audit/?since=2026-03-10&until=2026-03-01")
    assert response.status_code == 400
    assert response.context["form"].errors == {"until": ["The end of the range must not be before its start."]}


def test_the_audit_log_is_read_only(page, operator):
    # Its only form is a GET filter; this checks that nothing answers a POST at all.
    assert page(operator).post("/dashboard/audit/").status_code == 405


def test_another_organizations_member_is_not_offered_as_an_audit_actor(page, operator, outsider):
    actors = page(operator).get("/dashboard/audit/").context["form"].fields["actor"].queryset
    assert outsider.user not in actors
