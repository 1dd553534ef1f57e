"""Staff signing a resident out on the house's sign-out board, and recording a resident's return from an overnight
pass on the passes page (which may ask for a drug test after the pass)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from residents.models import DrugTestPolicy, OvernightPass, SignOut, TestRequest
from tests.factories import admit
from tests.residents.phases_factories import approved_pass


def _url(house, tail):
    return f"/dashboard/houses/{house.pk}/{tail}"


def _typed(organization, moment):
    """A moment as typed in a datetime-local field, on the house's clock."""
    return timezone.localtime(moment, organization.tzinfo).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def in_house(life, operator):
    """A second resident of the manager's house, moved in a week ago and in now (the first one is out). In no phase,
    so no curfew: signing them out now is never a curfew question, whatever the hour the suite runs at."""
    today = life["house"].organization.today()
    week_ago = today - timedelta(days=7)
    return admit(life["house"], actor=operator, on=week_ago, phase=False, legal_first_name="Ian", legal_last_name="Inn")


def _sign_out(life, stay, **changes):
    organization = life["house"].organization
    data = {
        "stay": stay.pk, "destination": "Dentist", "signed_out_at": "",
        "expected_return_at": _typed(organization, timezone.now() + timedelta(hours=2)),
    }  # fmt: skip
    return {**data, **changes}


def _board(life):
    return _url(life["house"], "sign-outs/")


def _open_sign_outs(stay):
    return list(SignOut.objects.filter(stay=stay, signed_in_at__isnull=True))


def test_the_board_offers_to_sign_out_only_residents_who_are_in(page, manager, life, in_house):
    form = page(manager).get(_url(life["house"], "sign-outs/")).context["sign_out_form"]
    offered = [value for value, _label in form.fields["stay"].widget.choices if value]
    assert offered == [in_house.pk]  # the life resident is out already


def test_staff_sign_a_resident_out_now(page, manager, life, in_house):
    client = page(manager)
    response = client.submit(_board(life), _sign_out(life, in_house), button="Sign out")
    assert response.status_code == 302
    [sign_out] = _open_sign_outs(in_house)
    assert (sign_out.destination, sign_out.signed_out_by) == ("Dentist", manager.user)
    assert timezone.now() - sign_out.signed_out_at < timedelta(minutes=1)
    board = client.get(response["Location"])
    assert sign_out in board.context["out_now"]
    assert f"{in_house.resident} signed out to Dentist, expected back" in board.content.decode()


def test_staff_copy_a_sign_out_from_the_paper_log_at_a_past_time(page, manager, life, in_house):
    organization = life["house"].organization
    left = (timezone.now() - timedelta(hours=1)).replace(second=0, microsecond=0)
    body = _sign_out(life, in_house, signed_out_at=_typed(organization, left))
    page(manager).submit(_board(life), body, button="Sign out")
    [sign_out] = _open_sign_outs(in_house)
    assert sign_out.signed_out_at == left


def test_a_sign_out_without_a_destination_is_refused_beside_it(page, manager, life, in_house):
    response = page(manager).submit(_board(life), _sign_out(life, in_house, destination=""), button="Sign out")
    assert response.status_code == 400
    assert response.context["sign_out_form"].errors == {"destination": ["Say where the resident is going."]}
    body = response.content.decode()
    assert 'id="id_destination_error"' in body
    assert '<details class="disclosure" id="sign-out" open>' in body
    assert _open_sign_outs(in_house) == []


def test_an_expected_return_before_the_sign_out_is_refused_beside_it(page, manager, life, in_house):
    earlier = _typed(life["house"].organization, timezone.now() - timedelta(hours=1))
    body = _sign_out(life, in_house, expected_return_at=earlier)
    response = page(manager).submit(_board(life), body, button="Sign out")
    assert response.status_code == 400
    assert response.context["sign_out_form"].errors == {
        "expected_return_at": ["The expected return must be after the sign-out."]
    }
    assert _open_sign_outs(in_house) == []


def test_a_sign_out_time_in_the_future_is_refused_beside_it(page, manager, life, in_house):
    organization = life["house"].organization
    body = _sign_out(
        life, in_house, signed_out_at=_typed(organization, timezone.now() + timedelta(hours=1)),
        expected_return_at=_typed(organization, timezone.now() + timedelta(hours=3)),
    )  # fmt: skip
    response = page(manager).submit(_board(life), body, button="Sign out")
    assert response.status_code == 400
    assert response.context["sign_out_form"].errors == {"signed_out_at": ["This time is in the future."]}
    assert _open_sign_outs(in_house) == []


def test_a_resident_already_out_is_refused_beside_the_resident(page, manager, life, in_house):
    # The board offers only residents who are in: a second click on the same form is how one already out is named.
    first, response = page(manager).submit_twice(_board(life), _sign_out(life, in_house), button="Sign out")
    assert first.status_code == 302
    assert response.status_code == 409
    [message] = response.context["sign_out_form"].errors["stay"]
    assert "is already signed out (to Dentist); sign them back in first." in message
    assert len(_open_sign_outs(in_house)) == 1


