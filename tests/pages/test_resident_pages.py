"""The residents list (search, filters, pages) and a resident's page (profile, stays and beds, portal login)."""

from datetime import date

from django.core import mail

from accounts.models import Membership
from residents.core.services.stays import stay_admit, stay_discharge, stay_transfer
from residents.models import Resident


def _names(response):
    return [resident.legal_last_name for resident in response.context["page_obj"].object_list]


def test_the_list_searches_names_phones_and_emails(page, manager, resident_factory):
    # Never admitted, so found once the search looks beyond people living here now.
    resident_factory(legal_first_name="Ada", legal_last_name="Lovelace", phone="555-1111")
    resident_factory(legal_first_name="Bob", legal_last_name="Builder", email="bob@site.test")
    client = page(manager)
    assert _names(client.get("/dashboard/residents/?status=all&q=love")) == ["Lovelace"]
    assert _names(client.get("/dashboard/residents/?status=all&q=555-1111")) == ["Lovelace"]
    assert _names(client.get("/dashboard/residents/?status=all&q=bob@site")) == ["Builder"]
    assert _names(client.get("/dashboard/residents/?status=all&q=ada+lovelace")) == ["Lovelace"]


def test_the_list_filters_by_status_the_same_way_as_the_api(page, api, manager, house, resident_factory):
    current = resident_factory(legal_last_name="Current")
    past = resident_factory(legal_last_name="Past")
    resident_factory(legal_last_name="Never")
    beds = list(house.beds.order_by("pk"))
    stay_admit(actor=manager, resident=current, bed=beds[0], on=date(2026, 1, 1))
    stay = stay_admit(actor=manager, resident=past, bed=beds[1], on=date(2026, 1, 1))
    stay_discharge(actor=manager, stay=stay, on=date(2026, 2, 1), reason="completed")
    for status, expected in [("current", ["Current"]), ("past", ["Past"]), ("never", ["Never"])]:
        assert _names(page(manager).get(f"/dashboard/residents/?status={status}")) == expected
        from_api = [
            row["legal_last_name"] for row in api(manager).get(f"/api/v1/residents/?status={status}").json()["results"]
        ]
        assert from_api == expected


def test_the_list_filters_by_house(page, operator, house, other_house, resident_factory):
    here, there = resident_factory(legal_last_name="Here"), resident_factory(legal_last_name="There")
    stay_admit(actor=operator, resident=here, bed=house.beds.first(), on=date(2026, 1, 1))
    stay_admit(actor=operator, resident=there, bed=other_house.beds.first(), on=date(2026, 1, 1))
    assert _names(page(operator).get(f"/dashboard/residents/?house={house.pk}")) == ["Here"]


def test_the_list_shows_twenty_five_a_page_with_page_links(page, operator, resident_factory):
    for number in range(30):
        resident_factory(legal_last_name=f"Person{number:02d}")
    client = page(operator)
    first = client.get("/dashboard/residents/?status=never")
    assert len(first.context["page_obj"].object_list) == 25
    assert 'href="?status=never&amp;page=2"' in first.content.decode()
    assert len(client.get("/dashboard/residents/?status=never&page=2").context["page_obj"].object_list) == 5


def test_a_filter_with_no_match_says_how_to_widen_it(page, manager):
    body = page(manager).get("/dashboard/residents/?q=nobody-at-all").content.decode()
    assert "No resident matches these filters" in body


def test_an_unknown_filter_value_is_shown_beside_its_field(page, manager):
    response = page(manager).get("/dashboard/residents/?status=sometimes")
    assert response.status_code == 400
    assert "status" in response.context["form"].errors


def test_the_resident_page_has_its_sections(page, manager, resident_member):
    resident = resident_member.resident
    body = page(manager).get(f"/dashboard/residents/{resident.pk}/").content.decode()
    for heading in [
        'id="profile-heading">Profile',
        'id="stays-heading">Stays and beds',
        'id="portal-heading">Portal login',
    ]:
        assert heading in body
    used = {template.name for template in page(manager).get(f"/dashboard/residents/{resident.pk}/").templates}
    assert {f"residents/resident/{name}" for name in ["_profile.html", "_stays.html", "_portal_login.html"]} <= used


