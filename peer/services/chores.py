"""The coordinator's weekly chore report: in a peer-run house the coordinator marks each chore done, missed or
excused (what a manager does in a staff-run house)."""

from accounts.models import Membership
from peer.models import Office
from peer.services.authority import require_office
from residents.chores.services import chore_assignment_mark
from residents.models import ChoreAssignment


def chore_report_mark(
    *, actor: Membership, assignment: ChoreAssignment, status: str, note: str = ""
) -> ChoreAssignment:
    """Marks a chore of the house, as its coordinator, under the chores' own rules."""
    require_office(actor, assignment.house, Office.COORDINATOR)
    return chore_assignment_mark(actor=actor, assignment=assignment, status=status, note=note, by_house=True)
