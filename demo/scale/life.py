"""House life around the stays: intake and random drug tests with each week's draw, phases, house and outside
meetings, incidents, sign-outs and overnight passes, and the chore rotation of the last weeks.

Written with the shapes the services give them (a draw's seed, population and sample replay with
``residents.testing.services.drug_test_draws``). This week's draw and next week's chores are left to the jobs.
"""

import json
from datetime import date, datetime, timedelta

from accounts import calendar
from demo.scale.money import moment
from residents.models import (
    Chore,
    ChoreAssignment,
    ChoreRotationMember,
    Draw,
    DrugTest,
    DrugTestSubstance,
    HouseMeeting,
    Incident,
    OvernightPass,
    PhaseChange,
    RecoveryMeetingAttendance,
    SignOut,
    TestRequest,
)
from residents.testing.services.drug_test_draws import _sample, draw_count

CHORE_WEEKS = 4  # full weeks of chores before the current one
ATTENDANCE_WEEKS = 12  # house meetings list who came for the last weeks; older ones keep their minutes
PANEL = ["amphetamines", "benzodiazepines", "cocaine", "fentanyl", "opiates", "thc"]
PANEL_WEEKS = 8  # tests of the last weeks list their whole panel; older ones only what was positive
RESULTS = ["negative"] * 92 + ["positive"] * 3 + ["dilute"] * 2 + ["invalid"] + ["refused"] * 2
DESTINATIONS = ["Work", "AA meeting", "NA meeting", "Grocery store", "Doctor's appointment", "Job interview",
                "Family visit", "Gym", "Church", "Library", "Probation office", "Outpatient group"]  # fmt: skip
INCIDENTS = [
    ("curfew", "low", "warning", "Came back after curfew without calling the house.", "Curfew"),
    ("conduct", "low", "warning", "Argued loudly with a housemate in the kitchen.", "Respect for others"),
    ("guest_policy", "medium", "restriction", "Had a guest in the bedroom after visiting hours.", "Guests"),
    ("property_damage", "low", "behaviour_contract", "Broke the dryer door and did not report it.", "House property"),
    ("substance_use", "high", "discharge", "Found with an open bottle of vodka in the backyard.", "Zero tolerance"),
    ("medical", "medium", "warning", "Felt faint after a new medication; EMS checked him and left.", ""),
]


