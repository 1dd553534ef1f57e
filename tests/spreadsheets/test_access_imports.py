"""Who reaches the import pages: an organization's operators only. A manager or a resident gets 403; another
organization's operator gets 404 for this organization's imports (and sees only their own in the list), and none of
them can check or import another's sheet."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from houses.models import House
from spreadsheets import services
from spreadsheets.models import ImportRun

ROLES = ["operator", "manager", "resident_member", "outsider"]
OPERATORS = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200}
OWN = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}

HOUSES = b"Name,Gender\nOak House,men\n"


@pytest.fixture
def runs(operator, outsider):
    own = services.import_upload(actor=operator, name="own.csv", data=HOUSES, kind="houses")
    foreign = services.import_upload(actor=outsider, name="foreign.csv", data=HOUSES, kind="houses")
    return {"run": own.pk, "foreign_run": foreign.pk}


PAGES = [
    ("/dashboard/import/", OPERATORS),
    ("/dashboard/import/{run}/", OWN),
]


@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[path for path, _ in PAGES])
def test_each_role_gets_exactly_its_access_to_the_import_pages(request, page, runs, path, expected):
    url = path.format(**runs)
    seen = {role: page(request.getfixturevalue(role)).get(url).status_code for role in ROLES}
    assert seen == expected


REFUSED = {"manager": 403, "resident_member": 403, "outsider": 404}
WRITES = [
    ("/dashboard/import/{run}/", {"name": "Name", "gender": "Gender"}),
    ("/dashboard/import/{run}/import/", {"only_good_rows": "on"}),
    ("/dashboard/import/{run}/delete-file/", {}),
]


@pytest.mark.parametrize(("path", "body"), WRITES, ids=[path for path, _ in WRITES])
def test_a_check_or_import_out_of_reach_is_refused_and_changes_nothing(request, page, runs, path, body):
    before = list(ImportRun.objects.values_list("pk", "status", "mapping").order_by("pk"))
    seen = {role: page(request.getfixturevalue(role)).post(path.format(**runs), body).status_code for role in REFUSED}
    assert seen == REFUSED
    assert list(ImportRun.objects.values_list("pk", "status", "mapping").order_by("pk")) == before
    assert not House.objects.filter(name="Oak House").exists()


def test_an_upload_by_a_manager_or_resident_is_refused_and_keeps_nothing(page, manager, resident_member):
    for member in (manager, resident_member):
        answer = page(member).post(
            "/dashboard/import/", {"file": SimpleUploadedFile("h.csv", HOUSES), "kind": "houses"}
        )
        assert answer.status_code == 403
    assert not ImportRun.objects.exists()


def test_another_organizations_operator_sees_only_their_own_imports(page, runs, outsider):
    shown = page(outsider).get("/dashboard/import/").content.decode()
    assert "foreign.csv" in shown
    assert "own.csv" not in shown
