"""A closed month is frozen in the house's life too: chores due in it are not marked or handed out, and no house
meeting, recovery meeting, sign-out, pass, drill, inspection or fix is dated into it (400 naming the closed month,
nothing written), so its compliance and safety figures stay the ones its stored PDF was made from (issue 12,
requirement 7). Today is Monday, June 15, 2026; the books are closed through May."""

from datetime import date, datetime, time, timedelta

import pytest

from accounts.closing import MonthClosed
from compliance.models import CorrectiveAction, Drill, Inspection, InspectionLine
from compliance.services import inspections as inspection_services
from reports.metrics import Month, fingerprint, monthly_metrics
from reports.models import MonthClose
from reports.services import month_close
from residents.core.services.stays import stay_admit
from residents.house_rules.services import RuleChange, rules_publish
from residents.models import (
    ChoreAssignment,
    HouseMeeting,
    OvernightPass,
    RecoveryMeetingAttendance,
    RuleSet,
    SignOut,
)
from residents.program.services import signouts as signout_services
from tests.clock import local_moment, module_clock

from ..residents.chores_factories import ChoreFactory

_clock = module_clock(local_moment(2026, 6, 15))

MAY = "May 2026 is closed"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _at(organization, day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=organization.tzinfo)


def _answer_all(actor, inspection):
    for line in inspection.lines.order_by("position"):
        extra = {}
        if line.item == InspectionLine.Item.FIRE_EXTINGUISHER:
            extra = {"location": "Kitchen", "last_serviced_on": inspection.inspected_on}
        if line.item == InspectionLine.Item.NALOXONE_KIT:
            extra = {"location": "Hall", "quantity": 2, "expires_on": inspection.inspected_on + timedelta(days=300)}
        inspection_services.inspection_line_record(actor=actor, line=line, result="pass", note="checked", **extra)


@pytest.fixture
def spring(organization, operator, house, resident_factory):
    """Maple House with a resident since March 1: a chore of hers due May 20 still pending, a house meeting on May
    18, an inspection on May 10 that left the hallway to clear, and another dated May 28 still in progress; then
    April and May closed."""
    stay = stay_admit(actor=operator, resident=resident_factory(), bed=house.beds.first(), on=date(2026, 3, 1))
    chore = ChoreFactory(house=house, name="Kitchen")
    assignment = ChoreAssignment.objects.create(
        organization=organization, house=house, chore=chore, resident=stay.resident, stay=stay,
        due_date=date(2026, 5, 20),
    )  # fmt: skip
    meeting = HouseMeeting.objects.create(
        organization=organization, house=house, held_at=_at(organization, date(2026, 5, 18), 19),
        facilitator_name="Senior resident", minutes="Chores reviewed.",
    )  # fmt: skip
    meeting.attendees.set([stay.resident])
    found = inspection_services.inspection_start(actor=operator, house=house, inspected_on=date(2026, 5, 10))
    _answer_all(operator, found)
    hallway = found.lines.get(item=InspectionLine.Item.EXITS_CLEAR)
    inspection_services.inspection_line_record(actor=operator, line=hallway, result="fail", note="Bikes")
    inspection_services.inspection_complete(actor=operator, inspection=found)
    running = inspection_services.inspection_start(actor=operator, house=house, inspected_on=date(2026, 5, 28))
    month_close(actor=operator, organization=organization, month=Month(2026, 4))
    month_close(actor=operator, organization=organization, month=Month(2026, 5))
    return {
        "stay": stay, "house": house, "assignment": assignment, "meeting": meeting, "running": running,
        "action": CorrectiveAction.objects.get(line=hallway),
    }  # fmt: skip


def _history():
    """Every row the compliance and safety figures of a month are computed from, as stored."""
    return (
        list(ChoreAssignment.objects.order_by("pk").values("due_date", "status", "resident_id")),
        list(HouseMeeting.objects.order_by("pk").values("held_at", "attendees")),
        list(RecoveryMeetingAttendance.objects.order_by("pk").values()),
        list(SignOut.objects.order_by("pk").values()),
        list(OvernightPass.objects.order_by("pk").values()),
        list(Drill.objects.order_by("pk").values()),
        list(Inspection.objects.order_by("pk").values("inspected_on", "status")),
        list(InspectionLine.objects.order_by("pk").values("result")),
        list(CorrectiveAction.objects.order_by("pk").values("fixed_on")),
        list(RuleSet.objects.order_by("pk").values()),
    )


