"""Celery finds tasks in each app's ``tasks`` module; residents keeps its tasks in the slices that own them."""

from residents.chores.tasks import chore_rotation_generate_for_house, chore_rotation_generate_next_week
from residents.testing.tasks import draw_drug_tests_for_all_houses

__all__ = ["chore_rotation_generate_for_house", "chore_rotation_generate_next_week", "draw_drug_tests_for_all_houses"]
