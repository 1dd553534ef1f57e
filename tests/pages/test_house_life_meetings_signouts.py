"""A house's meetings, its sign-out board (who is out, a night's curfew violations, signing in) and its overnight
pass requests (approve, deny, approve beyond the allowance)."""

from datetime import timedelta

from residents.models import HouseMeeting, OvernightPass, SignOut
from residents.program.services import phases as phase_services
from tests.factories import admit
from tests.residents.phases_factories import local, log_out


def _url(house, tail):
    return f"/dashboard/houses/{house.pk}/{tail}"


def _meeting(life, manager, **changes):
    yesterday = life["house"].organization.today() - timedelta(days=1)
    data = {
        "held_at": f"{yesterday:%Y-%m-%d}T19:00", "facilitator": manager.pk, "facilitator_name": "",
        "attendees": [life["resident"].pk], "minutes": "Talked about the new chore chart.",
    }  # fmt: skip
    return {**data, **changes}


def test_logging_a_meeting_records_who_led_it_and_who_came(page, manager, life):
    response = page(manager).submit(_url(life["house"], "meetings/"), _meeting(life, manager), follow=True)
    assert "House meeting logged, 1 resident attended." in response.content.decode()
    meeting = HouseMeeting.objects.get(house=life["house"], minutes="Talked about the new chore chart.")
    assert meeting.facilitator == manager
    assert list(meeting.attendees.all()) == [life["resident"]]
    assert meeting.held_at.astimezone(life["house"].organization.tzinfo).hour == 19  # the house's clock


def test_past_meetings_are_listed_newest_first(page, manager, life):
    page(manager).submit(_url(life["house"], "meetings/"), _meeting(life, manager))
    response = page(manager).get(_url(life["house"], "meetings/"))
    meetings = list(response.context["page_obj"].object_list)
    assert [m.held_at for m in meetings] == sorted((m.held_at for m in meetings), reverse=True)
    assert "Talked about the new chore chart." in response.content.decode()


