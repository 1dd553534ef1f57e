"""Chore pages, under /dashboard/."""

from django.urls import path

from residents.chores import views as chores

HOUSE = "houses/<int:house_id>/"

urlpatterns = [
    path(f"{HOUSE}chores/", chores.house_chores, name="house-chores"),
    path(f"{HOUSE}chores/add/", chores.house_chore_add, name="house-chore-add"),
    path(f"{HOUSE}chores/<int:chore_id>/edit/", chores.house_chore_edit, name="house-chore-edit"),
    path(f"{HOUSE}chores/generate/", chores.house_chores_generate, name="house-chores-generate"),
    path(f"{HOUSE}chores/assignments/<int:assignment_id>/mark/", chores.house_chore_mark, name="house-chore-mark"),
]
