"""The demo keeps sensitive records two years after a discharge: the Archive page shows one long-gone resident's
records archived and another's due, and the operator's dashboard says how many are due."""

from accounts.models import Membership, Organization
from billing.models import LedgerEntry
from demo import seed_retention
from residents.models import DrugTest, Resident
from tests.forms import FormClient


def _operator():
    client = FormClient()
    client.force_login(Membership.objects.get(user__email="operator@example.com", role="operator").user)
    return client


def test_the_demo_organization_keeps_sensitive_records_two_years(demo_db):
    assert Organization.objects.get(slug="second-wind").sensitive_records_kept_years == seed_retention.KEPT_YEARS


def test_the_demo_archive_page_shows_records_archived_and_records_due(demo_db):
    html = _operator().get("/dashboard/archive/").content.decode()
    archived = Resident.objects.get(legal_last_name="Prescott")
    due = Resident.objects.get(legal_last_name="Castillo")
    assert f"/dashboard/archive/residents/{archived.pk}/" in html
    assert "Ray Castillo" in html
    assert "Archive what is due" in html
    assert DrugTest.objects.archived().filter(resident=archived).count() == 3
    assert not DrugTest.objects.archived().filter(resident=due).exists()


def test_the_demo_dashboard_tells_the_operator_records_are_due(demo_db):
    assert "due for archiving" in _operator().get("/dashboard/").content.decode()


def test_the_demo_archived_residents_page_shows_their_records(demo_db):
    archived = Resident.objects.get(legal_last_name="Prescott")
    html = _operator().get(f"/dashboard/archive/residents/{archived.pk}/").content.decode()
    assert "would not say where he had been" in html
    assert "Restore these records" in html


def test_the_demo_residents_gone_long_ago_have_nothing_in_the_ledger(demo_db):
    gone = Resident.objects.filter(legal_last_name__in=["Prescott", "Castillo"])
    assert not LedgerEntry.objects.filter(resident__in=gone).exists()
