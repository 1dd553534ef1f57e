"""The embed code the listing editor shows to copy is well-formed HTML whatever the house is named: quotes and angle
brackets in the name are escaped inside the iframe's title, and the page shows the code as text."""

import html
import re

import pytest

from houses.models import House
from tests.vacancies.feed.world import publish

pytestmark = pytest.mark.django_db


def snippet_on_page(client, house) -> str:
    body = client.get(f"/dashboard/houses/{house.pk}/listing/").content.decode()
    shown = re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', body, re.S).group(1)
    return html.unescape(shown)  # what a person copies from the box


def test_a_house_named_with_quotes_gives_an_escaped_title(page, operator, house):
    House.objects.filter(pk=house.pk).update(name='The "Serenity" House')
    house.refresh_from_db()
    publish(house, slug="serenity")

    snippet = snippet_on_page(page(operator), house)

    assert snippet == (
        '<iframe src="http://127.0.0.1:8000/v/second-wind/serenity/embed/" '
        'title="Open beds at The &quot;Serenity&quot; House" width="320" height="260" loading="lazy"></iframe>'
    )


def test_a_house_named_with_markup_cannot_close_the_box_or_the_iframe(page, operator, house):
    House.objects.filter(pk=house.pk).update(name="Hope</textarea><script>alert(1)</script>")
    house.refresh_from_db()
    publish(house, slug="hope")

    client = page(operator)
    body = client.get(f"/dashboard/houses/{house.pk}/listing/").content.decode()
    snippet = snippet_on_page(client, house)

    assert "<script>alert(1)</script>" not in body
    assert 'title="Open beds at Hope&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in snippet
