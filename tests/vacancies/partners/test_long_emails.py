"""The partner forms' e-mail fields hold at most the 254 characters of their columns: a longer address is a mistake
beside the field, never a server error on PostgreSQL."""

import pytest

from accounts.models import Membership
from residents.models import Application
from tests.forms import FormClient
from vacancies.partner_forms import ReferralForm, ReferrerInviteForm

from .test_link_pages import FORM

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"  # 312 characters


@pytest.mark.parametrize("field", ["email", "referrer_email"])
def test_a_referral_with_an_email_over_254_characters_is_refused_beside_the_field(link, field):
    response = FormClient(raise_request_exception=False).submit(f"{link}refer/", {**FORM, field: LONG_EMAIL})

    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Application.objects.exists()


def test_an_invitation_to_an_email_over_254_characters_is_refused(page, operator, partner):
    response = page(operator).submit(f"/dashboard/partners/{partner.pk}/", {"invite-email": LONG_EMAIL}, form="#invite")

    assert response.status_code == 400
    assert "at most 254 characters" in response.content.decode()
    assert not Membership.objects.filter(user__email=LONG_EMAIL).exists()


@pytest.mark.parametrize(
    ("form", "field"), [(ReferralForm, "email"), (ReferralForm, "referrer_email"), (ReferrerInviteForm, "email")]
)
def test_every_partner_email_field_holds_at_most_254_characters(form, field):
    assert form.base_fields[field].max_length == 254
