"""The Archive page: an operator sees what is due resident by resident, archives it by submitting the page's form,
reads what is archived and restores it; archived records leave every day-to-day page and API list meanwhile."""

from datetime import date

import pytest

from accounts.models import AuditEntry
from residents.conduct.services.incidents import resident_note_add
from residents.models import DrugTest, Incident, ResidentNote
from residents.portal.selectors import my_tests
from tests.factories import MembershipFactory

from .conftest import LATER, at, lived_with_records

pytestmark = pytest.mark.usefixtures("former")

LISTS = ["/api/v1/drug-tests/", "/api/v1/incidents/", "/api/v1/resident-notes/"]


@pytest.fixture(autouse=True)
def _seven_years_later(former):
    with at(LATER):
        yield


def _archive(page, operator):
    return page(operator).submit("/dashboard/archive/", {"confirm": "on"}, form="#archive-due", follow=True)


def _counts(api, operator) -> list[int]:
    client = api(operator)
    return [client.get(path).json()["count"] for path in LISTS]


def test_the_archive_page_shows_how_many_records_of_each_kind_are_due_for_each_resident(page, operator):
    html = page(operator).get("/dashboard/archive/").content.decode()
    assert "4 records of 1 resident" in html
    assert "Dale Whitaker" in html
    assert "Mar 2, 2026" in html  # discharged
    assert "Mar 2, 2033" in html  # due since


def test_archiving_from_the_page_archives_every_record_due(page, operator):
    response = _archive(page, operator)
    assert response.status_code == 200
    assert "Archived 2 drug tests, 1 incident, 1 note." in response.content.decode()
    assert DrugTest.objects.archived().count() == 2
    assert Incident.objects.archived().count() == 1
    assert ResidentNote.objects.archived().count() == 1


def test_archived_records_are_kept_in_the_database(page, operator):
    before = (DrugTest.objects.count(), Incident.objects.count(), ResidentNote.objects.count())
    _archive(page, operator)
    assert (DrugTest.objects.count(), Incident.objects.count(), ResidentNote.objects.count()) == before


def test_archived_records_leave_the_api_lists(page, api, operator):
    assert _counts(api, operator) == [2, 1, 1]
    _archive(page, operator)
    assert _counts(api, operator) == [0, 0, 0]


def test_an_archived_record_is_not_found_in_the_api(page, api, operator):
    test = DrugTest.objects.first()
    _archive(page, operator)
    assert api(operator).get(f"/api/v1/drug-tests/{test.pk}/").status_code == 404


def test_archived_records_leave_the_residents_page(page, operator, former):
    client = page(operator)
    assert "Came in 40 minutes after curfew." in client.get(f"/dashboard/residents/{former.pk}/").content.decode()
    _archive(page, operator)
    html = client.get(f"/dashboard/residents/{former.pk}/").content.decode()
    assert "Came in 40 minutes after curfew." not in html


def test_archived_tests_leave_the_houses_drug_test_page(page, operator, house):
    client = page(operator)
    assert "Dale Whitaker" in client.get(f"/dashboard/houses/{house.pk}/drug-tests/").content.decode()
    _archive(page, operator)
    assert "Dale Whitaker" not in client.get(f"/dashboard/houses/{house.pk}/drug-tests/").content.decode()


def test_archived_tests_leave_the_residents_own_portal_list(page, operator, former):
    former.membership = MembershipFactory(organization=former.organization, role="resident")
    former.save()
    _archive(page, operator)
    assert list(my_tests(viewer=former.membership)) == []


def test_the_archive_page_lists_the_archived_residents_and_their_records(page, operator, former):
    _archive(page, operator)
    client = page(operator)
    html = client.get("/dashboard/archive/").content.decode()
    assert "Nothing is due today" in html
    assert f"/dashboard/archive/residents/{former.pk}/" in html
    detail = client.get(f"/dashboard/archive/residents/{former.pk}/").content.decode()
    assert "Came in 40 minutes after curfew." in detail
    assert "Doing well at work." in detail
    assert "Positive (thc)" in detail


def test_restoring_from_the_residents_archive_page_brings_the_records_back(page, api, operator, former):
    _archive(page, operator)
    response = page(operator).submit(f"/dashboard/archive/residents/{former.pk}/", follow=True)
    assert "Restored 2 drug tests, 1 incident, 1 note of Dale Whitaker" in response.content.decode()
    assert _counts(api, operator) == [2, 1, 1]
    assert not DrugTest.objects.archived().exists()


