"""A resident who reads Spanish goes through the portal's journeys in Spanish: sees what they owe, pays rent online
(through the local Stripe stand-in, as the rent payment journey does), signs the house rules in Spanish and signs out
to leave the house for a while."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from billing.models import OnlinePayment
from residents.house_rules import services as rule_services
from residents.models import RuleAcknowledgement, SignOut

# The billing fixtures, shared: a resident who owes 900.00, a local Stripe stand-in and signed webhook deliveries.
from tests.billing.conftest import member_resident  # noqa: F401
from tests.billing.online.conftest import deliver, event_for, owing, stripe_settings, stripe_stand_in  # noqa: F401
from tests.portal.spanish_factories import reads_spanish

pytestmark = pytest.mark.browser

STRIPE_PAGE = (
    "<!doctype html><html lang='en'><head><title>Stripe Checkout</title></head><body><main>Pay</main></body></html>"
)
CURFEW_ES = "Esté en casa a las 10:00 pm de domingo a jueves."


@pytest.fixture
def mid_june():
    """June 15, 2026 at noon in the house, ticking: the 900.00 dated June 1 is two weeks past due."""
    with time_machine.travel(datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("America/Chicago")), tick=True):
        yield


@pytest.fixture
def spanish_resident(resident_member):
    return reads_spanish(resident_member)


@pytest.fixture
def spanish_rules(operator):
    """The organization's rules, in English and in Spanish."""
    change = rule_services.RuleChange(
        category="curfew",
        text="Be home by 10:00 pm Sunday to Thursday.",
        consequence="A written warning.",
        text_es=CURFEW_ES,
        consequence_es="Una advertencia por escrito.",
    )
    rule_services.rules_publish(actor=operator, changes=[change], note="First rules")


def _stub_stripe(page):
    page.route(
        "https://checkout.stripe.com/**", lambda route: route.fulfill(body=STRIPE_PAGE, content_type="text/html")
    )


def test_a_spanish_reader_sees_what_they_owe_and_pays_rent_in_spanish(
    mid_june,
    browser_page,
    sign_in,
    screenshot,
    spanish_resident,
    owing,  # noqa: F811
    stripe_stand_in,  # noqa: F811
    deliver,  # noqa: F811
):
    page = browser_page
    _stub_stripe(page)
    sign_in(page, spanish_resident)
    page.goto("/portal/")
    rent = page.get_by_role("region", name="Renta")
    assert re.search(r"Usted debe .*900", rent.inner_text())
    assert "Vencido" in rent.inner_text()
    screenshot(page, "spanish-resident-home-owes-rent")

    rent.get_by_role("link", name="Pagar la renta").click()
    page.wait_for_url(re.compile(r"/portal/pay/$"))
    page.get_by_label("Cantidad a pagar").fill("300.00")
    page.get_by_role("button", name="Pagar la renta").click()
    page.wait_for_url(re.compile(r"^https://checkout\.stripe\.com/"))

    payment = OnlinePayment.objects.get()
    assert deliver(event_for("checkout.session.completed.json", payment)).status_code == 200
    page.goto(f"/portal/pay/return/?session_id={payment.checkout_session_id}")
    assert page.get_by_text("Gracias. Ya está en su historial de cuenta.").is_visible()

    page.goto("/portal/")
    assert re.search(r"Usted debe .*600", page.get_by_role("region", name="Renta").inner_text())
    page.goto("/portal/pay/")
    assert "300" in page.get_by_role("region", name="Pagos en línea").inner_text()
    screenshot(page, "spanish-resident-paid-rent")


def test_a_spanish_reader_signs_the_house_rules_in_spanish(
    browser_page, sign_in, screenshot, spanish_resident, spanish_rules
):
    page = browser_page
    sign_in(page, spanish_resident)
    page.goto("/portal/")
    page.get_by_role("link", name=re.compile("Leer y firmar las reglas de la casa")).click()
    page.wait_for_url(re.compile(r"/portal/rules/$"))
    assert page.get_by_text(CURFEW_ES).is_visible()
    sign = page.locator("#sign")
    sign.locator("input[name=signature]").fill(spanish_resident.resident.legal_name)
    screenshot(page, "spanish-resident-signs-rules")
    sign.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/portal/rules/$"))
    acknowledgement = RuleAcknowledgement.objects.get(resident=spanish_resident.resident)
    assert acknowledgement.language == "es"
    assert page.locator("#signed-status").is_visible()
    assert "Sign the house rules" not in page.content()


def test_a_spanish_reader_signs_out_to_leave_the_house_in_spanish(browser_page, sign_in, screenshot, spanish_resident):
    page = browser_page
    sign_in(page, spanish_resident)
    page.goto("/portal/")
    page.get_by_role("link", name=re.compile("Salidas y llegadas")).click()
    page.wait_for_url(re.compile(r"/portal/sign-out/$"))
    page.get_by_label("¿Adónde va?").fill("Trabajo")
    page.get_by_role("button", name="Registrar la salida ahora").click()
    page.wait_for_url(re.compile(r"/portal/sign-out/$"))
    assert page.get_by_text(re.compile("Salida registrada a Trabajo")).is_visible()
    assert page.get_by_role("heading", name="Usted registró una salida").is_visible()
    assert SignOut.objects.get(stay__resident=spanish_resident.resident).destination == "Trabajo"
    screenshot(page, "spanish-resident-signed-out")
