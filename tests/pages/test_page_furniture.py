"""What every page shares: the field partial's accessibility, navigation by role, messages, the dashboard."""

from datetime import date

import pytest
from django import forms
from django.template.loader import render_to_string

from residents.core.services.stays import stay_admit
from tests.factories import take_out_of_service

from .conftest import waiting_applicant


class SampleForm(forms.Form):
    name = forms.CharField(help_text="As on their ID")
    phone = forms.CharField(required=False)
    houses = forms.MultipleChoiceField(
        choices=[("1", "Maple"), ("2", "Willow")], widget=forms.CheckboxSelectMultiple, help_text="Pick any"
    )
    agree = forms.BooleanField(label="I agree")


def _field(form, name):
    return render_to_string("partials/field.html", {"field": form[name]})


def test_an_input_in_error_points_at_its_help_and_its_error_and_says_it_is_invalid():
    form = SampleForm(data={})
    html = _field(form, "name")
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_name_helptext"' in html
    assert 'id="id_name_error"' in html
    assert '<label for="id_name">' in html


def test_a_valid_input_points_only_at_its_help():
    html = _field(SampleForm(), "name")
    assert 'aria-describedby="id_name_helptext"' in html
    assert "aria-invalid" not in html


def test_an_input_without_help_or_error_has_no_description():
    assert "aria-describedby" not in _field(SampleForm(), "phone")


def test_a_group_of_checkboxes_is_a_fieldset_with_a_legend_and_a_description():
    html = _field(SampleForm(data={}), "houses")
    assert "<fieldset" in html
    assert "<legend>Houses" in html
    assert 'aria-describedby="id_houses_helptext id_houses_error"' in html


def test_a_single_checkbox_has_its_label_after_it():
    html = _field(SampleForm(data={}), "agree")
    assert html.index('type="checkbox"') < html.index('<label for="id_agree">')
    assert 'aria-invalid="true"' in html


OPERATOR_ONLY = ["Houses", "Rent &amp; fees", "Staff", "Audit log", "Settings", "API"]


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("operator", ["Dashboard", "Residents", "Applications", *OPERATOR_ONLY], []),
        ("manager", ["Dashboard", "Residents", "Applications"], OPERATOR_ONLY),
    ],
)
def test_the_navigation_follows_the_role(page, request, role, shown, hidden):
    member = request.getfixturevalue(role)
    body = page(member).get("/dashboard/residents/").content.decode()
    nav = body[body.index('<nav class="main-nav"') : body.index("</nav>", body.index('<nav class="main-nav"'))]
    for label in shown:
        assert f">{label}</a>" in nav
    for label in hidden:
        assert f">{label}</a>" not in nav
    assert 'href="/dashboard/residents/" aria-current="page"' in nav


def test_the_dashboard_shows_each_house_census_free_and_out_of_service_beds(page, manager, house, resident_factory):
    beds = list(house.beds.order_by("pk"))
    stay_admit(actor=manager, resident=resident_factory(), bed=beds[0], on=date(2026, 1, 1))
    take_out_of_service(beds[1], date(2026, 1, 1), reason="Leak")
    response = page(manager).get("/dashboard/")
    [row] = response.context["houses"]
    assert (row["summary"]["occupied"], row["summary"]["free"], row["out_of_service"]) == (1, 2, 1)
    assert f'href="/dashboard/houses/{house.pk}/beds/"' in response.content.decode()


def test_the_dashboard_counts_the_waitlist_and_links_it(page, manager, operator, house, other_house):
    waiting_applicant(operator, house=house)
    waiting_applicant(operator, house=None, first_name="Any", preferred_gender="men")
    waiting_applicant(operator, house=other_house, first_name="Elsewhere")
    response = page(manager).get("/dashboard/")
    [row] = response.context["houses"]
    assert row["house"].waitlist == 2
    assert response.context["waiting"] == 2
    body = response.content.decode()
    assert 'href="/dashboard/applications/?status=waiting"' in body
    assert f'href="/dashboard/houses/{house.pk}/waitlist/"' in body


def test_a_manager_without_houses_is_told_what_to_do(page, organization):
    from tests.factories import MembershipFactory

    lonely = MembershipFactory(organization=organization, role="manager")
    assert "You are not assigned to a house yet" in page(lonely).get("/dashboard/").content.decode()


def test_a_success_message_is_announced_politely(page, operator, house):
    response = page(operator).submit(
        f"/dashboard/houses/{house.pk}/rooms/", {"room-name": "Den", "room-floor": "1"}, button="Add room", follow=True
    )
    body = response.content.decode()
    assert '<div class="messages" role="status">' in body
    assert "Den added to Maple House." in body
