"""Fixtures for page tests: a small world with something in every house."""

from datetime import date

import pytest

from residents.core.services.applications import application_create, application_move
from residents.core.services.stays import stay_admit
from tests.factories import ResidentFactory

MOVE_IN = date(2026, 1, 10)


def waiting_applicant(actor, *, house=None, accepted=True, first_name="Dana", last_name="Reyes", **fields):
    fields.setdefault("phone", "(555) 200-3000")
    application = application_create(
        actor=actor, first_name=first_name, last_name=last_name, applied_on=date(2026, 2, 1),
        preferred_house=house, **fields,
    )  # fmt: skip
    for status in ["waitlisted", "accepted"] if accepted else ["waitlisted"]:
        application = application_move(actor=actor, application=application, to=status)
    return application


@pytest.fixture
def world(organization, house, other_house, foreign_house, operator, manager, resident_member, outsider):
    """One object of each kind in the manager's house, in another house of the organization, and in another
    organization, so every page can be tried on what a member may and may not see."""
    neighbour = ResidentFactory(organization=organization, legal_first_name="Nora", legal_last_name="Neighbour")
    stay_admit(actor=operator, resident=neighbour, bed=other_house.beds.order_by("pk").first(), on=MOVE_IN)
    stranger = ResidentFactory(organization=foreign_house.organization, legal_first_name="Sam", legal_last_name="Far")
    stay_admit(actor=outsider, resident=stranger, bed=foreign_house.beds.order_by("pk").first(), on=MOVE_IN)
    own = resident_member.resident
    return {
        "house": house,
        "other_house": other_house,
        "foreign_house": foreign_house,
        "bed": house.beds.order_by("pk").last(),
        "other_bed": other_house.beds.order_by("pk").last(),
        "foreign_bed": foreign_house.beds.order_by("pk").last(),
        "resident": own,
        "stay": own.stays.get(),
        "other_resident": neighbour,
        "other_stay": neighbour.stays.get(),
        "foreign_resident": stranger,
        "foreign_stay": stranger.stays.get(),
        "application": waiting_applicant(operator, house=house),
        "other_application": waiting_applicant(operator, house=other_house, first_name="Olga"),
        "foreign_application": waiting_applicant(outsider, house=foreign_house, first_name="Fay"),
        "membership": manager,
        "foreign_membership": outsider,
    }


from .house_life_world import life  # noqa: E402, F401 - the house-life pages' world, for their tests
