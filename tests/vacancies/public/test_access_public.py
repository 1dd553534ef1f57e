"""Who reaches the public pages: everyone alike. Nobody signed in, the operator, a manager, a resident and an
operator of another organization all get the same answer on each route; what is not published is 404 for all."""

import pytest
from django.core.files.base import ContentFile

from tests.forms import FormClient
from vacancies.models import ListingPhoto
from vacancies.services.public import public_application_submit

from .conftest import publish
from .test_photos import PIXEL

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "operator", "manager", "resident_member", "outsider"]

# (path, the answer every role gets)
MATRIX = [
    ("/v/second-wind/", 200),
    ("/v/second-wind/apply/", 200),
    ("/v/second-wind/apply/thanks/", 200),
    ("/v/second-wind/maple-house/", 200),
    ("/v/second-wind/maple-house/apply/", 200),
    ("/v/second-wind/maple-house/photos/{photo}/", 200),
    ("/applications/{token}/", 200),
    ("/applications/{token}/erase/", 200),
    ("/v/second-wind/willow-house/", 404),  # a house of the organization that is not published
    ("/v/second-wind/willow-house/apply/", 404),
    ("/v/second-wind/willow-house/photos/{hidden_photo}/", 404),
    ("/v/elsewhere/", 404),  # an organization that publishes nothing
    ("/v/elsewhere/apply/", 404),
    ("/v/elsewhere/maple-house/", 404),  # a published house under another organization's slug
    ("/applications/no-such-token/", 404),
]


def photo_of(listing) -> ListingPhoto:
    photo = ListingPhoto(listing=listing, alt_text="The porch")
    photo.image.save("porch.gif", ContentFile(PIXEL), save=False)
    photo.save()
    return photo


@pytest.fixture
def world(settings, tmp_path, organization, listing, house, other_house, foreign_house):
    settings.MEDIA_ROOT = tmp_path
    hidden = publish(other_house, slug="willow-house", published=False)
    publish(foreign_house, slug="aspen-house", published=False)
    submission = public_application_submit(
        organization=organization, house=house, first_name="Dana", last_name="W", phone="555", consent_to_contact=True
    )
    return {"photo": photo_of(listing).pk, "hidden_photo": photo_of(hidden).pk, "token": submission.token}


@pytest.fixture
def client_as(request, page):
    def make(role):
        return FormClient() if role == "anonymous" else page(request.getfixturevalue(role))

    return make


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "expected"), MATRIX, ids=[path for path, _ in MATRIX])
def test_every_role_and_nobody_signed_in_get_the_same_public_answer(client_as, world, role, path, expected):
    assert client_as(role).get(path.format(**world)).status_code == expected
