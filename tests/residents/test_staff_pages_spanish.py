"""Staff pages in the member's language: the dashboard, the bed board, the application form's refusal and a page's
success message read in Spanish for a member who chose it, and stay word for word in English for everyone else."""

from datetime import timedelta

from residents.models import Application
from tests.factories import admit


def reads_spanish(member):
    member.user.preferred_language = "es"
    member.user.save(update_fields=["preferred_language"])
    return member


def test_the_dashboard_reads_in_spanish_for_a_manager_who_chose_it(page, manager):
    body = page(reads_spanish(manager)).get("/dashboard/").content.decode()
    assert "Requiere atención hoy" in body
    assert "Needs attention today" not in body


def test_the_dashboard_stays_in_english_for_a_manager_who_did_not(page, manager):
    body = page(manager).get("/dashboard/").content.decode()
    assert "Needs attention today" in body


def test_the_bed_board_counts_days_in_the_house_with_the_spanish_plural(page, manager, house):
    admit(house, on=house.organization.today() - timedelta(days=2))
    body = page(reads_spanish(manager)).get(f"/dashboard/houses/{house.pk}/beds/").content.decode()
    assert "2 días en la casa" in body


def test_an_application_refusal_reads_in_spanish_beside_the_phone(page, manager):
    data = {"first_name": "Quinn", "last_name": "Park", "phone": "", "payer": "self", "applied_on": "2026-03-01"}
    response = page(reads_spanish(manager)).submit("/dashboard/applications/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "phone": ["Indique un teléfono o un correo electrónico para comunicarse con el solicitante."]
    }
    assert not Application.objects.exists()


def test_a_recorded_application_is_confirmed_in_spanish(page, manager, house):
    data = {"first_name": "Quinn", "last_name": "Park", "phone": "555-0000", "preferred_house": house.pk,
            "payer": "self", "applied_on": "2026-03-01"}  # fmt: skip
    response = page(reads_spanish(manager)).submit("/dashboard/applications/new/", data, follow=True)
    assert "Solicitud de Quinn Park registrada." in response.content.decode()