# (name, how to send it, the field the error is shown beside)
ATTEMPTS = {
    "a chore marked": (
        lambda s: ("post", f"/api/v1/chore-assignments/{s['assignment'].pk}/mark/", {"status": "done"}),
        "status",
    ),
    "a chore week generated": (
        lambda s: ("post", "/api/v1/chore-assignments/generate/", {"house": s["house"].pk, "week_start": "2026-05-18"}),
        "week_start",
    ),
    "a house meeting": (
        lambda s: ("post", "/api/v1/house-meetings/",
                   {"house": s["house"].pk, "held_at": "2026-05-25T19:00:00-05:00",
                    "facilitator_name": "Senior resident", "attendees": [s["stay"].resident.pk]}),
        "held_at",
    ),
    "a house meeting moved out": (
        lambda s: ("patch", f"/api/v1/house-meetings/{s['meeting'].pk}/", {"held_at": "2026-06-08T19:00:00-05:00"}),
        "held_at",
    ),
    "a house meeting's attendees": (
        lambda s: ("patch", f"/api/v1/house-meetings/{s['meeting'].pk}/", {"attendees": []}),
        "held_at",
    ),
    "a recovery meeting": (
        lambda s: ("post", "/api/v1/recovery-meetings/",
                   {"resident": s["stay"].resident.pk, "attended_on": "2026-05-20", "meeting_type": "aa"}),
        "attended_on",
    ),
    "a sign-out": (
        lambda s: ("post", "/api/v1/sign-outs/",
                   {"stay": s["stay"].pk, "destination": "Work", "signed_out_at": "2026-05-20T08:00:00-05:00",
                    "expected_return_at": "2026-05-20T17:00:00-05:00"}),
        "signed_out_at",
    ),
    "a pass already taken": (
        lambda s: ("post", "/api/v1/passes/",
                   {"stay": s["stay"].pk, "leave_on": "2026-05-22", "return_on": "2026-05-24",
                    "destination": "Mom's", "contact_phone": "(555) 010-4444"}),
        "leave_on",
    ),
    "a drill": (
        lambda s: ("post", "/api/v1/drills/",
                   {"house": s["house"].pk, "held_at": "2026-05-20T10:00:00-05:00", "residents_present": 5,
                    "evacuation_minutes": "3.0"}),
        "held_at",
    ),
    "an inspection": (
        lambda s: ("post", "/api/v1/inspections/start/", {"house": s["house"].pk, "inspected_on": "2026-05-20"}),
        "inspected_on",
    ),
    "an inspection of May completed": (
        lambda s: ("post", f"/api/v1/inspections/{s['running'].pk}/complete/", {}),
        "inspection",
    ),
    "a line of an inspection of May answered": (
        lambda s: ("post", f"/api/v1/inspection-lines/{s['running'].lines.order_by('position').first().pk}/record/",
                   {"result": "pass"}),
        "inspection",
    ),
    "a fix": (
        lambda s: ("post", f"/api/v1/corrective-actions/{s['action'].pk}/fix/",
                   {"note": "Bikes moved to the shed.", "fixed_on": "2026-05-30"}),
        "fixed_on",
    ),
}  # fmt: skip


def _send(client, spring, name):
    method, path, body = ATTEMPTS[name][0](spring)
    return getattr(client, method)(path, body, format="json")


@pytest.mark.parametrize("name", list(ATTEMPTS))
def test_a_record_dated_into_a_closed_month_is_refused_naming_it_and_nothing_is_written(api, operator, spring, name):
    before = _history()
    response = _send(api(operator), spring, name)
    assert response.status_code == 400, response.content
    assert response.json()[ATTEMPTS[name][1]][0].startswith(f"{MAY}")
    assert _history() == before


def test_the_refusal_says_which_day_is_the_first_open_one(api, operator, spring):
    response = _send(api(operator), spring, "a recovery meeting")
    assert response.json()["attended_on"] == [
        "May 2026 is closed; a recovery meeting cannot be dated May 20, 2026. Date it Jun 1, 2026 or later, or ask "
        "an operator to reopen May 2026."
    ]


