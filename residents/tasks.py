"""Celery wrappers around residents' services: each calls one plain, idempotent service function."""

from celery import shared_task

from .services.drug_test_draws import drug_test_draws_for_all_houses


@shared_task
def draw_drug_tests_for_all_houses() -> int:
    """This week's random drug-test draw for every active house not yet drawn; returns how many were made."""
    return drug_test_draws_for_all_houses()
