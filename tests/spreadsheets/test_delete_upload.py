"""Once a sheet is imported, an operator may delete the file Hearth kept of it (it may hold personal data no longer
needed); the import's record stays, with its counts and bad rows, and the deletion is audit-logged."""

from django.core.files.storage import default_storage

from accounts.models import AuditEntry
from spreadsheets import services
from spreadsheets.models import ImportRun

from .conftest import imported

IMPORTS = "/dashboard/import/"
SHEET = b"Name,Gender\nOak House,men\nPine House,dorm\n"


def test_an_operator_deletes_the_upload_of_a_finished_import_and_its_record_stays(
    page, operator, django_capture_on_commit_callbacks
):
    run = imported(operator, "houses.csv", "houses", data=SHEET, only_good_rows=True)
    stored = run.file.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        answer = page(operator).submit(f"{IMPORTS}{run.pk}/", {}, form="#delete-file", follow=True)
    assert answer.status_code == 200
    assert "The uploaded file was deleted" in answer.content.decode()
    assert not default_storage.exists(stored)
    run.refresh_from_db()
    assert (run.file.name, run.status, run.counts["create"], run.bad_rows) == ("", ImportRun.Status.DONE, 1, 1)
    assert run.file_deleted_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE, object_type="spreadsheets.importrun")
    assert (entry.object_id, entry.actor) == (str(run.pk), operator.user)
    assert entry.detail == f"deleted the uploaded file (SHA-256 {run.sha256})"


def test_the_upload_of_a_sheet_not_yet_imported_is_kept(page, operator):
    run = services.import_upload(actor=operator, name="houses.csv", data=SHEET, kind="houses")
    client = page(operator)
    assert 'id="delete-file"' not in client.get(f"{IMPORTS}{run.pk}/").content.decode()
    answer = client.post(f"{IMPORTS}{run.pk}/delete-file/")
    assert answer.status_code == 409
    assert "The uploaded file is kept until the sheet is imported" in answer.content.decode()
    assert default_storage.exists(ImportRun.objects.get().file.name)


def test_a_deleted_upload_is_not_deleted_twice(page, operator, django_capture_on_commit_callbacks):
    run = imported(operator, "houses.csv", "houses", data=b"Name,Gender\nOak House,men\n")
    client = page(operator)
    send = client.load_form(f"{IMPORTS}{run.pk}/", form="#delete-file")
    with django_capture_on_commit_callbacks(execute=True):
        assert send().status_code == 302
    again = send()
    assert again.status_code == 409
    assert "has been deleted already" in again.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).count() == 1


def test_only_the_organizations_operators_delete_an_upload(request, page, operator, django_capture_on_commit_callbacks):
    run = imported(operator, "houses.csv", "houses", data=b"Name,Gender\nOak House,men\n")
    refused = {"manager": 403, "resident_member": 403, "outsider": 404}
    with django_capture_on_commit_callbacks(execute=True):
        seen = {
            role: page(request.getfixturevalue(role)).post(f"{IMPORTS}{run.pk}/delete-file/").status_code
            for role in refused
        }
    assert seen == refused
    assert default_storage.exists(ImportRun.objects.get().file.name)
