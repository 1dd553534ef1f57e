"""A partner's private link in Spanish: the open beds and the referral form read in Spanish for a browser that asks
for it, and a referral sent from the Spanish form is recorded."""

import pytest
from django.utils import translation

from residents.models import Application
from tests.forms import FormClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_again_after():
    """A request in Spanish leaves Spanish active in the thread (Django does not switch back): later tests that call
    services directly must start in English."""
    yield
    translation.deactivate()


FORM = {
    "first_name": "Jamie", "last_name": "Lopez", "phone": "(555) 010-2000", "on_moud": "yes", "payer": "agency",
    "consent_to_contact": "on", "referrer_name": "Casey Case", "referrer_email": "casey@hope.example",
}  # fmt: skip


def spanish() -> FormClient:
    return FormClient(HTTP_ACCEPT_LANGUAGE="es")


def test_the_open_beds_page_of_the_link_reads_in_spanish(link, house):
    page = " ".join(spanish().get(link).content.decode().split())

    assert "Camas disponibles" in page
    assert "4 camas" in page
    assert "Referir a una persona" in page
    assert "Open beds" not in page


def test_a_referral_sent_from_the_spanish_form_is_recorded(link, house):
    response = spanish().submit(f"{link}refer/", {**FORM, "preferred_house": str(house.pk)}, follow=True)

    assert Application.objects.get().first_name == "Jamie"
    assert "Gracias: Jamie fue referido/a." in " ".join(response.content.decode().split())