class Life:
    def __init__(self, sink, *, org, rng):
        self.org, self.rng = org, rng
        self.tests = sink.table(DrugTest, ["id", "organization", "resident", "stay", "house", "collected_at",
                                           "method", "reason", "result", "collected_by", "result_recorded_at",
                                           "result_recorded_by", "created_at", "updated_at"])  # fmt: skip
        self.substances = sink.table(DrugTestSubstance, ["id", "test", "substance", "positive"])
        self.draws = sink.table(Draw, ["id", "organization", "house", "week_start", "population_on", "seed",
                                       "population", "percentage", "count", "selected", "drawn_at"])  # fmt: skip
        self.requests = sink.table(TestRequest, ["id", "organization", "resident", "stay", "house", "reason",
                                                 "requested_on", "due_on", "draw", "status", "fulfilled_by",
                                                 "closed_at", "created_at"])  # fmt: skip
        self.phase_changes = sink.table(PhaseChange, ["id", "organization", "stay", "phase", "kind", "effective_on",
                                                      "reason", "changed_by", "created_at"])  # fmt: skip
        self.meetings = sink.table(HouseMeeting, ["id", "organization", "house", "held_at", "facilitator_name",
                                                  "minutes", "created_by", "created_at"])  # fmt: skip
        self.attendees = sink.table(HouseMeeting.attendees.through, ["id", "housemeeting", "resident"])
        self.outside = sink.table(RecoveryMeetingAttendance, ["id", "organization", "resident", "stay", "attended_on",
                                                              "meeting_type", "name", "created_by",
                                                              "created_at"])  # fmt: skip
        self.incidents = sink.table(Incident, ["id", "organization", "house", "occurred_at", "category",
                                               "rule_reference", "severity", "what_happened", "action",
                                               "reported_by", "created_at", "updated_at"])  # fmt: skip
        self.involved = sink.table(Incident.residents.through, ["id", "incident", "resident"])
        self.sign_outs = sink.table(SignOut, ["id", "organization", "house", "stay", "destination", "signed_out_at",
                                              "expected_return_at", "signed_in_at", "signed_out_by",
                                              "signed_in_by", "created_at"])  # fmt: skip
        self.passes = sink.table(OvernightPass, ["id", "organization", "house", "resident", "stay", "leave_on",
                                                 "return_on", "destination", "contact_phone", "status",
                                                 "requested_at", "decided_by", "decided_at",
                                                 "returned_at"])  # fmt: skip
        self.chores = sink.table(Chore, ["id", "organization", "house", "name", "description", "frequency",
                                         "weekdays", "created_at"])  # fmt: skip
        self.chore_assignments = sink.table(ChoreAssignment, ["id", "organization", "house", "chore", "resident",
                                                              "stay", "due_date", "status", "marked_by", "marked_at",
                                                              "note", "created_at"])  # fmt: skip
        self.rotation = sink.table(ChoreRotationMember, ["id", "organization", "house", "resident", "stay",
                                                         "joined_on", "starting_count", "created_at"])  # fmt: skip

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return moment(day, hour, minute, self.org.tz)

    def _test(self, stay, house, day, reason, *, hour=None) -> int:
        org, rng = self.org, self.rng
        result = rng.choice(RESULTS)
        moment = self._at(day, hour if hour is not None else rng.randint(7, 20), rng.randint(0, 59))
        pk = self.tests.next_id()
        method = "breath" if rng.random() < 0.05 else "urine_cup"
        self.tests.add((pk, org.id, stay.resident_id, stay.id, org.house_ids[house], moment, method, reason, result,
                        org.staff_id,
                        moment, org.staff_id, moment, moment))  # fmt: skip
        recent = day >= org.today - timedelta(weeks=PANEL_WEEKS)
        if method == "urine_cup" and (recent or result == "positive"):
            hit = rng.choice(PANEL) if result == "positive" else None
            for substance in PANEL if recent else [hit]:
                self.substances.add((self.substances.next_id(), pk, substance, substance == hit))
        return pk

    def stay(self, stay) -> None:
        """The intake test, the phase history and (for current residents) recent outside meetings and sign-outs."""
        org, rng = self.org, self.rng
        self._test(stay, stay.house, stay.move_in, "intake", hour=16)
        end = stay.move_out or org.today
        phase_day, order = stay.move_in, 0
        while order < len(org.phases) and phase_day < end:
            kind = "initial" if order == 0 else "promotion"
            reason = "" if order == 0 else "Met every requirement of the phase"
            self.phase_changes.add((self.phase_changes.next_id(), org.id, stay.id, org.phases[order], kind, phase_day,
                                    reason, org.staff_id, self._at(phase_day, 17)))  # fmt: skip
            phase_day += timedelta(days=rng.randint(35, 75))
            order += 1
        if stay.move_out is not None:
            return
        house = org.house_ids[stay.assignments[-1].house]
        since = max(stay.move_in, org.today - timedelta(days=28))
        day = since
        while day < org.today:
            if rng.random() < 0.4:
                kind = rng.choice(["aa", "na", "na", "aa", "smart", "celebrate_recovery"])
                self.outside.add((self.outside.next_id(), org.id, stay.resident_id, stay.id, day, kind,
                                  "Downtown group", org.staff_id, self._at(day, 21)))  # fmt: skip
            if rng.random() < 0.2 and day >= org.today - timedelta(days=14):
                out = self._at(day, rng.randint(9, 17), rng.choice([0, 15, 30, 45]))
                back = out + timedelta(hours=rng.randint(2, 5))
                signed_in = back + timedelta(minutes=rng.randint(-40, 20))
                if rng.random() < 0.03:
                    signed_in = self._at(day, 23, rng.randint(10, 59))  # after curfew
                signed_in = max(signed_in, out + timedelta(minutes=20))
                self.sign_outs.add((self.sign_outs.next_id(), org.id, house, stay.id, rng.choice(DESTINATIONS), out,
                                    back, signed_in, org.staff_id, org.staff_id, out))  # fmt: skip
            day += timedelta(days=1)
        if rng.random() < 0.12 and (org.today - stay.move_in).days > 60:
            leave = org.today - timedelta(days=rng.randint(5, 40))
            self.passes.add((self.passes.next_id(), org.id, house, stay.resident_id, stay.id, leave,
                             leave + timedelta(days=2), "Family visit", "(555) 201-7788", "approved",
                             self._at(leave - timedelta(days=4), 18), org.staff_id,
                             self._at(leave - timedelta(days=3), 10),
                             self._at(leave + timedelta(days=2), 17)))  # fmt: skip
        if rng.random() < 0.04 and (org.today - stay.move_in).days > 60:
            leave = org.today + timedelta(days=rng.randint(3, 10))
            self.passes.add((self.passes.next_id(), org.id, house, stay.resident_id, stay.id, leave,
                             leave + timedelta(days=1), "Sister's wedding", "(555) 201-4410", "requested",
                             self._at(org.today - timedelta(days=1), 19), None, None, None))  # fmt: skip

    def house(self, house: int, nights: list) -> None:
        """``nights``: the house's bed assignments as (start, end or None, resident id, stay plan)."""
        org, rng = self.org, self.rng

        def living(day):
            return {row[2]: row[3] for row in nights if row[0] <= day and (row[1] is None or day < row[1])}

        # Weekly draws: every past week, the population of its Monday, the sample the service would replay.
        monday = calendar.week_start(org.start) + timedelta(weeks=1)
        this_week = calendar.week_start(org.today)
        meeting_weekday = house % 7
        attendance_from = this_week - timedelta(weeks=ATTENDANCE_WEEKS)
        while monday < this_week:
            population = sorted(living(monday))
            count = draw_count(len(population), 25)
            seed = rng.getrandbits(48)
            selected = _sample(seed, population, count)
            draw = self.draws.next_id()
            self.draws.add((draw, org.id, org.house_ids[house], monday, monday, seed, json.dumps(population), 25,
                            count, json.dumps(selected), self._at(monday, 11)))  # fmt: skip
            residents = living(monday)
            due = monday + timedelta(days=2)
            for resident in selected:
                stay = residents[resident]
                request = self.requests.next_id()
                tested_on = monday + timedelta(days=rng.randint(0, 2))
                if tested_on >= org.today or (stay.move_out and tested_on >= stay.move_out) or rng.random() < 0.03:
                    self.requests.add((request, org.id, resident, stay.id, org.house_ids[house], "random", monday,
                                       due, draw, "open", None, None, self._at(monday, 11)))  # fmt: skip
                    continue
                test = self._test(stay, house, tested_on, "random")
                self.requests.add((request, org.id, resident, stay.id, org.house_ids[house], "random", monday, due,
                                   draw, "fulfilled", test, self._at(tested_on, 18), self._at(monday, 11)))  # fmt: skip
            meeting_day = monday + timedelta(days=meeting_weekday)
            if meeting_day < org.today:
                meeting = self.meetings.next_id()
                self.meetings.add((meeting, org.id, org.house_ids[house], self._at(meeting_day, 19), "House manager",
                                   "Chores, rent reminders, one round of gratitude.", org.staff_id,
                                   self._at(meeting_day, 21)))  # fmt: skip
                for resident in sorted(living(meeting_day)) if meeting_day >= attendance_from else ():
                    if rng.random() < 0.88:
                        self.attendees.add((self.attendees.next_id(), meeting, resident))
            if rng.random() < 0.18:
                day = monday + timedelta(days=rng.randint(0, 6))
                people = sorted(living(day))
                if people and day < org.today:
                    category, severity, action, what, rule = rng.choice(INCIDENTS)
                    incident = self.incidents.next_id()
                    moment = self._at(day, rng.randint(18, 23), rng.randint(0, 59))
                    self.incidents.add((incident, org.id, org.house_ids[house], moment, category, rule, severity, what,
                                        action, org.staff_id, moment, moment))  # fmt: skip
                    self.involved.add((self.involved.next_id(), incident, rng.choice(people)))
            monday += timedelta(weeks=1)
        self._chores(house, living)

    def _chores(self, house: int, living) -> None:
        """Chores of the last weeks through this Sunday, handed out by the rotation's rule (fewest so far, then the
        longest wait); days before today are marked."""
        org, rng = self.org, self.rng
        house_id = org.house_ids[house]
        specs = [("Kitchen", "Dishes done, counters wiped, floor swept.", "daily", 127),
                 ("Bathrooms", "Toilets, sinks and showers scrubbed.", "daily", 127),
                 ("Trash and recycling", "Bins to the curb the night before pickup.", "weekly", 1 | 8),
                 ("Yard", "Mow, rake and pick up litter.", "weekly", 32)]  # fmt: skip
        chores = []
        for name, description, frequency, weekdays in specs:
            pk = self.chores.next_id()
            self.chores.add((pk, org.id, house_id, name, description, frequency, weekdays, self._at(org.start, 9)))
            chores.append((pk, weekdays))
        first = calendar.week_start(org.today) - timedelta(weeks=CHORE_WEEKS)
        counts, last, joined = {}, {}, set()
        for offset in range((CHORE_WEEKS + 1) * 7):
            day = first + timedelta(days=offset)
            people = living(day)
            for resident, stay in sorted(people.items()):
                if stay.id not in joined:
                    joined.add(stay.id)
                    floor = min((counts[r] for r in people if r in counts), default=0)
                    credit = max(0, floor - counts.get(resident, 0))
                    counts[resident] = counts.get(resident, 0) + credit
                    self.rotation.add((self.rotation.next_id(), org.id, house_id, resident, stay.id, day, credit,
                                       self._at(day, 12)))  # fmt: skip
            for chore, weekdays in chores:
                if not people or not weekdays & (1 << day.weekday()):
                    continue
                resident = min(people, key=lambda r: (counts.get(r, 0), last.get(r, date.min), r))
                counts[resident] = counts.get(resident, 0) + 1
                last[resident] = day
                status, marked_by, marked_at, note = "pending", None, None, ""
                if day < org.today:
                    status = rng.choice(["done"] * 17 + ["missed"] * 2 + ["excused"])
                    marked_by, marked_at = org.staff_id, self._at(day, 21)
                    note = "At work until late" if status == "excused" else ""
                self.chore_assignments.add((self.chore_assignments.next_id(), org.id, house_id, chore, resident,
                                            people[resident].id, day, status, marked_by, marked_at, note,
                                            self._at(first, 12)))  # fmt: skip
