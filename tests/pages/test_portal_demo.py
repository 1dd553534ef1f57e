"""The demo's resident login finds something real on every portal page."""

from accounts.calendar import week_of
from residents.models import ChoreAssignment
from tests.forms import FormClient

EXPECTED = {
    "/portal/": ["Maple House", "What needs doing", "Drug test due today", "Waiting for a decision", "This week"],
    "/portal/rules/": ["You signed version 3 on", "Version 1 of the Maple House rules"],
    "/portal/tests/": ["Return from pass test", "Intake · Urine cup (instant)"],
    "/portal/meetings/": ["Verified", "House meetings you attended", "Maple House · led by"],
    "/portal/phase/": ["Independence", "Phase history", "Promotion"],
    "/portal/sign-out/": ["Recent sign-outs", " · back "],
    "/portal/passes/": ["Waiting for a decision", "Note: Enjoy the weekend."],
    "/portal/grievances/": ["Written up for a chore that was not on the list", "Answered"],
}


def test_the_demo_resident_sees_their_own_records_on_every_portal_page(demo_db):
    client = FormClient()
    credentials = {"username": "resident@example.com", "password": "hearth-demo"}
    login = client.submit("/accounts/login/", credentials, button="Sign in", follow=True)
    assert login.redirect_chain[-1][0] == "/portal/"
    # Which chores the rotation gave them depends on the week the demo was seeded in; the page shows each of them.
    chores = ChoreAssignment.objects.filter(resident__membership__user__email="resident@example.com").live()
    this_week = chores.filter(due_date__range=week_of(chores.first().organization.today()))
    names = sorted(set(this_week.values_list("chore__name", flat=True)))
    assert names
    for path, texts in {**EXPECTED, "/portal/chores/": ["My chores this week", *names]}.items():
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        missing = [text for text in texts if text not in body]
        assert missing == [], path
