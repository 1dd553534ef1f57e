"""The open feed and the embeddable snippet are public: anyone, signed in or not, of any organization, gets the
same answer, and it never depends on who asks."""

import pytest

from tests.forms import FormClient

ROLES = ["operator", "manager", "resident_member", "outsider"]
EVERYONE = {"anonymous": 200, "operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}

PAGES = [
    ("/api/public/v1/vacancies/", EVERYONE),
    ("/api/public/v1/hsds/services/", EVERYONE),
    ("/v/second-wind/{house_slug}/embed/", EVERYONE),
]


@pytest.fixture
def world(resident_member, maple):  # the resident moves in first: their bed is taken before the feed's
    return {"house_slug": maple.slug}


@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[path for path, _ in PAGES])
def test_every_role_and_nobody_reach_the_public_feed(request, page, world, path, expected):
    url = path.format(**world)
    seen = {"anonymous": FormClient().get(url).status_code}
    seen.update({role: page(request.getfixturevalue(role)).get(url).status_code for role in ROLES})
    assert seen == expected


def test_the_feed_refuses_to_be_written_to(visitor, maple):
    assert visitor.post("/api/public/v1/vacancies/", {}).status_code in (403, 405)
