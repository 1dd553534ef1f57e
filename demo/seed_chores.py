"""Demo chores and meetings: each house's chore chart, the last four weeks and this week of the rotation (past chores
mostly done, a few missed or excused), weekly house meetings with minutes, and outside recovery meetings.

Everything goes through the services (so the demo obeys the same rules as the app) and is keyed by natural keys:
generation is idempotent, marks and meetings are only added where none exist, so a second run changes nothing.
Dates are relative to the organization's today; choices come from ``random.Random`` seeded with natural keys.
"""

import random
from datetime import date, datetime, time, timedelta

from accounts.calendar import week_of
from accounts.models import Membership, Organization, Role
from houses.models import House
from residents.chores import services as chore_services
from residents.core.selectors.nights import residents_of
from residents.meetings import services as meeting_services

# name, description, frequency, weekdays
from residents.models import Chore, ChoreAssignment, HouseMeeting, RecoveryMeetingAttendance, Stay

CHORES = [
    ("Kitchen after dinner", "Dishes washed, dried and put away; counters and stove wiped; floor swept.", "daily", []),
    ("Trash and recycling", "Empty every bin, new bags in, cans to the curb the night before pickup.", "weekly",
     ["mon", "thu"]),
    ("Bathrooms", "Toilets, sinks and showers scrubbed, mirrors cleaned, floor mopped, paper restocked.", "weekly",
     ["tue", "fri"]),
    ("Common room", "Vacuum, dust, straighten the couches, clear cups and clutter.", "weekly", ["wed", "sat"]),
    ("Yard and porch", "Mow or rake as the season needs; sweep the porch and the front walk.", "weekly", ["sat"]),
    ("Laundry room", "Clean the lint traps, wipe the machines, sweep; nothing left on the folding table.", "weekly",
     ["sun"]),
    ("Kitchen deep clean", "Fridge purge (label it or lose it), microwave, oven, mop behind the appliances.", "weekly",
     ["sun"]),
    ("Hallways and stairs", "Vacuum the stairs and halls, wipe handrails, doorknobs and light switches.", "weekly",
     ["wed"]),
]  # fmt: skip

EXCUSES = [
    "Overnight pass approved for a family visit.",
    "Working a double shift; swap arranged with a housemate.",
    "Doctor's appointment ran late.",
    "Sick with the flu; manager saw them.",
    "Court date downtown.",
]
MISSED_NOTES = ["", "", "Talked about it at the house meeting.", "Second miss this month; reminder given."]

MEETING_TOPICS = [
    "Reviewed the chore chart for the coming week; asked everyone to mark swaps on the board.",
    "Curfew reminder: 11 pm on weeknights, midnight on Fridays and Saturdays for phase 2 and up.",
    "Fridge rule: label your food; unlabeled items go out on Sunday night.",
    "Rent is due Friday; talk to the manager early if you will be short.",
    "Quiet hours after 10 pm; phones on low in shared rooms.",
    "Random drug testing explained again for newer residents: the draw is random and nobody is singled out.",
    "Grievance forms are in the office binder and in the portal.",
    "Sign-out sheet: write where you are going and when you will be back, every time.",
    "House outing to the county recovery picnic next Saturday; sign up by Thursday.",
    "Reminder to log outside meetings in the portal and bring signed sheets on Sunday.",
    "Smoking only at the back fence, butts in the can.",
    "The washer on the left is leaking; repair booked, use the right one until then.",
]

OUTSIDE_MEETINGS = {
    "aa": ["Tuesday Night Big Book Study, St. Mark's", "Early Bird Group, Alano Club", "Happy Hour Group, Alano Club",
           "Sunday Serenity, Unity Church", "Downtown Step Study, First Methodist"],
    "na": ["Clean and Serene, Grace Lutheran", "Just for Today, Community Center", "Recovery Rocks, Lincoln Library"],
    "ca": ["Hope and Freedom CA, Fellowship Hall"],
    "smart": ["SMART Recovery, Memorial Hospital room 2", "SMART Recovery online (Thursday)"],
    "celebrate_recovery": ["Celebrate Recovery, Cornerstone Church"],
    "other": ["Recovery Dharma, Meditation Hall", "Women for Sobriety, YWCA", "Refuge Recovery, Dharma Center"],
}  # fmt: skip
MEETING_WEIGHTS = {"aa": 40, "na": 28, "ca": 5, "smart": 12, "celebrate_recovery": 10, "other": 5}


def seed(organization: Organization, *, light: bool = False) -> None:
    """Chore charts, rotation history and meetings for every house of ``organization``.

    ``light`` (for the second demo organization): four chores a house, two weeks, fewer meetings.
    """
    operator = organization.memberships.filter(role=Role.OPERATOR).order_by("pk").first()
    for index, house in enumerate(House.objects.filter(organization=organization, status="active").order_by("pk")):
        staff = house.staff.filter(is_active=True).order_by("pk").first() or operator
        seed_chores(house, staff=staff, count=4 if light else 6 + index % 3, weeks=2 if light else 5)
        seed_house_meetings(house, staff=staff, weeks=3 if light else 8, weekday=[6, 0, 2][index % 3])
        seed_outside_meetings(house, staff=staff, days=14 if light else 28)


def _local(house: House, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=house.organization.tzinfo)


