from pathlib import Path

import pytest

from spreadsheets import services
from tests.clock import local_moment, module_clock

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"

# The samples' move-ins run to mid-November 2026: their import is read on Dec 1, 2026.
_clock = module_clock(local_moment(2026, 12, 1))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def imported(actor, name: str, kind: str, *, data: bytes | None = None, sheet: str = "", only_good_rows=False):
    """A sheet uploaded, mapped by its header names and imported through the services (the page's own calls)."""
    run = services.import_upload(
        actor=actor, name=name, data=data if data is not None else sample(name), kind=kind, sheet_name=sheet
    )
    return services.import_apply(actor=actor, run=run, only_good_rows=only_good_rows)


@pytest.fixture
def sample_places(operator):
    """The sample houses and their rooms and beds, imported."""
    imported(operator, "houses.csv", "houses")
    imported(operator, "beds.csv", "beds")