def test_a_resident_of_another_house_cannot_be_signed_out_from_this_board(page, operator, life):
    other = life["other_stay"]
    signout_count = SignOut.objects.count()
    # The board never offers a resident of another house, so only a hand-made request can name one.
    response = page(operator).post(_url(life["house"], "sign-outs/sign-out/"), _sign_out(life, other))
    assert response.status_code == 400
    assert list(response.context["sign_out_form"].errors) == ["stay"]
    assert SignOut.objects.count() == signout_count


def test_the_board_says_so_when_nobody_is_in_to_sign_out(page, manager, life):
    body = page(manager).get(_url(life["house"], "sign-outs/")).content.decode()
    assert "Nobody living here is in now, so there is nobody to sign out." in body


# The return from an overnight pass --------------------------------------------------------------------------------


@pytest.fixture
def away(life, operator):
    """An approved pass of the life resident that began yesterday and ends tomorrow (beyond their phase's allowance
    of none, so approved with an override)."""
    today = life["house"].organization.today()
    return approved_pass(
        life["stay"], actor=operator, leave_on=today - timedelta(days=1), return_on=today + timedelta(days=1),
        override=True, reason="Family emergency.",
    )  # fmt: skip


def _return(pass_, returned_at=""):
    return {f"return-{pass_.pk}-returned_at": returned_at}


def _return_form(pass_):
    return f"form[action$='/passes/{pass_.pk}/return/']"


def _passes(life):
    return _url(life["house"], "passes/")


def _after_pass_requests(life):
    return TestRequest.objects.filter(stay=life["stay"], reason="return_from_pass")


def test_passes_out_now_are_listed_with_a_form_to_record_the_return(page, manager, life, away):
    response = page(manager).get(_url(life["house"], "passes/"))
    assert [(pass_, form.pass_) for pass_, form in response.context["away"]] == [(away, away)]
    body = response.content.decode()
    assert f'action="/dashboard/houses/{life["house"].pk}/passes/{away.pk}/return/"' in body
    assert "due back" in body


def test_recording_the_return_asks_for_a_test_after_the_pass_and_says_so(page, manager, life, away):
    client = page(manager)
    response = client.submit(_passes(life), _return(away), form=_return_form(away))
    assert response.status_code == 302
    back = OvernightPass.objects.get(pk=away.pk)
    assert back.return_recorded_by == manager.user
    assert timezone.now() - back.returned_at < timedelta(minutes=1)
    [asked] = _after_pass_requests(life)
    today = life["house"].organization.today()
    body = client.get(response["Location"]).content.decode()
    assert f"{life['resident']} is back from the pass to Mom&#x27;s house." in body
    assert f"A drug test after the pass is asked for, due {today:%a %b %-d}." in body
    assert asked.due_on == today


def test_without_a_test_after_passes_the_message_asks_for_none(page, manager, life, away):
    DrugTestPolicy.objects.update_or_create(
        house=life["house"], defaults={"organization": life["house"].organization, "test_after_pass": False}
    )
    client = page(manager)
    response = client.submit(_passes(life), _return(away), form=_return_form(away), follow=True)
    body = response.content.decode()
    assert "is back from the pass to Mom&#x27;s house." in body
    assert "A drug test after the pass" not in body
    assert not _after_pass_requests(life).exists()


def test_a_return_before_the_pass_began_is_refused_beside_the_time(page, manager, life, away):
    organization = life["house"].organization
    too_early = _typed(organization, timezone.now() - timedelta(days=3))
    response = page(manager).submit(_passes(life), _return(away, too_early), form=_return_form(away))
    assert response.status_code == 400
    [(_pass, form)] = response.context["away"]
    assert form.errors == {"returned_at": ["The return cannot be before the pass began."]}
    assert f'id="id_return-{away.pk}-returned_at_error"' in response.content.decode()
    assert OvernightPass.objects.get(pk=away.pk).returned_at is None
    assert not _after_pass_requests(life).exists()


def test_a_return_recorded_twice_is_refused_and_asks_for_no_second_test(page, manager, life, away):
    _recorded, response = page(manager).submit_twice(_passes(life), _return(away), form=_return_form(away))
    first = OvernightPass.objects.get(pk=away.pk).returned_at
    assert response.status_code == 409
    assert "The return from this pass is already recorded." in response.content.decode()
    assert OvernightPass.objects.get(pk=away.pk).returned_at == first
    assert _after_pass_requests(life).count() == 1


def test_a_pass_not_approved_has_no_return_and_says_why(page, manager, life):
    waiting = life["pass"]
    client = page(manager)
    assert f"/passes/{waiting.pk}/return/" not in client.get(_passes(life)).content.decode()
    # The page offers no return for a pass waiting for a decision, so only a hand-made request can try one.
    response = client.post(_url(life["house"], f"passes/{waiting.pk}/return/"), _return(waiting))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Only an approved pass has a return; this one is waiting for a decision." in body
    assert OvernightPass.objects.get(pk=waiting.pk).returned_at is None
