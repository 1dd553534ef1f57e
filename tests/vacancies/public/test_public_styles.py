"""The public pages' grids fit a 320-pixel phone: a column is never wider than the space it has (a bare
``minmax(16rem, 1fr)`` needs 256 pixels plus the card's padding, wider than the screen)."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[3] / "static" / "css" / "hearth.css").read_text()


@pytest.mark.parametrize("selector", [".public-photos", ".public-houses"])
def test_a_public_grids_columns_shrink_to_the_space_they_have(selector):
    rule = re.search(re.escape(selector) + r" \{([^}]*)\}", CSS).group(1)

    assert re.search(r"minmax\(min\(\d+rem, 100%\), 1fr\)", rule), rule
