"""Demo imports: New Dawn's operator moved two houses and their rooms and beds in from spreadsheets, the sample files
in ``docs/samples/`` (houses.csv, then beds.csv), so the import page shows its history and what each import created.

Seeded in the second organization (which closes no month, so the samples' past dates are accepted on any run), after
its residents: the sample houses' beds stay free for the sample residents, and every later step sees the houses on
the first run as on any other.

The houses sheet's stored upload has been deleted since, as an operator may once a sheet is imported. Run through
the import services as the operator would run them; a second run finds each sheet imported already
(same SHA-256) and imports nothing again.
"""

import hashlib
from pathlib import Path

from accounts.models import Membership, Organization, Role
from spreadsheets import services
from spreadsheets.models import ImportRun

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
SHEETS = [("houses.csv", "houses"), ("beds.csv", "beds")]


def seed(organization: Organization) -> list[ImportRun]:
    operator = Membership.objects.filter(organization=organization, role=Role.OPERATOR).order_by("pk").first()
    if operator is None:
        return []
    runs = []
    for name, kind in SHEETS:
        data = (SAMPLES / name).read_bytes()
        done = ImportRun.objects.filter(
            organization=organization, sha256=hashlib.sha256(data).hexdigest(), status=ImportRun.Status.DONE
        ).first()
        if done is not None:
            runs.append(done)
            continue
        run = services.import_upload(actor=operator, name=name, data=data, kind=kind)
        run = services.import_check(actor=operator, run=run)
        runs.append(services.import_apply(actor=operator, run=run))
    # Once the houses were in, the operator deleted that upload (the import's record stays); the beds sheet is kept.
    if runs and runs[0].file:
        runs[0] = services.import_file_delete(actor=operator, run=runs[0])
    return runs
