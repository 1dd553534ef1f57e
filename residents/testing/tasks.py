"""The weekly random drug-test draw as a Celery task (the name stays ``residents.tasks.*`` for the beat schedule)."""

from celery import shared_task

from residents.testing.services.drug_test_draws import drug_test_draws_for_all_houses


@shared_task(name="residents.tasks.draw_drug_tests_for_all_houses")
def draw_drug_tests_for_all_houses() -> int:
    """This week's random drug-test draw for every active house not yet drawn; returns how many were made. Each
    house's week is taken from its organization's date by the service."""
    return drug_test_draws_for_all_houses()
