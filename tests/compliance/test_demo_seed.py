"""The demo's certification story: Maple in order, Willow's insurance lapsed, Harbor's drill and naloxone lapsed."""

from accounts.models import Membership
from compliance.models import CorrectiveAction, Document, Inspection
from compliance.selectors.certification import certification_status
from houses.models import House


def _seed():
    operator = Membership.objects.get(user__email="operator@example.com")
    return operator, {house.name: house for house in House.objects.filter(organization=operator.organization)}


def _statuses(operator, house):
    return {rule.rule: rule for rule in certification_status(viewer=operator, house=house).rules}


def test_the_demo_shows_one_house_in_order_one_with_lapsed_insurance_and_one_with_lapsed_drill_and_naloxone(demo_db):
    operator, houses = _seed()
    maple = _statuses(operator, houses["Maple House"])
    # Maple House meets on Sunday evenings and the demo's meetings are all before today: on a Sunday this week's
    # meeting is still due, which the rule rightly calls "expiring".
    due_today = {"1.C.7.a": "expiring"} if operator.organization.today().weekday() == 6 else {}
    assert {
        rule_id: rule.status for rule_id, rule in maple.items() if rule.status not in ("met", "not_applicable")
    } == due_today
    assert _statuses(operator, houses["Willow House"])["1.A.2.b"].status == "expired"
    harbor = _statuses(operator, houses["Harbor House"])
    assert harbor["2.F.19.d"].status == "expired"
    assert [e.status for e in harbor["2.F.17.c"].evidence if e.type == "drills"] == ["expired"]


def test_the_demo_has_a_year_of_inspections_fixed_and_open_actions_and_document_history(demo_db):
    operator, houses = _seed()
    assert Inspection.objects.filter(house=houses["Maple House"], status="completed").count() == 12
    actions = CorrectiveAction.objects.filter(house__organization=operator.organization)
    assert actions.filter(fixed_on__isnull=True).count() == 1
    assert actions.filter(fixed_on__isnull=False).count() >= 4
    insurance = Document.objects.filter(house=houses["Maple House"], kind="liability_insurance")
    assert insurance.filter(is_current=True).count() == 1
    assert insurance.filter(is_current=False, superseded_by__isnull=False).count() == 1
