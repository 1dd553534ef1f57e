"""The import pages, driven through the forms they render: upload a sheet, map its columns, check every row, import."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEntry
from billing.models import EntryKind, LedgerEntry
from houses.models import Bed, House, Room
from residents.models import Resident, Stay
from spreadsheets.models import ImportRun

from .conftest import imported, sample

IMPORTS = "/dashboard/import/"


def _upload(client, name, data, kind, sheet=""):
    return client.submit(
        IMPORTS, {"file": SimpleUploadedFile(name, data), "kind": kind, "sheet": sheet}, form="#upload", follow=True
    )


def _check(client, run, mapping=None):
    return client.submit(f"{IMPORTS}{run.pk}/", mapping or {}, form="#mapping", follow=True)


def _import(client, run, **data):
    return client.submit(f"{IMPORTS}{run.pk}/", data, form="#import")


def test_an_operator_uploads_maps_checks_and_imports_the_sample_houses(page, operator):
    client = page(operator)
    shown = _upload(client, "houses.csv", sample("houses.csv"), "houses")
    run = ImportRun.objects.get()
    assert shown.redirect_chain[-1][0] == f"{IMPORTS}{run.pk}/"
    checked = _check(client, run)
    assert "2 would be created" in " ".join(checked.content.decode().split())
    assert not House.objects.filter(name="Cedar House").exists()
    answer = _import(client, run)
    assert answer.status_code == 302
    cedar = House.objects.get(organization=operator.organization, name="Cedar House")
    assert (cedar.gender, cedar.narr_level, str(cedar.opened_on)) == ("men", 2, "2025-03-01")
    assert House.objects.get(name="Birch House").narr_level == 3
    assert ImportRun.objects.get().status == ImportRun.Status.DONE


def test_the_mapping_form_is_prefilled_from_header_names_whatever_their_case_and_spaces(page, operator):
    data = b"HOUSE NAME, gender ,postal_code\nOak House,men,62704\n"
    _upload(page(operator), "oak.csv", data, "houses")
    assert ImportRun.objects.get().mapping["name"] == "HOUSE NAME"
    assert ImportRun.objects.get().mapping["gender"] == "gender"
    assert ImportRun.objects.get().mapping["postal_code"] == "postal_code"


def test_an_operator_maps_a_column_the_names_did_not_match(page, operator):
    client = page(operator)
    _upload(client, "oak.csv", b"Home,Kind\nOak House,women\n", "houses")
    run = ImportRun.objects.get()
    _check(client, run, {"name": "Home", "gender": "Kind"})
    _import(client, run)
    assert House.objects.get(name="Oak House").gender == "women"
    assert ImportRun.objects.get().mapping["gender"] == "Kind"


def test_a_required_field_left_unmapped_is_shown_beside_it_and_nothing_is_checked(page, operator):
    client = page(operator)
    _upload(client, "oak.csv", b"Home\nOak House\n", "houses")
    run = ImportRun.objects.get()
    answer = client.submit(f"{IMPORTS}{run.pk}/", {"name": "Home"}, form="#mapping")
    assert answer.status_code == 400
    assert "Choose the column that holds “Gender”." in answer.content.decode()
    assert ImportRun.objects.get().status == ImportRun.Status.UPLOADED


def test_bad_rows_are_listed_with_their_row_number_column_and_why_and_nothing_is_written(page, operator):
    client = page(operator)
    data = b"Name,Gender,Opened on\nOak House,men,2025-01-01\nPine House,dorm,2025-01-01\nElm House,women,31/31/2025\n"
    _upload(client, "houses.csv", data, "houses")
    run = ImportRun.objects.get()
    checked = _check(client, run).content.decode()
    assert "2 bad rows" in checked
    run.refresh_from_db()
    assert run.row_errors == [
        {"row": 3, "field": "Gender", "message": "“dorm” is not one of: coed, men, mixed, women."},
        {
            "row": 4,
            "field": "Opened on",
            "message": "“31/31/2025” is not a date; write it as 2026-03-01 or 03/01/2026.",
        },
    ]
    answer = _import(client, run)
    assert answer.status_code == 400
    assert "2 of 3 rows are bad, so nothing was imported" in answer.content.decode()
    assert not House.objects.filter(organization=operator.organization).exists()


def test_importing_only_the_good_rows_writes_the_good_ones(page, operator):
    client = page(operator)
    data = b"Name,Gender\nOak House,men\nPine House,dorm\n"
    _upload(client, "houses.csv", data, "houses")
    run = ImportRun.objects.get()
    _check(client, run)
    _import(client, run, only_good_rows=True)
    assert list(House.objects.filter(organization=operator.organization).values_list("name", flat=True)) == [
        "Oak House"
    ]
    run.refresh_from_db()
    assert (run.status, run.only_good_rows, run.counts["bad"]) == (ImportRun.Status.DONE, True, 1)


def test_the_sample_residents_import_with_their_stays_and_opening_balances(operator, sample_places):
    run = imported(operator, "residents.csv", "residents")
    assert run.status == ImportRun.Status.DONE, run.row_errors
    assert Stay.objects.filter(house__name="Cedar House", move_out__isnull=True).count() == 4
    jordan = Resident.objects.get(email="jordan.reyes@example.com")
    assert Stay.objects.get(resident=jordan).move_in.isoformat() == "2026-08-03"
    entries = {e.resident.legal_last_name: (e.kind, e.amount) for e in LedgerEntry.objects.select_related("resident")}
    assert entries == {
        "Reyes": (EntryKind.OTHER, Decimal("350.00")),
        "Price": (EntryKind.CREDIT, Decimal("-40.00")),
        "Novak": (EntryKind.OTHER, Decimal("1250.00")),
        "Ford": (EntryKind.OTHER, Decimal("125.00")),
        "Boyd": (EntryKind.CREDIT, Decimal("-15.50")),
    }
    assert set(LedgerEntry.objects.values_list("memo", flat=True)) == {"Opening balance from import"}


def test_importing_the_same_residents_file_twice_creates_nothing_new(operator, sample_places):
    imported(operator, "residents.csv", "residents")
    before = (Resident.objects.count(), Stay.objects.count(), LedgerEntry.objects.count())
    again = imported(operator, "residents.csv", "residents")
    assert (Resident.objects.count(), Stay.objects.count(), LedgerEntry.objects.count()) == before
    assert (again.counts["create"], again.counts["present"], again.created_ids) == (0, 7, {})


def test_importing_the_same_beds_twice_creates_no_room_or_bed(operator, sample_places):
    before = (Room.objects.count(), Bed.objects.count())
    again = imported(operator, "beds.csv", "beds")
    assert (Room.objects.count(), Bed.objects.count()) == before == (4, 10)
    assert again.counts["records"] == {"bed": {"create": 0, "present": 10}, "room": {"create": 0, "present": 10}}


def test_the_xlsx_sample_imports_from_its_named_worksheet_with_real_excel_dates(page, operator, sample_places):
    client = page(operator)
    _upload(client, "residents.xlsx", sample("residents.xlsx"), "residents", sheet="Residents")
    run = ImportRun.objects.get(kind="residents")
    _check(client, run)
    _import(client, run)
    assert Resident.objects.count() == 7
    assert Resident.objects.get(legal_last_name="Turner").date_of_birth.isoformat() == "1987-11-30"
    assert LedgerEntry.objects.get(resident__legal_last_name="Novak").amount == Decimal("1250.00")


def test_an_xlsx_and_the_same_rows_as_csv_are_one_import(operator, sample_places):
    imported(operator, "residents.xlsx", "residents", sheet="Residents")
    again = imported(operator, "residents.csv", "residents")
    assert again.counts["create"] == 0
    assert Resident.objects.count() == 7


def test_a_worksheet_the_workbook_lacks_is_refused_by_name(page, operator):
    answer = page(operator).submit(
        IMPORTS,
        {"file": SimpleUploadedFile("r.xlsx", sample("residents.xlsx")), "kind": "residents", "sheet": "Nope"},
        form="#upload",
    )
    assert answer.status_code == 400
    assert (
        "The workbook has no worksheet named &#x27;Nope&#x27; (it has: Read me, Residents)." in answer.content.decode()
    )
    assert not ImportRun.objects.exists()


def test_a_csv_with_a_byte_order_mark_reads_its_first_header(page, operator):
    client = page(operator)
    _upload(client, "houses.csv", b"\xef\xbb\xbf" + sample("houses.csv"), "houses")
    run = ImportRun.objects.get()
    assert run.headers[0] == "Name"
    assert run.mapping["name"] == "Name"
    _check(client, run)
    _import(client, run)
    assert House.objects.filter(name__in=["Cedar House", "Birch House"]).count() == 2


def test_a_csv_in_another_encoding_is_refused_with_how_to_save_it(page, operator):
    data = "Name,Gender\nCafé Nuñez House,men\n".encode("latin-1")
    answer = page(operator).submit(
        IMPORTS, {"file": SimpleUploadedFile("houses.csv", data), "kind": "houses"}, form="#upload"
    )
    assert answer.status_code == 400
    assert "The CSV is not UTF-8 text. Save it again as “CSV UTF-8”" in answer.content.decode()
    assert not ImportRun.objects.exists()


def test_a_garbage_file_is_refused_as_no_spreadsheet(page, operator):
    answer = page(operator).submit(
        IMPORTS,
        {"file": SimpleUploadedFile("houses.xlsx", b"PK\x03\x04 not really a zip"), "kind": "houses"},
        form="#upload",
    )
    assert answer.status_code == 400
    assert "This file is not a readable XLSX spreadsheet." in answer.content.decode()
    assert not ImportRun.objects.exists()


def test_an_admission_into_a_closed_month_is_a_row_error_and_nothing_is_written(operator, sample_places):
    from reports.models import MonthClose

    MonthClose.objects.create(organization=operator.organization, month="2026-08-01", closed_by=operator.user)
    run = imported(operator, "residents.csv", "residents")
    assert run.status == ImportRun.Status.CHECKED
    bad = list(run.row_errors)
    assert [(error["row"], error["field"]) for error in bad] == [(2, "Move-in date"), (3, "Move-in date")]
    assert "closed" in bad[0]["message"]
    assert not Resident.objects.exists()


def test_the_import_is_audit_logged_with_its_counts_and_ids_only(page, operator):
    client = page(operator)
    _upload(client, "houses.csv", sample("houses.csv"), "houses")
    run = ImportRun.objects.get()
    _check(client, run)
    _import(client, run)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    ids = sorted(House.objects.values_list("pk", flat=True))
    assert (entry.object_type, entry.object_id, entry.actor) == ("spreadsheets.importrun", str(run.pk), operator.user)
    assert entry.detail == f"houses sheet, 2 rows, 2 created, 0 present; house: {ids[0]}, {ids[1]}"
    assert entry.ip_address == "127.0.0.1"


def test_a_sheet_imported_already_cannot_be_imported_again(page, operator):
    client = page(operator)
    _upload(client, "houses.csv", sample("houses.csv"), "houses")
    run = ImportRun.objects.get()
    _check(client, run)
    send = client.load_form(f"{IMPORTS}{run.pk}/", form="#import")
    assert send().status_code == 302
    again = send()
    assert again.status_code == 409
    assert House.objects.count() == 2


def test_past_imports_show_what_each_created(page, operator):
    imported(operator, "houses.csv", "houses")
    shown = " ".join(page(operator).get(IMPORTS).content.decode().split())
    assert "houses.csv" in shown
    assert "2 houses" in shown


def test_the_imports_list_costs_the_same_queries_for_any_number_of_imports(
    page, operator, django_assert_max_num_queries
):
    client = page(operator)
    for number in range(12):
        imported(operator, "houses.csv", "houses", data=f"Name,Gender\nHouse {number},men\n".encode())
    with django_assert_max_num_queries(12):
        assert client.get(IMPORTS).status_code == 200


def test_the_houses_page_and_the_settings_page_lead_to_the_import_page(page, operator):
    client = page(operator)
    for path in ("/dashboard/houses/", "/dashboard/settings/"):
        assert 'href="/dashboard/import/"' in client.get(path).content.decode()