def test_the_stays_section_lists_every_stay_with_its_beds(page, operator, house, other_house, resident_factory):
    person = resident_factory(legal_first_name="Tess", legal_last_name="Moved")
    beds = list(house.beds.order_by("pk"))
    old = stay_admit(actor=operator, resident=person, bed=beds[0], on=date(2025, 6, 1))
    stay_discharge(actor=operator, stay=old, on=date(2025, 8, 1), reason="relapse")
    stay = stay_admit(actor=operator, resident=person, bed=beds[1], on=date(2026, 1, 1))
    stay_transfer(actor=operator, stay=stay, bed=other_house.beds.first(), on=date(2026, 2, 1))
    response = page(operator).get(f"/dashboard/residents/{person.pk}/")
    body = response.content.decode()
    assert [s.move_in for s in response.context["stays"]] == [date(2026, 1, 1), date(2025, 6, 1)]
    assert "Relapse" in body
    assert f"{beds[1].room.name} · {beds[1].label}" in body
    assert f"{other_house.beds.first().label}" in body


def test_editing_the_profile_saves_it_and_says_so(page, manager, resident_member):
    resident = resident_member.resident
    data = {"legal_first_name": "Michael", "legal_last_name": "Johnson", "preferred_name": "Mike", "payer": "self",
            "phone": "555-9999"}  # fmt: skip
    response = page(manager).submit(f"/dashboard/residents/{resident.pk}/", data, button="Save profile", follow=True)
    assert "Profile saved." in response.content.decode()
    resident.refresh_from_db()
    assert (resident.preferred_name, resident.phone) == ("Mike", "555-9999")


def test_an_agency_payer_without_a_name_is_refused_beside_payer_name(page, manager, resident_member):
    resident = resident_member.resident
    data = {"legal_first_name": "Changed", "payer": "agency", "payer_name": ""}
    response = page(manager).submit(f"/dashboard/residents/{resident.pk}/", data, button="Save profile")
    assert response.status_code == 400
    assert response.context["profile_form"].errors == {
        "payer_name": ["Name the family member, agency or voucher program."]
    }
    body = response.content.decode()
    assert 'value="Changed"' in body  # what was typed stays
    assert '<details class="disclosure" open>' in body
    resident.refresh_from_db()
    assert resident.legal_first_name != "Changed"


def test_a_bad_date_of_birth_is_shown_beside_it_and_nothing_is_saved(page, manager, resident_member):
    resident = resident_member.resident
    data = {"legal_first_name": resident.legal_first_name, "legal_last_name": "X", "payer": "self",
            "date_of_birth": "31/31/1990"}  # fmt: skip
    response = page(manager).submit(f"/dashboard/residents/{resident.pk}/", data, button="Save profile")
    assert response.status_code == 400
    assert "date_of_birth" in response.context["profile_form"].errors
    resident.refresh_from_db()
    assert resident.legal_last_name != "X"


def test_giving_a_portal_login_invites_the_resident_by_email(
    page, manager, resident_factory, django_capture_on_commit_callbacks
):
    person = resident_factory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        response = page(manager).submit(
            f"/dashboard/residents/{person.pk}/",
            {"email": "new.login@example.org"},
            button="Give a portal login",
            follow=True,
        )
    assert "Portal invitation sent to new.login@example.org." in response.content.decode()
    person.refresh_from_db()
    assert person.membership.user.email == "new.login@example.org"
    assert person.membership.is_pending
    assert person.email == "new.login@example.org"
    assert mail.outbox[-1].to == ["new.login@example.org"]


def test_a_resident_with_a_login_shows_it_instead_of_the_button(page, manager, resident_member):
    body = page(manager).get(f"/dashboard/residents/{resident_member.resident.pk}/").content.decode()
    assert resident_member.user.email in body
    assert "Give a portal login" not in body


def test_a_portal_login_for_someone_already_a_member_is_refused_beside_the_email(page, manager, resident_factory):
    person = resident_factory()
    before = Membership.objects.count()
    response = page(manager).submit(
        f"/dashboard/residents/{person.pk}/", {"email": manager.user.email}, button="Give a portal login"
    )
    assert response.status_code == 400
    # A manager is not told why: that would say the address belongs to someone elsewhere in the organization.
    assert response.context["portal_form"].errors["email"] == [
        "This e-mail cannot be used for a portal login. Check it with the resident, or ask an operator."
    ]
    assert Membership.objects.count() == before
    assert Resident.objects.get(pk=person.pk).membership is None