def seed_chores(house: House, *, staff: Membership, count: int, weeks: int) -> None:
    """The first ``count`` chores of the chart, ``weeks`` weeks of rotation ending with this one, past ones marked."""
    for name, description, frequency, weekdays in CHORES[:count]:
        if not Chore.objects.filter(house=house, name=name).exists():
            chore_services.chore_create(
                actor=staff, house=house, name=name, description=description, frequency=frequency,
                weekdays=weekdays,
            )  # fmt: skip
    today = house.organization.today()
    monday = week_of(today)[0]
    for back in range(weeks - 1, -1, -1):
        chore_services.chore_rotation_generate(actor=None, house=house, week_start=monday - timedelta(weeks=back))
    past = ChoreAssignment.objects.filter(house=house, status="pending", due_date__lt=today).select_related("chore")
    for assignment in past.order_by("due_date", "pk"):
        rng = random.Random(f"chore-{house.name}-{assignment.chore.name}-{assignment.due_date}")
        roll = rng.random()
        status, note = ("done", "") if roll < 0.86 else ("missed", rng.choice(MISSED_NOTES)) if roll < 0.94 else (
            "excused", rng.choice(EXCUSES))  # fmt: skip
        chore_services.chore_assignment_mark(actor=staff, assignment=assignment, status=status, note=note)
        # Demo history: the manager marked each chore on the evening it was due, not today.
        evening = _local(house, assignment.due_date, time(20, rng.randint(0, 59)))
        ChoreAssignment.objects.filter(pk=assignment.pk).update(marked_at=evening)


def seed_house_meetings(house: House, *, staff: Membership, weeks: int, weekday: int) -> None:
    """A meeting a week on the house's meeting night (``weekday``, 0 is Monday) at 7 pm, before today, with the
    residents living there then (most of them came)."""
    today = house.organization.today()
    last = today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    for back in range(weeks):
        day = last - timedelta(weeks=back)
        held_at = _local(house, day, time(19, 0))
        if HouseMeeting.objects.filter(house=house, held_at=held_at).exists():
            continue
        rng = random.Random(f"house-meeting-{house.name}-{day}")
        living = residents_of(house=house, night=day)
        stays = list(Stay.objects.filter(pk__in=living.values()).select_related("resident").order_by("move_in", "pk"))
        # Someone always comes: with one or two residents living there, "all absent" would be no meeting at all.
        absent = set(rng.sample(range(len(stays)), k=min(max(len(stays) - 1, 0), rng.choice([0, 1, 1, 2]))))
        attendees = [stay.resident for number, stay in enumerate(stays) if number not in absent]
        topics = rng.sample(MEETING_TOPICS, k=3)
        newcomers = [stay.resident for stay in stays if day - timedelta(days=7) < stay.move_in <= day]
        if newcomers:
            topics.insert(0, "Welcomed " + " and ".join(str(resident) for resident in newcomers) + " to the house.")
        if stays and back % 2:
            facilitator, facilitator_name = None, f"{stays[0].resident} (house senior)"
        else:
            facilitator, facilitator_name = staff, ""
        minutes = "\n".join(f"- {topic}" for topic in topics) + f"\nAttendance: {len(attendees)} of {len(stays)}."
        meeting_services.house_meeting_log(
            actor=staff, house=house, held_at=held_at, facilitator=facilitator,
            facilitator_name=facilitator_name, attendees=attendees, minutes=minutes,
        )  # fmt: skip


def seed_outside_meetings(house: House, *, staff: Membership, days: int) -> None:
    """Two to four outside meetings a week for each current resident; all but the last two days verified by staff.

    Written at once: each row is what ``recovery_meeting_record`` writes (the open stay holds every day of the span,
    and no month is closed yet), for the thousand or so a month of meetings makes."""
    today = house.organization.today()
    kinds, weights = zip(*MEETING_WEIGHTS.items(), strict=True)
    stays = Stay.objects.open().filter(house=house).select_related("resident__membership__user").order_by("pk")
    earliest = today - timedelta(days=days - 1)
    # Seeding a house again (a later step adds residents) leaves the meetings already logged as they are.
    seen = set(
        RecoveryMeetingAttendance.objects.filter(stay__in=stays, attended_on__gte=earliest).values_list(
            "resident_id", "attended_on", "meeting_type", "name"
        )
    )
    rows = []
    for stay in stays:
        resident = stay.resident
        rng = random.Random(f"outside-meetings-{resident.legal_name}-{stay.move_in}")
        start = max(stay.move_in, earliest)
        for week_start in range(0, (today - start).days + 1, 7):
            span = [start + timedelta(days=week_start + offset) for offset in range(7)]
            span = [day for day in span if day <= today]
            for day in sorted(rng.sample(span, k=min(len(span), rng.randint(2, 4)))):
                kind = rng.choices(kinds, weights=weights)[0]
                name = rng.choice(OUTSIDE_MEETINGS[kind])
                verified = (today - day).days > 2 and rng.random() < 0.9
                # Demo history: verified from the signed sheet the morning after.
                verified_at = _local(house, day + timedelta(days=1), time(9, rng.randint(0, 59)))
                if (resident.pk, day, kind, name) in seen:
                    continue
                seen.add((resident.pk, day, kind, name))
                # Unverified ones were logged by the resident from the portal, when they have a login.
                by = staff.user if verified or resident.membership is None else resident.membership.user
                rows.append(
                    RecoveryMeetingAttendance(
                        organization_id=resident.organization_id, resident=resident, stay=stay, attended_on=day,
                        meeting_type=kind, name=name, created_by=by, verified_by=staff.user if verified else None,
                        verified_at=verified_at if verified else None,
                    )
                )  # fmt: skip
    RecoveryMeetingAttendance.objects.bulk_create(rows)