def test_a_meeting_led_by_a_member_and_a_name_is_refused_and_not_logged(page, manager, life):
    before = HouseMeeting.objects.count()
    response = page(manager).submit(
        _url(life["house"], "meetings/"), _meeting(life, manager, facilitator_name="Sam the senior")
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["facilitator_name"]
    assert HouseMeeting.objects.count() == before


def test_a_meeting_in_the_future_is_refused_beside_its_time(page, manager, life):
    tomorrow = life["house"].organization.today() + timedelta(days=1)
    response = page(manager).submit(
        _url(life["house"], "meetings/"), _meeting(life, manager, held_at=f"{tomorrow:%Y-%m-%d}T19:00")
    )
    assert response.status_code == 400
    assert "held_at" in response.context["form"].errors
    assert 'id="id_held_at_error"' in response.content.decode()


def _sign_in_form(stay):
    return f"form[action$='/sign-outs/{stay.pk}/sign-in/']"


def test_the_board_shows_who_is_out_now_and_signs_them_in(page, manager, life):
    house = life["house"]
    response = page(manager).get(_url(house, "sign-outs/"))
    assert list(response.context["out_now"]) == [life["sign_out"]]
    assert life["sign_out"] in response.context["log"]
    stay = life["stay"]
    response = page(manager).submit(_url(house, "sign-outs/"), form=_sign_in_form(stay), follow=True)
    assert f"{life['resident']} signed back in at" in response.content.decode()
    assert SignOut.objects.get(pk=life["sign_out"].pk).signed_in_by == manager.user
    assert list(response.context["out_now"]) == []


def test_signing_in_someone_who_is_in_says_why_and_changes_nothing(page, manager, life):
    house, stay = life["house"], life["stay"]
    first, response = page(manager).submit_twice(_url(house, "sign-outs/"), form=_sign_in_form(stay))
    assert first.status_code == 302
    signed_in = SignOut.objects.get(pk=life["sign_out"].pk).signed_in_at
    assert response.status_code == 400
    assert "is not signed out, so there is nothing to sign in" in response.content.decode()
    assert SignOut.objects.get(pk=life["sign_out"].pk).signed_in_at == signed_in


def test_the_board_lists_the_curfew_violations_of_a_chosen_night(page, manager, operator, life):
    house = life["house"]
    organization = house.organization
    night = organization.today() - timedelta(days=3)
    late = admit(house, actor=operator, on=night - timedelta(days=10), legal_first_name="Leo", legal_last_name="Late")
    log_out(late, actor=operator, out_at=local(organization, night, 20), back_at=local(organization, night, 23, 45))
    response = page(manager).get(_url(house, "sign-outs/"), {"night": night.isoformat()})
    violations = response.context["violations"]
    assert [v.stay for v in violations] == [late]
    assert "Back late" in response.content.decode()
    quiet = page(manager).get(_url(house, "sign-outs/"), {"night": (night - timedelta(days=1)).isoformat()})
    assert quiet.context["violations"] == []


def test_a_malformed_night_is_shown_beside_its_field(page, manager, life):
    response = page(manager).get(_url(life["house"], "sign-outs/"), {"night": "yesterday"})
    assert response.status_code == 400
    assert "night" in response.context["night_form"].errors


def _decide_form(life):
    return f"form[action$='/passes/{life['pass'].pk}/decide/']"


def _decide(life, **fields):
    prefix = f"pass-{life['pass'].pk}"
    return {f"{prefix}-{name}": value for name, value in fields.items()}


def test_approving_a_pass_within_the_allowance_records_who_decided(page, manager, operator, life):
    phase_services.phase_promote(actor=operator, stay=life["stay"])  # phase 2 allows two passes a month
    url = _url(life["house"], "passes/")
    response = page(manager).submit(url, form=_decide_form(life), button="Approve", follow=True)
    assert "approved" in response.content.decode()
    approved = OvernightPass.objects.get(pk=life["pass"].pk)
    assert (approved.status, approved.decided_by, approved.allowance_overridden) == ("approved", manager.user, False)


def test_denying_a_pass_needs_a_reason_beside_the_reason_field(page, manager, life):
    url = _url(life["house"], "passes/")
    response = page(manager).submit(url, form=_decide_form(life), button="Deny")
    assert response.status_code == 400
    assert "Say why the pass is denied." in response.content.decode()
    assert f'id="id_pass-{life["pass"].pk}-reason_error"' in response.content.decode()
    assert OvernightPass.objects.get(pk=life["pass"].pk).status == "requested"
    page(manager).submit(url, _decide(life, reason="Phase 1: no passes yet."), form=_decide_form(life), button="Deny")
    assert OvernightPass.objects.get(pk=life["pass"].pk).status == "denied"


def test_approving_beyond_the_allowance_needs_the_override_and_a_reason(page, manager, life):
    url, form = _url(life["house"], "passes/"), _decide_form(life)
    refused = page(manager).submit(url, form=form, button="Approve")
    assert refused.status_code == 400
    assert "overnight passes Stabilization allows" in refused.content.decode()
    no_reason = page(manager).submit(url, _decide(life, override="on"), form=form, button="Approve")
    assert no_reason.status_code == 400
    assert "Give the reason for approving beyond the allowance." in no_reason.content.decode()
    assert OvernightPass.objects.get(pk=life["pass"].pk).status == "requested"
    overridden = _decide(life, override="on", reason="Grandmother's funeral.")
    page(manager).submit(url, overridden, form=form, button="Approve")
    approved = OvernightPass.objects.get(pk=life["pass"].pk)
    assert (approved.status, approved.allowance_overridden) == ("approved", True)


def test_a_pass_decided_meanwhile_says_so(page, manager, life):
    _first, response = page(manager).submit_twice(_url(life["house"], "passes/"), _decide(life, reason="No."),
        again=_decide(life, reason="No again."), form=_decide_form(life), button="Deny",
    )  # fmt: skip
    assert response.status_code == 409
    assert "This pass is already denied." in response.content.decode()
    assert OvernightPass.objects.get(pk=life["pass"].pk).decision_reason == "No."
