"""Row values a sheet may hold only within the pages' own limits: a floor outside the room form's range is a bad
row with why, never a database error."""

import pytest

from houses.models import Room
from spreadsheets.models import ImportRun

from .conftest import imported


@pytest.mark.parametrize("floor", ["-6", "201", "40000"])
def test_a_floor_outside_the_room_forms_range_is_a_bad_row(operator, house, floor):
    data = f"House,Room,Bed,Floor\nMaple House,Attic,A1,{floor}\n".encode()
    run = imported(operator, "beds.csv", "beds", data=data)
    assert run.status == ImportRun.Status.CHECKED
    assert run.row_errors == [{"row": 2, "field": "Floor", "message": f"{floor} is not a floor: write -5 to 200."}]
    assert not Room.objects.filter(name="Attic").exists()


@pytest.mark.parametrize("floor", ["-5", "0", "200"])
def test_a_floor_within_the_range_adds_the_room_on_it(operator, house, floor):
    data = f"House,Room,Bed,Floor\nMaple House,Attic,A1,{floor}\n".encode()
    imported(operator, "beds.csv", "beds", data=data)
    assert Room.objects.get(name="Attic").floor == int(floor)