def test_marking_a_chore_of_a_closed_month_from_the_chores_page_shows_why_and_changes_nothing(page, manager, spring):
    assignment = spring["assignment"]
    row = f"form[action$='/assignments/{assignment.pk}/mark/']"
    response = page(manager).submit(
        f"/dashboard/houses/{spring['house'].pk}/chores/?week=2026-05-18", {f"mark-{assignment.pk}-note": ""},
        form=row, button="Done",
    )  # fmt: skip
    assert response.status_code == 400
    assert (
        "May 2026 is closed; a chore due May 20, 2026 keeps the mark it had. Ask an operator to reopen May 2026 to "
        "mark it." in response.content.decode()
    )
    assignment.refresh_from_db()
    assert assignment.status == ChoreAssignment.Status.PENDING


def test_the_closed_months_figures_stay_as_stored_after_every_refused_write_and_valid_ones_today(
    api, operator, organization, spring
):
    client = api(operator)
    shown = client.get("/api/v1/reports/monthly/?month=2026-05").json()
    for name in ATTEMPTS:
        assert _send(client, spring, name).status_code == 400, name
    # Valid records dated in June: a recovery meeting, a drill and the fix of May's hallway.
    body = {"resident": spring["stay"].resident.pk, "attended_on": "2026-06-01", "meeting_type": "aa"}
    assert client.post("/api/v1/recovery-meetings/", body, format="json").status_code == 201
    body = {"house": spring["house"].pk, "held_at": "2026-06-12T10:00:00-05:00", "residents_present": 1,
            "evacuation_minutes": "2.5"}  # fmt: skip
    assert client.post("/api/v1/drills/", body, format="json").status_code == 201
    body = {"note": "Bikes moved to the shed.", "fixed_on": "2026-06-01"}
    assert client.post(f"/api/v1/corrective-actions/{spring['action'].pk}/fix/", body, format="json").status_code == 200

    assert client.get("/api/v1/reports/monthly/?month=2026-05").json() == shown
    close = MonthClose.objects.get(month=date(2026, 5, 1))
    assert fingerprint(monthly_metrics(organization=organization, month=Month(2026, 5))) == close.report.fingerprint


def test_a_chore_week_that_straddles_the_close_is_handed_out_only_on_its_open_days(
    api, operator, organization, house, resident_factory
):
    stay_admit(actor=operator, resident=resident_factory(), bed=house.beds.first(), on=date(2026, 3, 1))
    ChoreFactory(house=house, name="Kitchen")  # daily
    month_close(actor=operator, organization=organization, month=Month(2026, 4))
    response = api(operator).post(  # Monday April 27 to Sunday May 3
        "/api/v1/chore-assignments/generate/", {"house": house.pk, "week_start": "2026-04-27"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert sorted(ChoreAssignment.objects.values_list("due_date", flat=True)) == [
        date(2026, 5, 1), date(2026, 5, 2), date(2026, 5, 3)
    ]  # fmt: skip


def test_a_rule_set_cannot_be_published_back_into_a_closed_month(operator, organization, house):
    month_close(actor=operator, organization=organization, month=Month(2026, 4))
    month_close(actor=operator, organization=organization, month=Month(2026, 5))
    change = RuleChange(house=house, category="curfew", text="In by 11 pm.", consequence="A warning.")
    with pytest.raises(MonthClosed, match=f"^{MAY}; a publication of the rules cannot be dated May 30, 2026"):
        rules_publish(actor=operator, changes=[change], at=_at(organization, date(2026, 5, 30), 12))
    assert not RuleSet.objects.exists()


def test_a_return_from_a_pass_cannot_be_backdated_into_a_closed_month(operator, organization, spring):
    stay = spring["stay"]
    pass_ = OvernightPass.objects.create(
        organization=organization, house=stay.house, resident=stay.resident, stay=stay, leave_on=date(2026, 5, 29),
        return_on=date(2026, 5, 31), destination="Mom's", contact_phone="(555) 010-4444",
        status=OvernightPass.Status.APPROVED, requested_by=operator.user,
    )  # fmt: skip
    with pytest.raises(MonthClosed, match=f"^{MAY}; a return from a pass cannot be dated May 31, 2026"):
        signout_services.pass_return(actor=operator, pass_=pass_, returned_at=_at(organization, date(2026, 5, 31), 9))
    pass_.refresh_from_db()
    assert pass_.returned_at is None
