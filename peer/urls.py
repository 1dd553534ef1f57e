"""Peer-run house pages: the members' pages under /portal/house/, the operator's under /dashboard/."""

from django.urls import path

from peer.views import audits, chapter, chores, house, meetings, money, operator

MEETING = "portal/house/meetings/<int:meeting_id>/"

urlpatterns = [
    path("portal/house/", house.house_home, name="peer-house"),
    path("portal/house/meetings/", meetings.house_meetings, name="peer-meetings"),
    path(MEETING, meetings.house_meeting, name="peer-meeting"),
    path(
        "portal/house/applicants/<int:application_id>/invite/", meetings.applicant_invite, name="peer-applicant-invite"
    ),
    path(f"{MEETING}attendance/", meetings.meeting_attendance, name="peer-meeting-attendance"),
    path(f"{MEETING}minutes/", meetings.meeting_minutes, name="peer-meeting-minutes"),
    path(f"{MEETING}motions/", meetings.meeting_motion, name="peer-meeting-motion"),
    path(f"{MEETING}motions/<int:motion_id>/vote/", meetings.motion_vote, name="peer-motion-vote"),
    path(f"{MEETING}motions/<int:motion_id>/decide/", meetings.motion_decide, name="peer-motion-decide"),
    path(f"{MEETING}approve-minutes/", meetings.meeting_approve, name="peer-meeting-approve"),
    path(f"{MEETING}elect/", meetings.meeting_elect, name="peer-meeting-elect"),
    path(f"{MEETING}contract/", meetings.meeting_contract, name="peer-meeting-contract"),
    path(f"{MEETING}close/", meetings.meeting_close, name="peer-meeting-close"),
    path("portal/house/money/", money.house_money, name="peer-money"),
    path("portal/house/money/payments/", money.money_payment, name="peer-money-payment"),
    path("portal/house/money/bills/", money.money_bill, name="peer-money-bill"),
    path("portal/house/money/register/", money.money_entry, name="peer-money-entry"),
    path("portal/house/money/expenses/", money.money_expense, name="peer-money-expense"),
    path("portal/house/money/expenses/<int:expense_id>/end/", money.money_expense_end, name="peer-money-expense-end"),
    path("portal/house/money/share/", money.money_share, name="peer-money-share"),
    path("portal/house/money/members/<int:resident_id>/", money.member_ledger_page, name="peer-member-ledger"),
    path(
        "portal/house/money/<int:year>-<int:month>/treasurer-report.pdf",
        money.treasurer_report_pdf,
        name="peer-treasurer-report",
    ),
    path("portal/house/audits/", audits.house_audits, name="peer-audits"),
    path("portal/house/audits/<int:audit_id>/sign/", audits.audit_sign, name="peer-audit-sign"),
    path("portal/house/audits/<int:audit_id>/audit.pdf", audits.audit_pdf, name="peer-audit-pdf"),
    path("portal/house/chores/", chores.house_chores, name="peer-chores"),
    path("portal/house/chores/<int:assignment_id>/mark/", chores.chore_mark, name="peer-chore-mark"),
    path("portal/house/chapter/", chapter.house_chapter, name="peer-chapter"),
    path("portal/house/chapter/reports/<int:report_id>/mark/", chapter.report_mark, name="peer-report-mark"),
    path("portal/house/chapter/reports/<int:report_id>/house-report.pdf", chapter.report_pdf, name="peer-report-pdf"),
    path("dashboard/houses/<int:house_id>/governance/", operator.house_governance, name="peer-governance"),
    path("dashboard/chapters/", operator.chapters_page, name="peer-chapters"),
    path(
        "dashboard/chapters/reports/<int:report_id>/mark/",
        operator.chapter_report_mark,
        name="peer-chapter-report-mark",
    ),
    path(
        "dashboard/chapters/reports/<int:report_id>/house-report.pdf",
        operator.chapter_report_pdf,
        name="peer-chapter-report-pdf",
    ),
]
