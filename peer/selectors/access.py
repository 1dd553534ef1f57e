"""What each viewer may read of the peer-run houses, one selector per kind of row (the API and pages use these).

Operators read every peer-run house of their organization; a member reads the house they live in, its finances
included (every member sees the house's money); managers read nothing (a peer-run house has none)."""

from django.db.models import Q, QuerySet

from billing.models import Payment
from houses.models import Bed, House
from peer.models import (
    AuditSignature,
    Ballot,
    BankEntry,
    BehaviourContract,
    BusinessMeeting,
    Chapter,
    ExpectedExpense,
    HouseBill,
    HouseReport,
    MonthlyAudit,
    Motion,
    OfficerTerm,
    ShareRate,
)
from residents.core.selectors.nights import homes_of, occupants
from residents.models import Application, Resident, Stay


def peer_houses_for(*, viewer) -> QuerySet[House]:
    houses = House.objects.filter(organization_id=viewer.organization_id, governance=House.Governance.PEER_RUN)
    if viewer.is_operator:
        return houses.select_related("charter__chapter")
    if viewer.is_resident:
        return houses.filter(pk__in=homes_of(viewer)).select_related("charter__chapter")
    return houses.none()


def members_for(*, viewer) -> QuerySet[Resident]:
    """Residents the viewer may name as members: an operator, any of the organization's; a member, those living in
    their house tonight."""
    residents = Resident.objects.filter(organization_id=viewer.organization_id)
    if viewer.is_operator:
        return residents
    if viewer.is_resident:
        tonight = occupants(night=viewer.organization.today(), houses=homes_of(viewer))
        return residents.filter(pk__in=tonight.values("stay__resident_id"))
    return residents.none()


def applicants_for(*, viewer) -> QuerySet[Application]:
    """Applications to the viewer's peer-run house still open (members interview their applicants)."""
    open_statuses = [s for s in Application.Status.values if s not in (Application.Status.ADMITTED,
                     Application.Status.DECLINED, Application.Status.WITHDRAWN)]  # fmt: skip
    houses = peer_houses_for(viewer=viewer)
    if viewer.is_manager:
        return Application.objects.none()
    return Application.objects.filter(
        organization_id=viewer.organization_id,
        preferred_house__in=houses,
        status__in=open_statuses,
        erased_at__isnull=True,
    ).order_by("applied_on", "pk")


def officer_terms_for(*, viewer) -> QuerySet[OfficerTerm]:
    return OfficerTerm.objects.visible_to(viewer).select_related("resident", "house")


def meetings_for(*, viewer) -> QuerySet[BusinessMeeting]:
    return BusinessMeeting.objects.visible_to(viewer).select_related("house", "called_by").prefetch_related("present")


def motions_for(*, viewer) -> QuerySet[Motion]:
    return (
        Motion.objects.visible_to(viewer)
        .select_related("meeting__house", "moved_by", "seconded_by", "application", "bed", "stay__resident")
        .prefetch_related("ballots__member", "meeting__present")
    )


def ballots_for(*, viewer) -> QuerySet[Ballot]:
    return Ballot.objects.visible_to(viewer).select_related("member")


def expected_expenses_for(*, viewer) -> QuerySet[ExpectedExpense]:
    return ExpectedExpense.objects.visible_to(viewer).select_related("house")


def share_rates_for(*, viewer) -> QuerySet[ShareRate]:
    return ShareRate.objects.visible_to(viewer).select_related("house")


def bills_for(*, viewer) -> QuerySet[HouseBill]:
    return HouseBill.objects.visible_to(viewer).select_related("house")


def bank_entries_for(*, viewer) -> QuerySet[BankEntry]:
    return BankEntry.objects.visible_to(viewer).select_related("house", "signed_by", "cosigned_by", "bill")


def audits_for(*, viewer) -> QuerySet[MonthlyAudit]:
    return (
        MonthlyAudit.objects.visible_to(viewer)
        .select_related("house", "prepared_by")
        .prefetch_related("auditors", "signatures__member")
    )


def signatures_for(*, viewer) -> QuerySet[AuditSignature]:
    return AuditSignature.objects.visible_to(viewer)


def contracts_for(*, viewer) -> QuerySet[BehaviourContract]:
    return BehaviourContract.objects.visible_to(viewer).select_related("house", "member", "meeting")


def chapters_for(*, viewer) -> QuerySet[Chapter]:
    return Chapter.objects.visible_to(viewer)


def house_reports_for(*, viewer) -> QuerySet[HouseReport]:
    """An operator reads every report; a member, their own house's and every report filed to their house's chapter
    (the chapter sees all its houses in one table)."""
    reports = HouseReport.objects.filter(organization_id=viewer.organization_id).select_related(
        "house", "chapter", "filed_by"
    )
    if viewer.is_operator:
        return reports
    if viewer.is_resident:
        return reports.filter(
            Q(house__in=homes_of(viewer)) | Q(chapter__charters__house__in=homes_of(viewer))
        ).distinct()
    return reports.none()


def houses_to_govern(*, viewer) -> QuerySet[House]:
    """Houses whose governance the viewer may set: every house of an operator's organization."""
    if not viewer.is_operator:
        return House.objects.none()
    return House.objects.filter(organization_id=viewer.organization_id).select_related("organization")


def share_payments_for(*, viewer):
    """Payments into the ledgers of the viewer's peer-run houses (every member sees the house's money)."""
    return Payment.objects.filter(
        organization_id=viewer.organization_id, house__in=peer_houses_for(viewer=viewer)
    ).order_by("-received_on", "-pk")


def peer_home(viewer):
    """The peer-run house a member lives in tonight, or None."""
    if not viewer or not viewer.is_resident:
        return None
    return peer_houses_for(viewer=viewer).select_related("organization").first()


def peer_beds_for(*, viewer):
    return Bed.objects.filter(house__in=peer_houses_for(viewer=viewer))


def member_stays_for(*, viewer):
    return Stay.objects.filter(house__in=peer_houses_for(viewer=viewer), move_out__isnull=True)
