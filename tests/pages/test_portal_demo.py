"""The demo's resident login finds something real on every portal page."""

from django.test import Client

EXPECTED = {
    "/portal/": ["Maple House", "What needs doing", "Drug test due today", "Waiting for a decision", "This week"],
    "/portal/rules/": ["You signed version 2 on", "Version 1 of the Maple House rules"],
    "/portal/chores/": ["Kitchen after dinner"],
    "/portal/tests/": ["Return from pass test", "Intake · Urine cup (instant)"],
    "/portal/meetings/": ["Verified", "House meetings you attended", "Maple House · led by"],
    "/portal/phase/": ["Independence", "Phase history", "Promotion"],
    "/portal/sign-out/": ["Recent sign-outs", " · back "],
    "/portal/passes/": ["Waiting for a decision", "Note: Enjoy the weekend."],
    "/portal/grievances/": ["Written up for a chore that was not on the list", "Answered"],
}


def test_the_demo_resident_sees_their_own_records_on_every_portal_page(demo_db):
    client = Client()
    credentials = {"username": "resident@example.com", "password": "hearth-demo"}
    login = client.post("/accounts/login/", credentials, follow=True)
    assert login.redirect_chain[-1][0] == "/portal/"
    for path, texts in EXPECTED.items():
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        missing = [text for text in texts if text not in body]
        assert missing == [], path
