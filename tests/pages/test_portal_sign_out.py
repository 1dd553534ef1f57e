"""Signing out and back in from the portal: the service records the present time; the current sign-out is shown
prominently; the recent log lists the resident's own sign-outs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from residents.models import SignOut
from residents.program.services import signouts as signout_services

from .portal_factories import neighbour_in, portal_client, sign_out, stay_of

SIGN_OUT, SIGN_IN = "Sign out now", "I'm back: sign in"


def _local(member, moment):
    return timezone.localtime(moment, member.organization.tzinfo).strftime("%Y-%m-%dT%H:%M")


def test_signing_out_records_now_and_the_expected_return_in_the_houses_time(resident_member):
    back = (timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0)
    before = timezone.now()
    client = portal_client(resident_member)
    data = {"destination": "NA meeting", "expected_return_at": _local(resident_member, back)}
    response = client.submit("/portal/sign-out/", data, button=SIGN_OUT, follow=True)
    entry = SignOut.objects.get()
    assert (entry.stay, entry.destination, entry.expected_return_at) == (stay_of(resident_member), "NA meeting", back)
    assert entry.signed_out_at >= before
    assert entry.signed_out_by == resident_member.user
    body = response.content.decode()
    assert "Signed out to NA meeting." in body
    assert 'id="out-heading">You are signed out' in body
    assert "I'm back: sign in" in body


def test_signing_back_in_closes_the_sign_out_and_says_so(operator, resident_member):
    sign_out(stay_of(resident_member), actor=operator, hours_ago=1, back=False)
    response = portal_client(resident_member).submit("/portal/sign-out/", button=SIGN_IN, follow=True)
    entry = SignOut.objects.get()
    assert entry.signed_in_at is not None
    assert entry.signed_in_by == resident_member.user
    body = response.content.decode()
    assert "Welcome back. Signed in at" in body
    assert 'id="sign-out-heading">Sign out' in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"destination": "Work", "hours": -1}, "expected_return_at", "The expected return must be after the sign-out."),
        ({"destination": "", "hours": 2}, "destination", "This field is required."),
        ({"destination": "   ", "hours": 2}, "destination", "This field is required."),
        ({"destination": "Work", "expected_return_at": "tonight"}, "expected_return_at", "Enter a valid date/time."),
        ({"destination": "x" * 201, "hours": 2}, "destination", "at most 200 characters"),
    ],
)
def test_bad_input_is_shown_beside_its_field_keeps_what_was_typed_and_writes_nothing(
    resident_member, data, field, message
):
    hours = data.pop("hours", None)
    if hours is not None:
        data["expected_return_at"] = _local(resident_member, timezone.now() + timedelta(hours=hours))
    response = portal_client(resident_member).submit("/portal/sign-out/", data, button=SIGN_OUT)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert response.context["form"]["expected_return_at"].value() == data["expected_return_at"]
    assert not SignOut.objects.exists()


def test_signing_out_twice_is_refused_and_writes_nothing(operator, resident_member):
    back = _local(resident_member, timezone.now() + timedelta(hours=2))
    data = {"destination": "Gym", "expected_return_at": back}
    # The page offers the form while they are in; staff sign them out before the resident's click arrives.
    leave = portal_client(resident_member).load_form("/portal/sign-out/", data, button=SIGN_OUT)
    sign_out(stay_of(resident_member), actor=operator, hours_ago=1, back=False)
    response = leave()
    assert response.status_code == 400
    assert "is already signed out" in response.content.decode()
    assert SignOut.objects.count() == 1


def test_signing_in_when_not_out_is_refused_and_writes_nothing(operator, resident_member):
    stay = stay_of(resident_member)
    sign_out(stay, actor=operator, hours_ago=1, back=False)
    # The page offers "I'm back" while they are out; staff sign them in before the resident's click arrives.
    come_back = portal_client(resident_member).load_form("/portal/sign-out/", button=SIGN_IN)
    signout_services.signout_sign_in(actor=operator, stay=stay)
    signed_in = SignOut.objects.get().signed_in_at
    response = come_back()
    assert response.status_code == 400
    assert "nothing to sign in" in response.content.decode()
    assert (SignOut.objects.count(), SignOut.objects.get().signed_in_at) == (1, signed_in)


def test_signing_in_is_a_post(resident_member):
    assert portal_client(resident_member).get("/portal/sign-out/back/").status_code == 405


def test_the_recent_log_shows_only_the_residents_own_sign_outs(operator, house, resident_member):
    sign_out(stay_of(resident_member), actor=operator, destination="Library")
    sign_out(stay_of(neighbour_in(operator, house)), actor=operator, destination="Neighbour's gym")
    response = portal_client(resident_member).get("/portal/sign-out/")
    assert [entry.destination for entry in response.context["page_obj"]] == ["Library"]
    assert "Neighbour&#x27;s gym" not in response.content.decode()


def test_an_empty_log_says_what_happens_next(resident_member):
    body = portal_client(resident_member).get("/portal/sign-out/").content.decode()
    assert "No sign-outs yet. Each time you sign out and back in, it is listed here." in body
