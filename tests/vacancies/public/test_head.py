"""The public pages answer HEAD as they answer GET (link checkers and directories ask HEAD first), with no body."""

import pytest

from .test_photos import photo_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/v/second-wind/",
        "/v/second-wind/maple-house/",
        "/v/second-wind/apply/",
        "/v/second-wind/maple-house/apply/",
        "/v/second-wind/apply/thanks/",
    ],
)
def test_a_public_page_answers_head_with_200_and_no_body(visitor, listing, path):
    response = visitor.head(path)

    assert response.status_code == 200
    assert response.content == b""


def test_a_photo_answers_head(visitor, listing, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = photo_of(listing)

    assert visitor.head(f"/v/second-wind/maple-house/photos/{photo.pk}/").status_code == 200


def test_a_public_page_still_refuses_a_post(visitor, listing):
    assert visitor.post("/v/second-wind/maple-house/").status_code == 405
