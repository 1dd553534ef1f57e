"""The operator's pages of houses, certification, reports, spreadsheets and exports read in Spanish for staff who
chose Spanish, and stay word for word in English for everyone else."""

import pytest
from django.urls import reverse
from django.utils import translation

from houses.models import House
from houses.selectors import bed_refusal
from tests.factories import BedFactory, RoomFactory
from tests.forms import FormClient

pytestmark = pytest.mark.django_db


def _signed_in(membership, language):
    membership.user.preferred_language = language
    membership.user.save(update_fields=["preferred_language"])
    client = FormClient()
    client.force_login(membership.user)
    return client


@pytest.mark.parametrize(
    ("url_name", "spanish", "english"),
    [
        ("houses", "Agregar una casa", "Add a house"),
        ("compliance:overview", "Resumen de certificación", "Certification overview"),
        ("reports", "Informes mensuales", "Monthly reports"),
        ("spreadsheets:imports", "Subir una hoja", "Upload a sheet"),
        ("exports:exports", "Exportar sus datos", "Export your data"),
    ],
)
def test_an_operator_who_chose_spanish_reads_the_staff_pages_in_spanish(operator, url_name, spanish, english):
    response = _signed_in(operator, "es").get(reverse(url_name))
    assert response.status_code == 200
    assert spanish in response.content.decode()
    assert english not in response.content.decode()


def test_an_operator_who_chose_english_reads_the_house_list_in_english(operator):
    response = _signed_in(operator, "en").get(reverse("houses"))
    assert "Add a house" in response.content.decode()
    assert "Agregar una casa" not in response.content.decode()


def test_an_operator_who_chose_spanish_sees_the_rooms_page_headings_in_spanish(operator, house):
    response = _signed_in(operator, "es").get(reverse("house-rooms", args=[house.pk]))
    assert response.status_code == 200
    assert f"Habitaciones y camas de {house.name}" in response.content.decode()


def test_why_a_bed_of_a_closed_house_cannot_take_a_resident_reads_in_spanish(house):
    bed = BedFactory(room__house=house)
    House.objects.filter(pk=house.pk).update(status=House.Status.CLOSED)
    bed.refresh_from_db()
    with translation.override("es"):
        refusal = bed_refusal(bed, night=house.organization.today())
    assert refusal == f"{house.name} está cerrada."


def test_a_bed_added_to_a_house_with_beds_gets_a_room_of_its_own_whatever_the_factory_sequence(house):
    # The factories once named this room "Room 1", like the house's first room: which test ran before decided it.
    RoomFactory.reset_sequence(1)
    bed = BedFactory(room__house=house)
    assert bed.room.house == house
    assert bed.room.name not in set(house.rooms.exclude(pk=bed.room_id).values_list("name", flat=True))
