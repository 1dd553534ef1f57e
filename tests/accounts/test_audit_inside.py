"""Audit inside: the sensitive selectors and services audit themselves, so a new caller cannot forget it."""

from datetime import timedelta

import pytest
from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from rest_framework.views import APIView

from accounts.api_base import ViewerMixin
from accounts.models import AuditEntry, Membership
from compliance.selectors.documents import documents_for
from config.urls import urlpatterns as site_urls
from residents.conduct.selectors.incidents import incidents_for
from residents.testing.selectors import drug_tests_for
from tests.factories import admit
from tests.residents.drug_tests_factories import record_incident, record_test


def _incident_titles(request):
    """A page written without a thought for the audit: it lists incidents through the selector."""
    incidents = incidents_for(viewer=request.viewer).order_by("pk")
    return HttpResponse(", ".join(incident.what_happened for incident in incidents))


def _refused_after_reading(request, test_id):
    """A page that fetches a test, then refuses (403): it showed nothing."""
    drug_tests_for(viewer=request.viewer).get(pk=test_id)
    raise PermissionDenied


urlpatterns = [
    path("incident-titles/", _incident_titles),
    path("refused/<int:test_id>/", _refused_after_reading),
    *site_urls,
]


@pytest.fixture
def stay(organization, house):
    return admit(house, on=organization.today() - timedelta(days=30))


@pytest.fixture
def tests(manager, stay):
    return [record_test(manager, stay.resident, on=stay.move_in + timedelta(days=n)) for n in (1, 2)]


def test_services_called_outside_a_request_write_no_entry(tests):
    assert not AuditEntry.objects.exists()


def test_evaluating_the_drug_test_selector_outside_any_view_records_the_read(manager, tests):
    fetched = list(drug_tests_for(viewer=manager).order_by("pk"))
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.organization) == ("list", manager.user, manager.organization)
    assert (entry.object_type, entry.object_count, entry.path) == ("residents.drugtest", 2, "")
    assert entry.detail == ", ".join(str(test.pk) for test in fetched)


def test_the_read_names_only_the_rows_fetched(manager, tests):
    [first] = drug_tests_for(viewer=manager).order_by("pk")[:1]
    assert AuditEntry.objects.get().detail == str(first.pk)


def test_getting_one_test_through_the_selector_records_a_view(manager, tests):
    test = drug_tests_for(viewer=manager).get(pk=tests[0].pk)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.object_count) == ("view", str(test.pk), 1)


def test_counting_or_asking_for_ids_reads_no_result(manager, tests):
    selected = drug_tests_for(viewer=manager)
    assert selected.count() == 2
    assert selected.exists()
    assert len(list(selected.values_list("pk", flat=True))) == 2
    assert not AuditEntry.objects.exists()


def test_a_resident_reading_their_own_tests_through_the_selector_is_not_audited(operator, resident_member):
    stay = resident_member.resident.stays.get()
    record_test(operator, resident_member.resident, on=stay.move_in + timedelta(days=1))
    assert len(list(drug_tests_for(viewer=resident_member))) == 1
    assert not AuditEntry.objects.exists()


def test_an_empty_read_outside_a_request_writes_nothing(manager, organization):
    assert list(documents_for(viewer=manager)) == []
    assert not AuditEntry.objects.exists()


@pytest.mark.urls(__name__)
def test_a_new_page_listing_incidents_through_the_selector_is_audited_without_a_record_call(page, manager, house, stay):
    incidents = [record_incident(manager, house, on=stay.move_in + timedelta(days=n)) for n in (1, 2)]
    response = page(manager).get("/incident-titles/", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.actor) == ("list", "residents.incident", manager.user)
    assert entry.detail == ", ".join(str(incident.pk) for incident in incidents)
    assert (entry.ip_address, entry.path) == ("203.0.113.7", "/incident-titles/")


@pytest.mark.urls(__name__)
def test_a_page_that_refuses_after_fetching_a_test_writes_no_read(page, manager, tests):
    assert page(manager).get(f"/refused/{tests[0].pk}/").status_code == 403
    assert not AuditEntry.objects.exists()


def test_a_page_showing_a_test_in_two_of_its_lists_names_it_once_in_one_entry(page, manager, stay, tests):
    pending = record_test(manager, stay.resident, on=stay.move_in + timedelta(days=3), method="lab_urine",
                          result="pending_lab")  # fmt: skip
    response = page(manager).get(f"/dashboard/houses/{stay.house_id}/drug-tests/")
    assert [test for test, _form in response.context["pending"]] == [pending]
    [entry] = AuditEntry.objects.all()
    assert entry.action == "list"
    assert sorted(entry.detail.split(", ")) == sorted(str(test.pk) for test in [*tests, pending])


def test_an_api_change_refused_with_a_400_writes_no_entry_for_the_test_it_fetched(api, manager, tests):
    response = api(manager).patch(f"/api/v1/drug-tests/{tests[0].pk}/", {"result": "positive"}, format="json")
    assert response.status_code == 400
    assert not AuditEntry.objects.exists()


def test_the_admin_lists_through_the_same_audited_queryset(admin_client, manager, tests):
    assert admin_client.get("/admin/residents/drugtest/").status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.organization, entry.object_count) == ("list", manager.organization, 2)


class _ReadsThenCrashes(ViewerMixin, APIView):
    """An API view that fetches a test, then fails with an error nothing handles (a 500 the framework re-raises)."""

    def get(self, request, test_id):
        drug_tests_for(viewer=request.viewer).get(pk=test_id)
        raise RuntimeError("the view broke after reading")


urlpatterns.insert(0, path("api/crashes/<int:test_id>/", _ReadsThenCrashes.as_view()))


@shared_task
def _count_tests_as_a_worker(manager_id: int) -> int:
    return len(drug_tests_for(viewer=Membership.objects.get(pk=manager_id)))


def _reads_in_an_eager_task(request):
    _count_tests_as_a_worker.delay(request.viewer.pk).get()
    raise PermissionDenied  # the request itself shows nothing


urlpatterns.insert(0, path("task-reads/", _reads_in_an_eager_task))


@pytest.mark.urls(__name__)
def test_an_api_view_that_fails_with_an_unhandled_error_after_reading_writes_no_read(client, manager, tests):
    client.raise_request_exception = False
    client.force_login(manager.user)
    assert client.get(f"/api/crashes/{tests[0].pk}/").status_code == 500
    assert not AuditEntry.objects.exists()


@pytest.mark.urls(__name__)
def test_a_task_run_eagerly_inside_a_request_records_its_read_as_a_worker_does(client, manager, tests):
    client.force_login(manager.user)
    assert client.get("/task-reads/").status_code == 403
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_count, entry.path) == ("list", manager.user, 2, "")
