"""Chapters of peer-run houses and the monthly report each house files to its chapter."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict, Invalid, NotAllowed
from accounts.models import Membership
from houses.models import House
from peer.models import Chapter, HouseCharter, HouseReport, Office
from peer.selectors.houses import month_figures
from peer.services.authority import member_of, offices_held, require_office, require_peer_run


@transaction.atomic
def chapter_create(*, actor: Membership, name: str, area: str = "") -> Chapter:
    """Creates a chapter, as an operator; houses join it through their charter."""
    if not actor.is_operator:
        raise NotAllowed(_("Only an operator of the organization can do this."))
    name = name.strip()
    if not name:
        raise Invalid(_("Name the chapter."), field="name")
    if Chapter.objects.filter(organization_id=actor.organization_id, name=name).exists():
        raise Conflict(_("The organization already has a chapter of that name."), field="name")
    return Chapter.objects.create(organization_id=actor.organization_id, name=name, area=area.strip())


@transaction.atomic
def house_report_file(*, actor: Membership, house: House, month: date, notes: str = "") -> HouseReport:
    """Files the house's report for ``month`` to its chapter, as the house services representative, once the month
    has ended. Its figures are copied as they are now, so the chapter reads what the house reported."""
    require_peer_run(house)
    representative = require_office(actor, house, Office.HOUSE_SERVICES_REP)
    charter = HouseCharter.objects.select_related("chapter").get(house=house)
    if charter.chapter is None:
        raise Conflict(_("The house belongs to no chapter yet."), field="month")
    month = month.replace(day=1)
    figures = month_figures(house, month=month)
    if figures["month"] >= house.organization.today().replace(day=1):
        raise Invalid(_("A month is reported once it has ended."), field="month")
    officers = "\n".join(f"{term.get_office_display()}: {term.resident}" for term in figures["officers"])
    try:
        with transaction.atomic():
            return HouseReport.objects.create(
                organization_id=house.organization_id, house=house, chapter=charter.chapter, month=month,
                beds=figures["beds"], members=figures["members"], vacancies=figures["vacancies"],
                shares_charged=figures["shares_charged"], shares_collected=figures["shares_collected"],
                shares_owed=figures["shares_owed"], bank_balance=figures["bank_balance"],
                audit_done=figures["audit_done"], audit_reconciled=figures["audit_reconciled"], officers=officers,
                meetings_held=figures["meetings_held"], notes=notes.strip(), filed_by=representative,
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(_("The house has already filed its report for this month."), field="month") from None


def speaks_for_chapter(actor: Membership, chapter: Chapter) -> bool:
    """The chapter is its houses' representatives: an operator, or the house services representative of one of its
    houses (today), speaks for it."""
    if actor.organization_id != chapter.organization_id:
        return False
    if actor.is_operator:
        return True
    member = member_of(actor)
    if member is None:
        return False
    for charter in HouseCharter.objects.filter(chapter=chapter).select_related("house__organization"):
        house = charter.house
        if Office.HOUSE_SERVICES_REP in offices_held(member, house, on=house.organization.today()):
            return True
    return False


@transaction.atomic
def house_report_mark(*, actor: Membership, report: HouseReport, needs_help: bool, note: str = "") -> HouseReport:
    """Marks (or clears) a house as needing the chapter's help, for the chapter."""
    if not speaks_for_chapter(actor, report.chapter):
        raise NotAllowed(_("Only the chapter's house services representatives or an operator can do this."))
    if needs_help and not note.strip():
        raise Invalid(_("Say what help the house needs."), field="help_note")
    report.needs_help = needs_help
    report.help_note = note.strip() if needs_help else ""
    report.help_marked_by = actor.user
    report.save(update_fields=["needs_help", "help_note", "help_marked_by"])
    return report
