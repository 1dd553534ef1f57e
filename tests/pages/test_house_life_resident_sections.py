"""The house-life sections of a resident's page: drug tests and incidents (audited), chores, signed rules, meetings,
the phase with this week's requirements, sign-outs and passes; and their small forms."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import AuditEntry
from residents.core.services.stays import stay_discharge
from residents.models import DrugTest, Incident, PhaseChange
from residents.program.services import phases as phase_services
from tests.residents.rules_factories import sign


def _url(resident, tail=""):
    return f"/dashboard/residents/{resident.pk}/{tail}"


def _local_now(organization, minutes_ago=5):
    moment = timezone.localtime(timezone.now(), organization.tzinfo) - timedelta(minutes=minutes_ago)
    return moment.strftime("%Y-%m-%dT%H:%M")


SECTIONS = ["_phase.html", "_drug_tests.html", "_chores.html", "_incidents.html", "_rules_signed.html",
            "_meetings.html", "_signouts.html"]  # fmt: skip


def test_the_resident_page_has_the_house_life_sections(page, manager, life):
    response = page(manager).get(_url(life["resident"]))
    used = {template.name for template in response.templates}
    assert {f"residents/resident/{name}" for name in SECTIONS} <= used
    body = response.content.decode()
    for heading in ["Phase and this week", "Drug tests", "Chores", "Incidents", "House rules signed", "Meetings",
                    "Sign-outs and passes"]:  # fmt: skip
        assert f">{heading}</h2>" in body
    assert "Raised voice at the house meeting." in body
    assert "Kitchen" in body
    assert "Mother&#x27;s house" in body


def test_showing_tests_and_incidents_is_an_audited_read(page, manager, life):
    page(manager).get(_url(life["resident"]))
    reads = AuditEntry.objects.filter(actor=manager.user, action="list")
    assert set(reads.values_list("object_type", "detail")) == {
        ("residents.drugtest", str(life["test"].pk)),
        ("residents.incident", str(life["incident"].pk)),
    }


def test_a_resident_with_nothing_sensitive_writes_no_audit_entry(page, operator, resident_factory):
    page(operator).get(_url(resident_factory()))
    assert not AuditEntry.objects.exists()


def test_the_phase_section_shows_this_weeks_requirements(page, manager, life):
    response = page(manager).get(_url(life["resident"]))
    row = response.context["life"]["compliance"]
    assert row.phase.name == "Stabilization"
    labels = [requirement.label for requirement in row.requirements]
    assert labels == ["Outside meetings this week", "Drug tests this month", "Curfew this week",
                      "Overnight passes this month", "Days in phase"]  # fmt: skip
    body = response.content.decode()
    assert "May be promoted" in body


def test_promoting_moves_the_resident_up_and_says_so(page, manager, life):
    data = {"promote-reason": "Steady."}
    response = page(manager).submit(_url(life["resident"]), data, button="Promote to the next phase", follow=True)
    assert f"{life['resident']} is promoted to Accountability" in response.content.decode()
    change = PhaseChange.objects.filter(stay=life["stay"]).latest("pk")
    assert (change.kind, change.phase.name, change.changed_by) == ("promotion", "Accountability", manager.user)


def test_a_promotion_dated_before_the_phase_began_is_refused_beside_the_date(page, manager, life):
    before = PhaseChange.objects.count()
    data = {"promote-on": "2025-12-01"}
    response = page(manager).submit(_url(life["resident"]), data, button="Promote to the next phase")
    assert response.status_code == 400
    assert list(response.context["promote_form"].errors) == ["on"]
    assert 'id="id_promote-on_error"' in response.content.decode()
    assert PhaseChange.objects.count() == before


def test_moving_down_needs_a_reason(page, manager, operator, life):
    phase_services.phase_promote(actor=operator, stay=life["stay"])
    before = PhaseChange.objects.count()
    response = page(manager).submit(_url(life["resident"]), {"demote-reason": ""}, button="Move down")
    assert response.status_code == 400
    assert list(response.context["demote_form"].errors) == ["reason"]
    assert PhaseChange.objects.count() == before
    moved = page(manager).submit(
        _url(life["resident"]), {"demote-reason": "Missed curfew twice."}, button="Move down", follow=True
    )
    assert f"{life['resident']} is moved down to Stabilization" in moved.content.decode()
    change = PhaseChange.objects.filter(stay=life["stay"]).latest("pk")
    assert (change.kind, change.phase.name) == ("demotion", "Stabilization")


def test_a_resident_without_a_phase_can_be_started_in_the_first(page, manager, life):
    PhaseChange.objects.filter(stay=life["stay"]).delete()
    assert "Start the first phase" in page(manager).get(_url(life["resident"])).content.decode()
    response = page(manager).submit(_url(life["resident"]), button="Start the first phase", follow=True)
    assert f"{life['resident']} starts in Stabilization" in response.content.decode()
    assert PhaseChange.objects.get(stay=life["stay"]).kind == "initial"


def test_recording_a_test_on_the_resident_page_is_audited(page, manager, life):
    data = {"test-collected_at": _local_now(life["house"].organization), "test-method": "breath",
            "test-reason": "for_cause", "test-panel": ["alcohol"], "test-result": "negative"}  # fmt: skip
    response = page(manager).submit(_url(life["resident"]), data, button="Record test", follow=True)
    assert f"Negative result recorded for {life['resident']}." in response.content.decode()
    test = DrugTest.objects.get(resident=life["resident"], method="breath")
    assert AuditEntry.objects.filter(action="create", object_type="residents.drugtest", object_id=str(test.pk)).exists()


def test_a_breath_test_for_drugs_is_refused_beside_the_panel(page, manager, life):
    tests, audited = DrugTest.objects.count(), AuditEntry.objects.filter(action="create").count()
    data = {"test-collected_at": _local_now(life["house"].organization), "test-method": "breath",
            "test-reason": "for_cause", "test-panel": ["alcohol", "thc"], "test-result": "negative"}  # fmt: skip
    response = page(manager).submit(_url(life["resident"]), data, button="Record test")
    assert response.status_code == 400
    assert response.context["test_form"].errors == {"panel": ["A breath test screens for alcohol only."]}
    assert '<details class="disclosure" open>' in response.content.decode()
    assert (DrugTest.objects.count(), AuditEntry.objects.filter(action="create").count()) == (tests, audited)


def _incident(organization, **changes):
    data = {"incident-occurred_at": _local_now(organization, 60), "incident-category": "curfew",
            "incident-severity": "medium", "incident-what_happened": "Back at midnight.",
            "incident-action": "warning"}  # fmt: skip
    return {**data, **{f"incident-{name}": value for name, value in changes.items()}}


def test_logging_an_incident_involves_the_resident_and_is_audited(page, manager, life):
    data = _incident(life["house"].organization)
    response = page(manager).submit(_url(life["resident"]), data, button="Log incident", follow=True)
    assert "Incident logged at Maple House." in response.content.decode()
    incident = Incident.objects.get(what_happened="Back at midnight.")
    assert (incident.house, list(incident.residents.all())) == (life["house"], [life["resident"]])
    assert AuditEntry.objects.filter(action="create", object_type="residents.incident", object_id=str(incident.pk))


def test_logging_a_fine_charges_the_residents_ledger_and_says_so(page, manager, life):
    from billing.models import LedgerEntry

    data = _incident(life["house"].organization, action="fine", fine_amount="35.00")
    response = page(manager).submit(_url(life["resident"]), data, button="Log incident", follow=True)
    assert "The fine of $35.00 is charged to the ledger." in response.content.decode()
    assert LedgerEntry.objects.get(resident=life["resident"], kind="fine").amount == Decimal("35.00")


def test_a_fine_without_an_amount_is_refused_beside_the_amount(page, manager, life):
    before = Incident.objects.count()
    data = _incident(life["house"].organization, action="fine")
    response = page(manager).submit(_url(life["resident"]), data, button="Log incident")
    assert response.status_code == 400
    assert response.context["incident_form"].errors == {"fine_amount": ["A fine needs a positive amount."]}
    assert Incident.objects.count() == before


def test_verifying_an_outside_meeting_records_who_verified_it(page, manager, life):
    attendance = life["attendance"]
    verify = f"form[action$='/meetings/{attendance.pk}/verify/']"
    response = page(manager).submit(_url(life["resident"]), form=verify, follow=True)
    assert "AA meeting on" in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.verified_by == manager.user


def test_the_signed_rules_section_says_whether_the_current_version_is_signed(page, manager, life):
    assert "Not signed" in page(manager).get(_url(life["resident"])).content.decode()
    sign(life["resident"], life["house"])
    body = page(manager).get(_url(life["resident"])).content.decode()
    assert "has signed" in body
    assert "Maple House rules, version 2" in body


def test_a_past_resident_has_history_but_no_forms(page, operator, life):
    stay_discharge(actor=operator, stay=life["stay"], on=life["house"].organization.today(), reason="completed")
    body = page(operator).get(_url(life["resident"])).content.decode()
    assert "Record a test" not in body
    assert "Log an incident" not in body
    assert "Raised voice at the house meeting." in body


def test_moving_down_from_the_first_phase_is_refused_with_the_reason_shown(page, manager, operator, life):
    phase_services.phase_promote(actor=operator, stay=life["stay"])
    before = PhaseChange.objects.count()
    # The first phase offers no "Move down": the form sent twice from one page is how a stale page gets there.
    moved, response = page(manager).submit_twice(_url(life["resident"]), {"demote-reason": "Late again."},
                                   button="Move down")  # fmt: skip
    assert moved.status_code == 302
    assert response.status_code == 400
    assert f"{life['resident']} is in the first phase, Stabilization." in response.content.decode()
    assert PhaseChange.objects.count() == before + 1
