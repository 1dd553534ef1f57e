"""An invitation carries a language (Membership.invited_language): its e-mail is written in it, its pages speak it,
and a new login reads Hearth in it once accepted. A password reset e-mail is in its person's language."""

import pytest
from django.core import mail

from accounts.models import Membership
from tests.accounts.invitation_helpers import invitation_path
from tests.factories import MembershipFactory
from tests.forms import FormClient

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un porche tranquilo al amanecer"


@pytest.fixture
def invited_in_spanish(page, operator, django_capture_on_commit_callbacks):
    """The operator invites a new manager in Spanish from the staff page's form."""
    with django_capture_on_commit_callbacks(execute=True):
        page(operator).submit(
            "/dashboard/staff/",
            {"email": "nueva@example.org", "full_name": "Nora Nueva", "role": "manager", "language": "es"},
            button="Send invitation",
        )
    return Membership.objects.get(user__email="nueva@example.org")


def test_the_invite_form_keeps_the_chosen_language(invited_in_spanish):
    assert invited_in_spanish.invited_language == "es"


def test_an_invitation_in_spanish_is_e_mailed_in_spanish(invited_in_spanish, organization):
    message = mail.outbox[-1]
    assert message.subject == f"Invitación para unirse a {organization.name} en Hearth"
    assert "lo ha invitado a Hearth como encargado de la casa." in message.body
    assert "Para aceptar, abra este enlace" in message.body


def test_an_invitation_without_a_language_is_e_mailed_in_english(page, operator, organization,
                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        page(operator).submit(
            "/dashboard/staff/", {"email": "new@example.org", "role": "manager"}, button="Send invitation"
        )
    assert mail.outbox[-1].subject == f"Invitation to join {organization.name} on Hearth"


def test_accepting_a_spanish_invitation_makes_the_new_login_read_spanish(invited_in_spanish, organization):
    link = invitation_path()
    browser = FormClient(HTTP_ACCEPT_LANGUAGE="es")
    shown = browser.get(link)
    assert f'<h1 id="invitation-heading">Unirse a {organization.name}</h1>' in shown.content.decode()
    response = browser.submit(
        link,
        {"full_name": "Nora Nueva", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        button=f"Unirse a {organization.name} como encargado de la casa",
        follow=True,
    )
    invited_in_spanish.user.refresh_from_db()
    assert invited_in_spanish.user.preferred_language == "es"
    assert f"Bienvenido a {organization.name}." in response.content.decode()


def test_the_invitations_api_takes_a_language(api, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(operator).post(
            "/api/v1/memberships/",
            {"email": "api.nueva@example.org", "role": "manager", "invited_language": "es"},
            format="json",
        )
    assert response.status_code == 201
    assert response.json()["invited_language"] == "es"
    assert mail.outbox[-1].subject.startswith("Invitación para unirse a")


def test_a_password_reset_e_mail_is_in_its_persons_language(django_capture_on_commit_callbacks):
    member = MembershipFactory(user__preferred_language="es", user__email="restablecer@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        FormClient().submit("/accounts/password_reset/", {"email": member.user.email})
    message = mail.outbox[-1]
    assert message.subject == "Restablezca su contraseña de Hearth"
    assert "Alguien pidió restablecer la contraseña de Hearth de restablecer@example.org." in message.body
