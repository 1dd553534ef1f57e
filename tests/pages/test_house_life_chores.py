"""A house's chores page: chore definitions, the week's rotation as a table by day, generating a week and marking
each occurrence (residents.chores.services)."""

from datetime import timedelta

from accounts.calendar import week_of
from residents.chores.models import weekdays_to_mask
from residents.models import Chore, ChoreAssignment


def _url(house, tail=""):
    return f"/dashboard/houses/{house.pk}/chores/{tail}"


def test_the_week_is_a_table_by_day_with_who_does_what(page, manager, life):
    house = life["house"]
    today = house.organization.today()
    response = page(manager).get(_url(house))
    days = response.context["days"]
    assert [group["day"] for group in days] == [week_of(today)[0] + timedelta(days=n) for n in range(7)]
    body = response.content.decode()
    assert f"{today:%A, %b} {today.day}" in body
    assert life["resident"].display_name in body
    assert "Every day" in body  # the Kitchen chore's schedule


def test_another_week_is_shown_by_any_of_its_dates(page, manager, life):
    house = life["house"]
    day = house.organization.today() + timedelta(weeks=1)
    response = page(manager).get(_url(house), {"week": day.isoformat()})
    assert response.context["week_start"] == week_of(day)[0]
    assert "No chores are handed out for this week yet." in response.content.decode()


def test_a_malformed_week_is_shown_beside_its_field(page, manager, life):
    response = page(manager).get(_url(life["house"]), {"week": "next tuesday"})
    assert response.status_code == 400
    assert "week" in response.context["week_form"].errors


def test_adding_a_weekly_chore_saves_its_days_and_says_so(page, manager, life):
    data = {"chore-name": "Yard", "chore-frequency": "weekly", "chore-weekdays": ["mon", "thu"], "chore-is_active": "1"}
    response = page(manager).submit(_url(life["house"]), data, button="Add chore", follow=True)
    assert "“Yard” added." in response.content.decode()
    chore = Chore.objects.get(house=life["house"], name="Yard")
    assert chore.weekdays == weekdays_to_mask(["mon", "thu"])


def test_a_weekly_chore_without_days_is_refused_beside_the_days(page, manager, life):
    data = {"chore-name": "Yard", "chore-frequency": "weekly"}
    response = page(manager).submit(_url(life["house"]), data, button="Add chore")
    assert response.status_code == 400
    assert response.context["chore_form"].errors == {"weekdays": ["A weekly chore needs at least one weekday."]}
    assert 'id="id_chore-weekdays_error"' in response.content.decode()
    assert not Chore.objects.filter(name="Yard").exists()


def test_a_chore_name_used_in_the_house_is_refused_beside_the_name(page, manager, life):
    data = {"chore-name": "kitchen", "chore-frequency": "daily"}
    response = page(manager).submit(_url(life["house"]), data, button="Add chore")
    assert response.status_code == 400
    assert list(response.context["chore_form"].errors) == ["name"]
    assert Chore.objects.filter(house=life["house"]).count() == 1


def test_pausing_a_chore_cancels_its_pending_days_after_today(page, manager, life):
    chore = life["chore"]
    data = {"description": "Dishes.", "is_active": None}  # "In the rotation" unticked
    response = page(manager).submit(_url(life["house"], f"{chore.pk}/edit/"), data, button="Save chore", follow=True)
    assert "“Kitchen” saved." in response.content.decode()
    chore.refresh_from_db()
    assert not chore.is_active
    later = ChoreAssignment.objects.filter(chore=chore, due_date__gt=chore.house.organization.today())
    assert set(later.values_list("status", flat=True)) <= {"cancelled"}


def test_generating_next_week_hands_out_its_chores(page, manager, life):
    house = life["house"]
    monday = week_of(house.organization.today())[0] + timedelta(weeks=1)
    data = {"week_start": monday.isoformat()}
    response = page(manager).submit(_url(house), data, button="Generate the week", follow=True)
    assert f"Week of {monday:%b} {monday.day} generated: 7 new." in response.content.decode()
    assert ChoreAssignment.objects.filter(house=house, due_date__gte=monday).count() == 7
    assert response.context["week_start"] == monday


def test_generating_from_a_day_that_is_not_a_monday_is_refused_beside_the_date(page, manager, life):
    house = life["house"]
    tuesday = week_of(house.organization.today())[0] + timedelta(weeks=1, days=1)
    before = ChoreAssignment.objects.count()
    response = page(manager).submit(_url(house), {"week_start": tuesday.isoformat()}, button="Generate the week")
    assert response.status_code == 400
    assert "A rotation week starts on a Monday" in response.context["generate_form"].errors["week_start"][0]
    assert ChoreAssignment.objects.count() == before


def test_marking_a_chore_done_records_it_and_says_so(page, manager, life):
    assignment = life["assignment"]
    row = f"form[action$='/assignments/{assignment.pk}/mark/']"
    data = {f"mark-{assignment.pk}-note": ""}
    response = page(manager).submit(_url(life["house"]), data, form=row, button="Done", follow=True)
    assert "Kitchen on" in response.content.decode()
    assignment.refresh_from_db()
    assert (assignment.status, assignment.marked_by) == ("done", manager.user)


def test_excusing_without_a_note_is_refused_beside_the_note_of_that_row(page, manager, life):
    assignment = life["assignment"]
    row = f"form[action$='/assignments/{assignment.pk}/mark/']"
    response = page(manager).submit(_url(life["house"]), {f"mark-{assignment.pk}-note": ""}, form=row, button="Excused")
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_mark-{assignment.pk}-note_error"' in body
    assert "Say why the chore is excused." in body
    assignment.refresh_from_db()
    assert assignment.status == "pending"


def test_editing_a_chore_into_a_weekly_one_without_days_is_refused_and_changes_nothing(page, manager, life):
    chore = life["chore"]
    data = {"frequency": "weekly", "weekdays": None}
    response = page(manager).submit(_url(life["house"], f"{chore.pk}/edit/"), data, button="Save chore")
    assert response.status_code == 400
    assert response.context["form"].errors == {"weekdays": ["A weekly chore needs at least one weekday."]}
    chore.refresh_from_db()
    assert (chore.frequency, chore.is_active) == ("daily", True)
