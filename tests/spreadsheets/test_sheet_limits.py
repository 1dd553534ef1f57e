"""The page imports inside the web request, so it takes at most 2,000 rows and says where a larger sheet goes;
manage.py import_sheet takes up to 20,000."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from houses.models import House
from spreadsheets import services
from spreadsheets.models import ImportRun


def _houses(count: int, gender: str = "men") -> bytes:
    return ("Name,Gender\n" + "".join(f"House {n},{gender}\n" for n in range(count))).encode()


def test_the_page_refuses_a_sheet_of_more_than_2000_rows_and_names_the_command(page, operator):
    answer = page(operator).submit(
        "/dashboard/import/",
        {"file": SimpleUploadedFile("houses.csv", _houses(2001)), "kind": "houses"},
        form="#upload",
    )
    assert answer.status_code == 400
    shown = answer.content.decode()
    assert "The sheet has more than 2,000 rows; import at most 2,000 at a time." in shown
    assert "manage.py import_sheet" in shown
    assert not ImportRun.objects.exists()


def test_the_command_reads_a_sheet_longer_than_the_page_takes(operator, tmp_path):
    sheet = tmp_path / "houses.csv"
    sheet.write_bytes(_houses(2001, gender="dorm"))  # every row bad: read and checked, nothing written
    with pytest.raises(CommandError, match="2001 rows are bad"):
        call_command("import_sheet", str(sheet), "--organization", operator.organization.slug, "--kind", "houses")
    assert ImportRun.objects.get().counts["rows"] == 2001
    assert not House.objects.exists()


def test_the_command_refuses_a_sheet_of_more_than_20000_rows(operator, tmp_path):
    sheet = tmp_path / "houses.csv"
    sheet.write_bytes(_houses(20001))
    with pytest.raises(CommandError, match="more than 20,000 rows"):
        call_command("import_sheet", str(sheet), "--organization", operator.organization.slug, "--kind", "houses")
    assert not ImportRun.objects.exists()


def test_a_long_sheet_the_command_only_checked_is_not_imported_through_the_page(page, operator):
    run = services.import_upload(
        actor=operator, name="houses.csv", data=_houses(2001), kind="houses", max_rows=services.COMMAND_MAX_ROWS
    )
    services.import_check(actor=operator, run=run, max_rows=services.COMMAND_MAX_ROWS)  # --check
    answer = page(operator).post(f"/dashboard/import/{run.pk}/import/", {})
    assert answer.status_code == 400
    assert "manage.py import_sheet" in answer.content.decode()
    assert not House.objects.exists()
