"""Submitting one import twice (a double click, two tabs) imports it once: the run's row is locked and its status
read again inside the import's transaction, and the second submit is answered with why nothing more was imported."""

import pytest

from accounts.exceptions import Conflict
from houses.models import House
from spreadsheets import services
from spreadsheets.models import ImportRun
from tests.concurrency import at_once

from .conftest import sample

IMPORTS = "/dashboard/import/"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_sheet_at_once_write_it_once(operator):
    run = services.import_upload(actor=operator, name="houses.csv", data=sample("houses.csv"), kind="houses")
    services.import_check(actor=operator, run=run)

    def submit():
        try:
            return services.import_apply(actor=operator, run=ImportRun.objects.get(pk=run.pk)).status
        except Conflict as refusal:
            return refusal.message

    outcomes = at_once([submit, submit])
    assert sorted(outcomes) == sorted([ImportRun.Status.DONE, services.IMPORTED_ALREADY])
    assert House.objects.count() == 2
    run.refresh_from_db()
    assert (run.status, run.counts["create"]) == (ImportRun.Status.DONE, 2)


def test_a_second_submit_after_the_first_finished_imports_nothing_and_says_why(page, operator):
    client = page(operator)
    run = services.import_upload(actor=operator, name="houses.csv", data=sample("houses.csv"), kind="houses")
    services.import_check(actor=operator, run=run)
    send = client.load_form(f"{IMPORTS}{run.pk}/", form="#import")  # the page as loaded before either submit
    assert send().status_code == 302
    again = send()
    assert again.status_code == 409
    assert "This sheet has been imported already (by an earlier submit); nothing more was imported." in (
        again.content.decode()
    )
    assert House.objects.count() == 2
    assert ImportRun.objects.get().counts["create"] == 2


def test_a_check_after_the_import_finished_is_refused_and_keeps_the_imports_record(operator):
    run = services.import_upload(actor=operator, name="houses.csv", data=sample("houses.csv"), kind="houses")
    stale = ImportRun.objects.get(pk=run.pk)
    services.import_apply(actor=operator, run=run)
    with pytest.raises(Conflict):
        services.import_check(actor=operator, run=stale)  # read before the import: the lock reads the status again
    assert ImportRun.objects.get().status == ImportRun.Status.DONE
