"""The house-life sections of a resident's page: drug tests, chores, incidents, signed rules, meetings, phase and
this week's requirements, sign-outs and passes. ``residents.dashboard.views.residents`` adds ``resident_sections(...)``
to the page's context; the forms' POST views are in ``resident_actions``.

Drug-test results and incidents shown here are audited reads (by their selectors)."""

from datetime import timedelta

from django.utils import timezone

from accounts.calendar import week_start
from residents.chores.selectors import chore_assignments_for
from residents.conduct.selectors.incidents import incidents_for
from residents.dashboard.forms import DemoteForm, IncidentForm, PlannedMoveOutForm, PromoteForm
from residents.house_rules.selectors import acknowledgements_for, current_rule_set_of_stay, unsigned_stays
from residents.meetings.selectors import house_meetings_for, recovery_meetings_for
from residents.models import Resident, Stay
from residents.program.selectors.phase_compliance import phase_compliance
from residents.program.selectors.phases import phases_for
from residents.program.selectors.signouts import passes_for, sign_outs_for
from residents.retention.selectors import archived_count_for_resident_page
from residents.testing.forms import DrugTestForm
from residents.testing.selectors import drug_tests_for, test_requests_for

RECENT = 10
FORM_NAMES = ("test_form", "incident_form", "promote_form", "demote_form", "move_out_form")


def current_stay(request, resident: Resident) -> Stay | None:
    """The resident's open stay in a house the viewer may see, or None (not living in one of their houses)."""
    stays = Stay.objects.visible_to(request.viewer).open().filter(resident=resident)
    return stays.select_related("house__organization").first()


def _phase(request, stay):
    """This week's phase compliance of the stay (None without a stay), the phases it could be moved down to, and
    whether there is a phase to be promoted to."""
    if stay is None:
        return None, [], False
    viewer = request.viewer
    today = viewer.organization.today()
    rows = phase_compliance(viewer=viewer, week_start=today, stays=Stay.objects.filter(pk=stay.pk))
    compliance = rows[0] if rows else None
    phase = compliance.phase if compliance else None
    if phase is None:
        return compliance, [], False
    phases = list(phases_for(viewer=viewer))
    return compliance, [p for p in phases if p.order < phase.order], any(p.order > phase.order for p in phases)


def resident_sections(request, resident: Resident, forms: dict) -> dict:
    """The sections' data, scoped to the viewer, in a fixed number of queries whatever the resident's history."""
    viewer = request.viewer
    today = viewer.organization.today()
    stay = current_stay(request, resident)
    tests = list(drug_tests_for(viewer=viewer).filter(resident=resident)[:RECENT])
    incidents = list(incidents_for(viewer=viewer).filter(residents=resident)[:RECENT])
    compliance, lower_phases, can_promote = _phase(request, stay)
    # The rules of the house slept in tonight: a transfer dated ahead has already rewritten ``stay.house``.
    rule_set = current_rule_set_of_stay(viewer=viewer, stay=stay, night=today) if stay else None
    signed_current = (
        rule_set is not None and not unsigned_stays(night=today, houses=[rule_set.house_id]).filter(pk=stay.pk).exists()
    )
    monday = week_start(today)
    life = {
        "stay": stay,
        "today": today,
        "tests": tests,
        "open_requests": test_requests_for(viewer=viewer).open().filter(resident=resident).order_by("due_on"),
        "incidents": incidents,
        "chores": chore_assignments_for(viewer=viewer)
        .filter(resident=resident, due_date__range=(monday - timedelta(weeks=1), monday + timedelta(days=6)))
        .order_by("-due_date", "chore__name"),
        "acknowledgements": acknowledgements_for(viewer=viewer).filter(resident=resident)[:RECENT],
        "rule_set": rule_set,
        "signed_current": signed_current,
        "house_meetings": house_meetings_for(viewer=viewer).filter(attendees=resident).order_by("-held_at")[:RECENT],
        "outside_meetings": recovery_meetings_for(viewer=viewer).filter(resident=resident)[: RECENT * 2],
        "compliance": compliance,
        "lower_phases": lower_phases,
        "can_promote": can_promote,
        "sign_outs": sign_outs_for(viewer=viewer).filter(stay__resident=resident)[:RECENT],
        "passes": passes_for(viewer=viewer).filter(resident=resident)[:RECENT],
        # Archived records are out of view: staff readmitting someone should know earlier ones exist.
        "archived": archived_count_for_resident_page(viewer=viewer, resident=resident),
    }
    now = timezone.localtime(timezone.now(), viewer.organization.tzinfo).replace(second=0, microsecond=0)
    defaults = {
        "test_form": lambda: DrugTestForm(prefix="test", initial={"collected_at": now}),
        "incident_form": lambda: IncidentForm(prefix="incident", initial={"occurred_at": now}),
        "promote_form": lambda: PromoteForm(prefix="promote"),
        "demote_form": lambda: DemoteForm(
            prefix="demote", phases=phases_for(viewer=viewer).filter(pk__in=[phase.pk for phase in lower_phases])
        ),
        "move_out_form": lambda: PlannedMoveOutForm(
            prefix="move-out", initial={"on": stay.expected_move_out if stay else None}
        ),
    }
    return {"life": life, **{name: forms.get(name) or defaults[name]() for name in FORM_NAMES}}
