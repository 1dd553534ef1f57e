"""Demo retention: the organization archives sensitive records two years after a discharge (its houses opened three
years ago, so seven years would leave nothing to show). Two residents lived in a house in its first months and left
long ago: one's drug tests, incident and note are archived already, the other's are due, so the Archive page
shows both lists and the operators' dashboard says records are due.

Runs after the incidents demo (which adds nothing once any incident exists) and before billing (whose history starts
months ago: these stays are older, so no rent is posted and the ledger holds nothing of them). Idempotent: once the
organization has a retention setting, nothing is added. All dates count back from the organization's today.
"""

from datetime import datetime, time, timedelta

from django.db.models import Q

from accounts.models import Organization, Role
from houses.models import Bed
from residents.conduct.services import incidents as incident_services
from residents.core.services import stays as stay_services
from residents.models import BedAssignment, Resident
from residents.retention import services as retention_services
from residents.testing.services import drug_tests as test_services

KEPT_YEARS = 2
PANEL = ["thc", "cocaine", "opiates", "amphetamines", "benzodiazepines", "fentanyl"]

# first and last name, move-in and move-out (days before today), tests (days after move-in, result)
PAST_RESIDENTS = [
    ("Dale", "Prescott", 1060, 930, [(1, "negative"), (30, "negative"), (58, "positive")]),
    ("Ray", "Castillo", 1050, 790, [(1, "negative"), (45, "dilute"), (90, "negative")]),
]
INCIDENT = "Came back two hours after curfew and would not say where he had been; agreed to a behaviour contract."
NOTES = [
    "Asked for a letter confirming his dates of residence for a job application; sent it.",
    "Called to say he is two years sober and working full time; thanked the house.",
]


def _moment(organization: Organization, day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=organization.tzinfo)


def _past_stay(organization, operator, first, last, move_in_ago, move_out_ago, tests, note):
    today = organization.today()
    move_in, move_out = today - timedelta(days=move_in_ago), today - timedelta(days=move_out_ago)
    # A bed nobody holds from move-in on (admission takes a bed free from its first night), kept free afterwards.
    held = BedAssignment.objects.filter(Q(end__isnull=True) | Q(end__gt=move_in)).values("bed_id")
    bed = (
        Bed.objects.filter(house__organization=organization, in_service_from__lte=move_in, retired_on__isnull=True)
        .exclude(pk__in=held)
        .select_related("house")
        .order_by("house_id", "pk")
        .first()
    )
    house = bed.house
    resident = Resident.objects.create(
        organization=organization, legal_first_name=first, legal_last_name=last, referral_source="County detox",
    )  # fmt: skip
    stay = stay_services.stay_admit(actor=operator, resident=resident, bed=bed, on=move_in)
    for days_after, result in tests:
        day = move_in + timedelta(days=days_after)
        test_services.drug_test_record(
            actor=operator, resident=resident, collected_at=_moment(organization, day, 19), method="urine_cup",
            reason="intake" if days_after == 1 else "random", panel=PANEL, result=result,
            positive_substances=["thc"] if result == "positive" else [],
        )  # fmt: skip
    incident_services.incident_record(
        actor=operator, house=house, occurred_at=_moment(organization, move_in + timedelta(days=40), 23),
        category="curfew", severity="medium", what_happened=INCIDENT, residents=[resident],
        rule_reference="House rule 4: curfew 11 pm Sunday to Thursday", action="behaviour_contract",
    )  # fmt: skip
    stay_services.stay_discharge(actor=operator, stay=stay, on=move_out, reason="completed", note="Demo history")
    incident_services.resident_note_add(actor=operator, resident=resident, body=note)
    return resident


def seed(organization: Organization) -> None:
    if organization.sensitive_records_kept_years:
        return
    operator = organization.memberships.filter(role=Role.OPERATOR).order_by("pk").first()
    organization.sensitive_records_kept_years = KEPT_YEARS
    organization.save(update_fields=["sensitive_records_kept_years"])
    (first, last, move_in_ago, move_out_ago, tests), note = PAST_RESIDENTS[0], NOTES[0]
    _past_stay(organization, operator, first, last, move_in_ago, move_out_ago, tests, note)
    # Archived by the operator: everything due now is this first resident's.
    retention_services.archive_due(actor=operator)
    (first, last, move_in_ago, move_out_ago, tests), note = PAST_RESIDENTS[1], NOTES[1]
    _past_stay(organization, operator, first, last, move_in_ago, move_out_ago, tests, note)
