"""The demo's Spanish-speaking resident, residente@example.com: signs in with the published password and reads the
portal in Spanish, owes rent, paid part of it online (with its receipt) and was sent rent reminders."""

from decimal import Decimal

import pytest

from accounts.models import Membership
from billing.models import LedgerEntry, OnlinePayment, ResidentNotice
from billing.selectors.balances import balance_of
from demo import seed_spanish
from residents.models import ChoreAssignment, SignOut
from tests.forms import FormClient

PASSWORD = "hearth-demo"


@pytest.fixture
def login(demo_db):
    return Membership.objects.select_related("user", "resident", "organization").get(user__email=seed_spanish.EMAIL)


@pytest.fixture
def resident(login):
    return login.resident


def sign_in():
    client = FormClient()
    response = client.submit("/accounts/login/", {"username": seed_spanish.EMAIL, "password": PASSWORD}, follow=True)
    return client, response


def test_the_spanish_demo_login_signs_in_to_the_portal_with_the_published_password(login):
    _, response = sign_in()
    assert response.redirect_chain[-1][0] == "/portal/"


def test_the_spanish_demo_resident_lives_in_a_house_of_the_first_organization(login):
    assert login.role == "resident"
    assert login.organization.slug == "second-wind"
    assert login.resident.stays.filter(move_out__isnull=True, house__organization=login.organization).exists()


def test_the_spanish_demo_resident_reads_spanish_on_the_login_and_the_resident_record(login):
    assert login.user.preferred_language == "es"
    assert login.resident.preferred_language == "es"


def test_the_spanish_demo_residents_portal_home_is_in_spanish(login):
    client, _ = sign_in()
    body = client.get("/portal/").content.decode()
    assert "Hola," in body
    assert "Usted debe" in body
    assert "What needs doing" not in body


def test_the_spanish_demo_resident_is_charged_rent_and_still_owes_after_paying_part_online(resident):
    assert LedgerEntry.objects.filter(resident=resident, kind="rent").exists()
    assert balance_of(resident.pk) > Decimal("0")
    payment = OnlinePayment.objects.get(resident=resident)
    assert payment.status == OnlinePayment.Status.SUCCEEDED
    assert payment.payment.receipt_number


def test_the_spanish_demo_residents_pay_page_links_the_receipt_in_spanish(resident):
    client, _ = sign_in()
    body = client.get("/portal/pay/").content.decode()
    receipt = OnlinePayment.objects.get(resident=resident).payment.receipt_number
    assert f"recibo {receipt}" in body
    assert "Pagar la renta" in body


def test_the_spanish_demo_resident_was_sent_the_receipt_and_a_rent_reminder(resident):
    kinds = set(ResidentNotice.objects.filter(resident=resident).values_list("kind", flat=True))
    assert ResidentNotice.Kind.RECEIPT in kinds
    assert kinds & {ResidentNotice.Kind.RENT_DUE, ResidentNotice.Kind.RENT_LATE}


def test_the_spanish_demo_resident_has_chores_and_sign_outs_like_the_others(resident):
    assert ChoreAssignment.objects.filter(resident=resident).exists()
    assert SignOut.objects.filter(stay__resident=resident).exists()


def test_the_spanish_demo_resident_is_not_out_of_the_house_and_has_the_current_rules_to_sign(resident):
    stay = resident.stays.get(move_out__isnull=True)
    assert not SignOut.objects.filter(stay=stay).open().exists()
    assert not resident.rule_acknowledgements.filter(rule_set__is_current=True, stay=stay).exists()
