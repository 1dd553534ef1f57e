"""Every page of the peer-run houses, opened and posted by every role and by each office.

Members' pages live in the portal: staff get 403 (they are not residents), a resident of a staff-run house finds no
such page (404), and each form's duty is its office's: another member gets 403, a refusal of the rules 400, and the
office holder is sent back to the page (302). The operator's pages (a house's governance, the chapters) are the
organization's operators' alone. Requests are hand-made here; tests/peer/test_pages.py submits the forms."""

import pytest

from tests.peer.world import cells, each_role_answers, matrix_fixtures

globals().update(matrix_fixtures())  # the world, made once for the module (tests/peer/world.py)


READ = cells(200, operator=403, manager=403, outsider=403, resident_member=404)


def duty(office, status=302, **others):
    return cells(403, resident_member=404, **{office: status}, **others)


OPERATOR_ONLY = cells(403, operator=200, outsider=404)

PAGES = [
    ("get", "/portal/house/", None, READ),
    ("get", "/portal/house/meetings/", None, READ),
    ("get", "/portal/house/meetings/{tonight}/", None, READ),
    ("get", "/portal/house/money/", None, READ),
    ("get", "/portal/house/audits/", None, READ),
    ("get", "/portal/house/chores/", None, READ),
    ("get", "/portal/house/chapter/", None, READ),
    ("get", "/portal/house/money/members/{coordinator_resident}/", None, READ),
    ("get", "/portal/house/money/2026-02/treasurer-report.pdf", None, READ),
    ("get", "/portal/house/audits/{january_audit}/audit.pdf", None, READ),
    ("get", "/portal/house/chapter/reports/{report}/house-report.pdf", None, READ),
    ("post", "/portal/house/meetings/", {"kind": "emergency", "held_at": "2026-03-11T21:00", "reason": "A leak"}, cells(400, operator=403, manager=403, outsider=403, resident_member=404, member=403)),
    ("post", "/portal/house/applicants/{applicant}/invite/", None, duty("president")),
    ("post", "/portal/house/meetings/{tonight}/attendance/", {"attendance-present": ["{president_resident}", "{member_resident}"]}, duty("president")),
    ("post", "/portal/house/meetings/{tonight}/minutes/", {"minutes-new_business": "The porch light"}, duty("secretary")),
    ("post", "/portal/house/meetings/{tonight}/motions/", {"motion-kind": "general", "motion-text": "Paint", "motion-moved_by": "{member_resident}", "motion-seconded_by": "{treasurer_resident}"}, duty("president", 400)),
    ("post", "/portal/house/meetings/{tonight}/motions/{motion}/vote/", {"choice": "for"}, cells(302, operator=403, manager=403, outsider=403, resident_member=404)),
    ("post", "/portal/house/meetings/{tonight}/motions/{motion}/decide/", None, duty("president")),
    ("post", "/portal/house/meetings/{tonight}/approve-minutes/", {"approve-minutes_of": "{last_week}"}, duty("secretary")),
    ("post", "/portal/house/meetings/{tonight}/elect/", {"election-office": "secretary", "election-resident": "{member_resident}", "election-starts_on": "2026-03-12"}, duty("president")),
    ("post", "/portal/house/meetings/{tonight}/contract/", {"contract-member": "{coordinator_resident}", "contract-terms": "Pays $40 more a week"}, duty("president")),
    ("post", "/portal/house/meetings/{tonight}/close/", None, duty("president", 400)),
    ("post", "/portal/house/money/payments/", {"payment-member": "{member_resident}", "payment-method": "cash", "payment-amount": "81.50", "payment-received_on": "2026-03-11"}, duty("treasurer")),
    ("post", "/portal/house/money/bills/", {"bill-kind": "supplies", "bill-payee": "Co-op", "bill-amount": "35.00", "bill-received_on": "2026-03-10", "bill-due_on": "2026-03-20"}, duty("treasurer")),
    ("post", "/portal/house/money/register/", {"entry-kind": "deposit", "entry-amount": "81.50", "entry-entry_on": "2026-03-11"}, duty("treasurer")),
    ("post", "/portal/house/money/expenses/", {"expense-kind": "supplies", "expense-payee": "Co-op", "expense-amount": "40.00", "expense-period": "weekly"}, duty("comptroller")),
    ("post", "/portal/house/money/expenses/{expense}/end/", None, duty("comptroller")),
    ("post", "/portal/house/money/share/", {"share-starts_on": "2026-03-23"}, duty("comptroller")),
    ("post", "/portal/house/audits/", {"month": "2026-02-01", "statement_balance": "1389.00", "cleared": ["{deposit}"], "auditors": ["{secretary_resident}", "{member_resident}"]}, duty("comptroller")),
    ("post", "/portal/house/audits/{january_audit}/sign/", None, cells(400, secretary=302, coordinator=302, operator=403, manager=403, outsider=403, resident_member=404)),
    ("post", "/portal/house/chores/{chore}/mark/", {"status": "done"}, duty("coordinator")),
    ("post", "/portal/house/chapter/", {"month": "2026-02-01"}, duty("hsr")),
    ("post", "/portal/house/chapter/reports/{report}/mark/", {"needs_help": "on", "help_note": "Two members behind"}, duty("hsr")),
    ("get", "/dashboard/houses/{peer_house}/governance/", None, OPERATOR_ONLY),
    ("post", "/dashboard/houses/{peer_house}/governance/", {"governance": "peer_run", "term_months": "6", "admission_percent": "80", "dismissal_percent": "80", "behind_limit": "100.00"}, cells(403, operator=302, outsider=404)),
    ("get", "/dashboard/chapters/", None, cells(403, operator=200, outsider=200)),
    ("post", "/dashboard/chapters/", {"name": "North Side"}, cells(403, operator=302, outsider=302)),
    ("post", "/dashboard/chapters/reports/{report}/mark/", {"needs_help": "on", "help_note": "Behind"}, OPERATOR_ONLY | {"operator": 302}),
    ("get", "/dashboard/chapters/reports/{report}/house-report.pdf", None, OPERATOR_ONLY),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "expected"), PAGES, ids=[f"{m} {p}" for m, p, _b, _e in PAGES])
def test_each_role_and_office_gets_exactly_its_pages(page, world, acting, method, path, body, expected):
    answered = each_role_answers(lambda role: _Form(page(acting(role))), method, path, body, world)
    assert answered == expected


class _Form:
    """A page client sending form-encoded posts (``request_as`` speaks to API clients)."""

    def __init__(self, client):
        self.client = client

    def get(self, url, data=None, **_kwargs):
        return self.client.get(url)

    def post(self, url, data=None, **_kwargs):
        return self.client.post(url, data or {})


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get("/portal/house/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
