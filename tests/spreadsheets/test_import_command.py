"""manage.py import_sheet: the page's import from a shell, as an operator of the organization."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEntry, Role
from houses.models import Bed, House
from residents.models import Resident
from spreadsheets.models import ImportRun
from tests.factories import MembershipFactory

from .conftest import SAMPLES


def _run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_sheet", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_the_samples_in_order(operator, tmp_path):
    slug = operator.organization.slug
    _run(str(SAMPLES / "houses.csv"), "--organization", slug, "--kind", "houses")
    _run(str(SAMPLES / "beds.csv"), "--organization", slug, "--kind", "beds")
    out, err = _run(
        str(SAMPLES / "residents.xlsx"), "--organization", slug, "--kind", "residents", "--sheet", "Residents"
    )
    assert "7 rows, 0 bad; created 5 opening balance, 7 resident, 7 stay" in out
    assert err == ""
    assert Resident.objects.count() == 7
    assert Bed.objects.count() == 10
    assert ImportRun.objects.filter(status="done", uploaded_by=operator).count() == 3
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, actor=operator.user).count() == 3


def test_the_command_prints_each_bad_row_and_exits_non_zero_having_written_nothing(operator, tmp_path):
    sheet = tmp_path / "houses.csv"
    sheet.write_text("Name,Gender\nOak House,men\nPine House,dorm\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 rows are bad, so nothing was imported"):
        _run(str(sheet), "--organization", operator.organization.slug, "--kind", "houses")
    assert not House.objects.exists()


def test_the_command_writes_the_good_rows_when_asked(operator, tmp_path):
    sheet = tmp_path / "houses.csv"
    sheet.write_text("Name,Gender\nOak House,men\nPine House,dorm\n", encoding="utf-8")
    _out, err = _run(str(sheet), "--organization", operator.organization.slug, "--kind", "houses", "--only-good-rows")
    assert "row 3: Gender: “dorm” is not one of" in err
    assert list(House.objects.values_list("name", flat=True)) == ["Oak House"]


def test_the_command_checks_only_and_maps_columns_as_told(operator, tmp_path):
    sheet = tmp_path / "houses.csv"
    sheet.write_text("Home,Kind\nOak House,women\n", encoding="utf-8")
    args = [
        "--organization",
        operator.organization.slug,
        "--kind",
        "houses",
        "--map",
        "Name=Home",
        "--map",
        "gender=Kind",
    ]
    out, _ = _run(str(sheet), *args, "--check")
    assert "1 rows, 0 bad; would create 1 house" in out
    assert not House.objects.exists()
    _run(str(sheet), *args)
    assert House.objects.get().gender == "women"


def test_the_command_acts_as_the_operator_it_is_told(operator, organization, tmp_path):
    other = MembershipFactory(organization=organization, role=Role.OPERATOR)
    sheet = tmp_path / "houses.csv"
    sheet.write_text("Name,Gender\nOak House,men\n", encoding="utf-8")
    _run(str(sheet), "--organization", organization.slug, "--kind", "houses", "--as", other.user.email)
    assert ImportRun.objects.get().uploaded_by == other


def test_the_command_refuses_an_organization_it_does_not_know(operator):
    with pytest.raises(CommandError, match="No organization has the slug 'nowhere'"):
        _run(str(SAMPLES / "houses.csv"), "--organization", "nowhere", "--kind", "houses")


def test_the_command_dates_what_it_creates_on_the_organizations_calendar_not_utcs(operator, tmp_path):
    """Issue 12, one clock: at 8 a.m. UTC on December 1 it is still November 30 in Honolulu."""
    from datetime import UTC, date, datetime

    import time_machine

    organization = operator.organization
    organization.timezone = "Pacific/Honolulu"
    organization.save(update_fields=["timezone"])
    sheet = tmp_path / "houses.csv"
    sheet.write_text("Name,Gender\nOak House,men\n", encoding="utf-8")
    with time_machine.travel(datetime(2026, 12, 1, 8, tzinfo=UTC), tick=False):
        _run(str(sheet), "--organization", organization.slug, "--kind", "houses")
    assert House.objects.get(name="Oak House").opened_on == date(2026, 11, 30)
