"""Every peer-run house endpoint, tried by every role and by each office.

Roles: the organization's operator; a manager of a staff-run house (``house``); a resident living in that staff-run
house; an operator of another organization (``outsider``); and the peer-run house's members: its president,
secretary, treasurer, comptroller, coordinator, house services representative, and a member holding no office.
A forbidden object answers 404, as if it did not exist; an office's duty refused to another member answers 403.
"""

import pytest

from tests.peer.world import MATRIX_ROLES, cells, each_role_answers, matrix_fixtures

globals().update(matrix_fixtures())  # the world, made once for the module (tests/peer/world.py)


LIST = cells(200)
OWN = cells(200, manager=404, resident_member=404, outsider=404)


# A member's duty: the office holder gets ``status``; other members 403; the other roles by the API's role check.
def duty(office, status, *, resident_member=404, outsider=403, operator=403, **others):
    return cells(
        403,
        **{office: status, "resident_member": resident_member, "outsider": outsider, "operator": operator, **others},
    )


MATRIX = [
    ("get", "/api/v1/peer/houses/", None, LIST),
    ("get", "/api/v1/peer/houses/{peer_house}/", None, OWN),
    ("get", "/api/v1/peer/houses/{peer_house}/members/", None, OWN),
    ("put", "/api/v1/houses/{peer_house}/governance/", {"governance": "peer_run", "term_months": 4}, cells(403, operator=200, outsider=404)),
    ("put", "/api/v1/houses/{house}/governance/", {"governance": "peer_run"}, cells(403, operator=409, outsider=404)),
    ("get", "/api/v1/peer/officer-terms/", None, LIST),
    ("get", "/api/v1/peer/officer-terms/{president_term}/", None, OWN),
    ("post", "/api/v1/peer/officer-terms/", {"house": "{peer_house}", "office": "secretary", "resident": "{member_resident}", "starts_on": "2026-03-12", "elected_at": "{tonight}"}, duty("president", 201, resident_member=400, outsider=400)),
    ("get", "/api/v1/peer/meetings/", None, LIST),
    ("get", "/api/v1/peer/meetings/{tonight}/", None, OWN),
    ("post", "/api/v1/peer/meetings/", {"house": "{peer_house}", "kind": "emergency", "held_at": "2026-03-11T21:00:00-05:00", "reason": "A leak"}, cells(409, operator=403, manager=403, outsider=403, resident_member=400, member=403)),
    ("patch", "/api/v1/peer/meetings/{tonight}/", {"new_business": "The porch light"}, duty("secretary", 200)),
    ("post", "/api/v1/peer/meetings/{tonight}/attendance/", {"present": ["{president_resident}", "{member_resident}"]}, duty("president", 200)),
    ("post", "/api/v1/peer/meetings/{tonight}/close/", None, duty("president", 409)),
    ("post", "/api/v1/peer/meetings/{last_week}/approve-minutes/", {"approved_at": "{tonight}"}, duty("secretary", 200)),
    ("get", "/api/v1/peer/motions/", None, LIST),
    ("get", "/api/v1/peer/motions/{motion}/", None, OWN),
    ("post", "/api/v1/peer/motions/", {"meeting": "{tonight}", "text": "Paint the porch", "moved_by": "{member_resident}", "seconded_by": "{treasurer_resident}"}, duty("president", 409, resident_member=400)),
    ("post", "/api/v1/peer/motions/{motion}/vote/", {"choice": "for"}, cells(200, operator=403, manager=403, outsider=403, resident_member=404)),
    ("post", "/api/v1/peer/motions/{motion}/decide/", None, duty("president", 200)),
    ("get", "/api/v1/peer/expected-expenses/", None, LIST),
    ("get", "/api/v1/peer/expected-expenses/{expense}/", None, OWN),
    ("post", "/api/v1/peer/expected-expenses/", {"house": "{peer_house}", "kind": "supplies", "payee": "Co-op", "amount": "40.00", "period": "weekly"}, duty("comptroller", 201, resident_member=400)),
    ("post", "/api/v1/peer/expected-expenses/{expense}/end/", None, duty("comptroller", 200)),
    ("get", "/api/v1/peer/share-rates/", None, LIST),
    ("get", "/api/v1/peer/share-rates/{share}/", None, OWN),
    ("post", "/api/v1/peer/share-rates/", {"house": "{peer_house}", "starts_on": "2026-03-23"}, duty("comptroller", 201, resident_member=400)),
    ("get", "/api/v1/peer/share-payments/", None, LIST),
    ("get", "/api/v1/peer/share-payments/{payment}/", None, OWN),
    ("post", "/api/v1/peer/share-payments/", {"member": "{member_resident}", "method": "cash", "amount": "81.50", "received_on": "2026-03-11"}, duty("treasurer", 201, resident_member=400)),
    ("get", "/api/v1/peer/bills/", None, LIST),
    ("get", "/api/v1/peer/bills/{bill}/", None, OWN),
    ("post", "/api/v1/peer/bills/", {"house": "{peer_house}", "kind": "supplies", "payee": "Co-op", "amount": "35.00", "received_on": "2026-03-10", "due_on": "2026-03-20"}, duty("treasurer", 201, resident_member=400)),
    ("get", "/api/v1/peer/bank-entries/", None, LIST),
    ("get", "/api/v1/peer/bank-entries/{deposit}/", None, OWN),
    ("post", "/api/v1/peer/bank-entries/", {"house": "{peer_house}", "kind": "check", "amount": "140.00", "entry_on": "2026-03-11", "number": "1001", "payee": "City Power", "signed_by": "{treasurer_resident}", "cosigned_by": "{president_resident}", "bill": "{bill}"}, duty("treasurer", 201, resident_member=400)),
    ("get", "/api/v1/peer/audits/", None, LIST),
    ("get", "/api/v1/peer/audits/{january_audit}/", None, OWN),
    ("post", "/api/v1/peer/audits/", {"house": "{peer_house}", "month": "2026-02-01", "statement_balance": "1389.00", "cleared": ["{deposit}"], "auditors": ["{secretary_resident}", "{member_resident}"]}, duty("comptroller", 201, resident_member=400)),
    ("post", "/api/v1/peer/audits/{january_audit}/sign/", None, cells(400, secretary=200, coordinator=200, operator=403, manager=403, outsider=403, resident_member=404)),
    ("get", "/api/v1/peer/behaviour-contracts/", None, LIST),
    ("get", "/api/v1/peer/behaviour-contracts/{contract}/", None, OWN),
    ("post", "/api/v1/peer/behaviour-contracts/", {"meeting": "{tonight}", "member": "{member_resident}", "terms": "Pays"}, duty("president", 400, resident_member=400)),
    ("get", "/api/v1/peer/chapters/", None, LIST),
    ("get", "/api/v1/peer/chapters/{chapter}/", None, OWN),
    ("post", "/api/v1/peer/chapters/", {"name": "North Side", "area": "Uptown"}, cells(403, operator=201, outsider=201)),
    ("get", "/api/v1/peer/house-reports/", None, LIST),
    ("get", "/api/v1/peer/house-reports/{report}/", None, OWN),
    ("post", "/api/v1/peer/house-reports/", {"house": "{peer_house}", "month": "2026-02-01"}, duty("hsr", 201, resident_member=400, outsider=400)),
    ("post", "/api/v1/peer/house-reports/{report}/mark/", {"needs_help": True, "help_note": "Two members behind"}, duty("hsr", 200, operator=200, outsider=404)),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_and_office_gets_exactly_its_access(api, world, acting, method, path, body, expected):
    answered = each_role_answers(lambda role: api(acting(role)), method, path, body, world)
    assert answered == expected


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_each_list_shows_only_the_house_a_role_may_see(api, world, acting, role):
    rows = api(acting(role)).get("/api/v1/peer/meetings/").json()["results"]
    expected = (
        set() if role in ("manager", "resident_member", "outsider") else {world["tonight"].pk, world["last_week"].pk}
    )
    assert {row["id"] for row in rows} == expected


def test_an_anonymous_caller_is_refused(client, world):
    assert client.get("/api/v1/peer/meetings/").status_code in (401, 403)
