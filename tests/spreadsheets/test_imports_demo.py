"""After ``seed_demo``, the import page of New Dawn's operator shows the sample sheets imported: two houses, then their
rooms and beds, each with what it created."""

import pytest

from accounts.models import Membership
from demo import seed_imports
from houses.models import Bed, House
from spreadsheets.models import ImportRun
from tests.forms import FormClient


@pytest.fixture
def operator_page(demo_db):
    client = FormClient()
    client.force_login(Membership.objects.get(user__email="operator@other.example.com").user)
    return client


def test_the_demo_import_page_shows_the_sample_sheets_imported(operator_page):
    shown = " ".join(operator_page.get("/dashboard/import/").content.decode().split())
    assert "houses.csv" in shown
    assert "beds.csv" in shown
    assert "2 houses" in shown
    assert "10 beds" in shown
    assert Bed.objects.filter(house__name="Cedar House").count() == 6


def test_the_demo_imports_are_finished_runs_of_the_operator(demo_db):
    runs = ImportRun.objects.filter(organization__slug="new-dawn").order_by("pk")
    assert [(run.original_name, run.status, run.counts["bad"]) for run in runs] == [
        ("houses.csv", "done", 0),
        ("beds.csv", "done", 0),
    ]


def test_seeding_the_imports_again_imports_nothing_twice(demo_db):
    organization = House.objects.get(name="Cedar House").organization
    before = (ImportRun.objects.count(), House.objects.count(), Bed.objects.count())
    seed_imports.seed(organization)
    assert (ImportRun.objects.count(), House.objects.count(), Bed.objects.count()) == before


def test_the_demo_houses_import_had_its_upload_deleted_and_keeps_its_record(operator_page):
    run = ImportRun.objects.get(organization__slug="new-dawn", original_name="houses.csv")
    assert (run.file.name, run.counts["create"]) == ("", 2)
    assert run.file_deleted_at is not None
    shown = operator_page.get(f"/dashboard/import/{run.pk}/").content.decode()
    assert "The uploaded file was deleted on" in shown