def test_archiving_and_restoring_are_audited_with_every_row(page, operator, former):
    tests = sorted(str(pk) for pk in DrugTest.objects.values_list("pk", flat=True))
    _archive(page, operator)
    entry = AuditEntry.objects.get(action="archive", object_type="residents.drugtest")
    assert (entry.actor, entry.object_count) == (operator.user, 2)
    assert entry.detail == f"7 years after discharge: {', '.join(tests)}"
    archived = AuditEntry.objects.filter(action="archive").values_list("object_type", flat=True)
    assert sorted(archived) == ["residents.drugtest", "residents.incident", "residents.residentnote"]
    page(operator).submit(f"/dashboard/archive/residents/{former.pk}/")
    restored = AuditEntry.objects.filter(action="restore").values_list("object_type", "object_count")
    assert sorted(restored) == [("residents.drugtest", 2), ("residents.incident", 1), ("residents.residentnote", 1)]


def test_archiving_without_ticking_the_confirmation_archives_nothing(page, operator):
    response = page(operator).submit("/dashboard/archive/", {"confirm": None}, form="#archive-due")
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert not DrugTest.objects.archived().exists()


def test_archiving_is_refused_once_the_setting_is_emptied_and_nothing_is_archived(page, operator, organization):
    send = page(operator).load_form("/dashboard/archive/", {"confirm": "on"}, form="#archive-due")
    organization.sensitive_records_kept_years = None
    organization.save()
    response = send()
    assert response.status_code == 400
    assert "Set how many years to keep sensitive records" in response.content.decode()
    assert not DrugTest.objects.archived().exists()


def test_archiving_twice_archives_nothing_more(page, operator):
    first, second = page(operator).submit_twice("/dashboard/archive/", {"confirm": "on"}, form="#archive-due")
    assert (first.status_code, second.status_code) == (302, 302)
    assert AuditEntry.objects.filter(action="archive").count() == 3


def test_a_record_made_after_archiving_stays_in_view(page, api, operator, former):
    _archive(page, operator)
    resident_note_add(actor=operator, resident=former, body="Asked for a reference letter.")
    assert _counts(api, operator)[2] == 1


def test_the_operators_dashboard_says_how_many_records_are_due(page, operator):
    html = page(operator).get("/dashboard/").content.decode()
    assert "4 records are due for archiving" in html


def test_a_managers_dashboard_says_nothing_about_archiving(page, manager):
    assert "due for archiving" not in page(manager).get("/dashboard/").content.decode()


def test_the_archive_page_costs_the_same_queries_for_more_residents(
    page, operator, house, django_assert_max_num_queries
):
    _archive(page, operator)
    with at(LATER.replace(year=2026)):
        lived_with_records(house, legal_first_name="Ray")
    client = page(operator)
    client.get("/dashboard/archive/")  # warm the session
    with django_assert_max_num_queries(30) as few:
        client.get("/dashboard/archive/")
    few = len(few)  # now: the connection keeps a bounded log of queries
    _archive(page, operator)
    with at(LATER.replace(year=2026)):
        for name in ("Ana", "Lou", "Sam"):
            lived_with_records(house, legal_first_name=name)
    with django_assert_max_num_queries(few):
        html = client.get("/dashboard/archive/").content.decode()
    assert "12 records of 3 residents" in html
    assert html.count("Read or restore") == 2


def test_a_residents_archived_records_page_costs_the_same_queries_for_more_records(
    page, operator, former, house, django_assert_max_num_queries
):
    _archive(page, operator)
    client = page(operator)
    client.get(f"/dashboard/archive/residents/{former.pk}/")  # warm the session
    with django_assert_max_num_queries(30) as few:
        client.get(f"/dashboard/archive/residents/{former.pk}/")
    few = len(few)
    with at(LATER.replace(year=2026)):
        lived_with_records(house, resident=former, move_in=date(2026, 3, 5), discharged=date(2026, 3, 18))
    _archive(page, operator)
    with django_assert_max_num_queries(few):
        html = client.get(f"/dashboard/archive/residents/{former.pk}/").content.decode()
    assert html.count("Doing well at work.") == 2
