"""Who a residents row is: the resident with its e-mail (whose name must then be the row's), else the one with its
first name, last name and date of birth; by name alone only when nothing tells the two apart. A person twice in one
sheet is a bad row the second time."""

from datetime import date

from residents.models import Resident, Stay
from spreadsheets.models import ImportRun
from tests.factories import ResidentFactory

from .conftest import imported

HEADER = "First name,Last name,E-mail,Date of birth,House,Room,Bed,Move-in date\n"


def _rows(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def _import(operator, *rows: str) -> ImportRun:
    return imported(operator, "residents.csv", "residents", data=_rows(*rows))


def _resident(operator, first, last, *, email="", born=None) -> Resident:
    return ResidentFactory(
        organization=operator.organization,
        legal_first_name=first,
        legal_last_name=last,
        email=email,
        date_of_birth=born,
    )


def test_an_e_mail_hearth_does_not_know_falls_back_to_name_and_date_of_birth(operator, sample_places):
    jordan = _resident(operator, "Jordan", "Reyes", email="jreyes@old.example.com", born=date(1991, 4, 12))
    run = _import(operator, "Jordan,Reyes,jordan.reyes@example.com,1991-04-12,Cedar House,Room 1,1-A,2026-08-03")
    assert run.status == ImportRun.Status.DONE, run.row_errors
    assert Resident.objects.get() == jordan
    assert Stay.objects.get().resident == jordan


def test_a_row_without_e_mail_or_date_of_birth_is_its_namesake_who_has_neither(operator, sample_places):
    sam = _resident(operator, "Sam", "Lee")
    _import(operator, "sam, LEE,,,Cedar House,Room 1,1-A,2026-08-03")
    assert Resident.objects.get() == sam


def test_a_sheet_without_e_mails_or_dates_of_birth_imported_twice_creates_nothing_new(operator, sample_places):
    rows = ["Sam,Lee,,,Cedar House,Room 1,1-A,2026-08-03", "Ana,Cruz,,,Cedar House,Room 1,1-B,2026-08-03"]
    _import(operator, *rows)
    again = _import(operator, *rows)
    assert (again.counts["create"], again.counts["present"]) == (0, 2)
    assert Resident.objects.count() == 2


def test_a_namesake_the_row_cannot_be_told_apart_from_is_a_bad_row(operator, sample_places):
    _resident(operator, "Sam", "Lee", born=date(1990, 1, 1))
    run = _import(operator, "Sam,Lee,,,Cedar House,Room 1,1-A,2026-08-03")
    assert run.row_errors == [
        {
            "row": 2,
            "field": "First name",
            "message": "Hearth already has a resident named Sam Lee, and this row does not tell whether it is them: "
            "give their date of birth both in Hearth (on their page) and on this row.",
        }
    ]
    assert Resident.objects.count() == 1


def test_a_namesake_with_another_date_of_birth_is_another_person(operator, sample_places):
    _resident(operator, "Sam", "Lee", born=date(1990, 1, 1))
    run = _import(operator, "Sam,Lee,,1985-06-30,Cedar House,Room 1,1-A,2026-08-03")
    assert run.status == ImportRun.Status.DONE, run.row_errors
    assert Resident.objects.filter(legal_first_name="Sam").count() == 2


def test_an_e_mail_that_belongs_to_someone_else_in_hearth_is_a_bad_row(operator, sample_places):
    _resident(operator, "Jordan", "Reyes", email="jordan.reyes@example.com")
    run = _import(operator, "Jamie,Reyes,Jordan.Reyes@example.com,,Cedar House,Room 1,1-A,2026-08-03")
    assert run.row_errors == [
        {
            "row": 2,
            "field": "E-mail",
            "message": "This e-mail belongs to Jordan Reyes in Hearth, not to Jamie Reyes.",
        }
    ]
    assert not Stay.objects.exists()


def test_the_same_e_mail_twice_in_one_sheet_is_a_bad_row_the_second_time(operator, sample_places):
    run = _import(
        operator,
        "Ana,Cruz,ana@example.com,,Cedar House,Room 1,1-A,2026-08-03",
        "Ana,Cruz,ANA@example.com,,Cedar House,Room 1,1-B,2026-08-03",
    )
    assert run.row_errors == [{"row": 3, "field": "E-mail", "message": "Same person as row 2 (the same e-mail)."}]
    assert not Resident.objects.exists()


def test_the_same_name_and_date_of_birth_twice_in_one_sheet_is_a_bad_row_the_second_time(operator, sample_places):
    run = _import(
        operator,
        "Ana,Cruz,,1990-02-03,Cedar House,Room 1,1-A,2026-08-03",
        "Ben,Ode,,,Cedar House,Room 1,1-C,2026-08-03",
        "ana,cruz,,02/03/1990,Cedar House,Room 1,1-B,2026-08-03",
    )
    assert run.row_errors == [
        {"row": 4, "field": "First name", "message": "Same person as row 2 (the same name and date of birth)."}
    ]
