"""Filling beds demo: vacancies (filled in by its lane)."""

from accounts.models import Organization


def seed(organization: Organization) -> None:
    return None
