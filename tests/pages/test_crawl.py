"""Every page each demo login can reach, checked the way a browser and a screen reader meet it.

Starting from each role's landing page, the crawl follows the navigation and the pages' own links (same site, GET
only; never the API, the admin, logging out or file downloads) and checks each HTML page: no form posts, and no link
in the page's content leads, to the API; every POST form carries a CSRF token; no element id appears twice; every
visible field has a label. Each URL route is visited at most twice per role (two residents' pages, not all sixty), so
the crawl stays fast.
"""

from collections import Counter, deque
from datetime import datetime
from urllib.parse import urldefrag, urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.urls import Resolver404, resolve

from demo.seed import DEMO_PASSWORD, ORGANIZATIONS
from tests.forms import FormClient

# A Wednesday afternoon in the demo's time zone: the demo is seeded and crawled at the same frozen instant.
FROZEN_AT = datetime(2026, 3, 11, 15, 0, tzinfo=ZoneInfo("America/Chicago"))
VISITS_PER_ROUTE = 2
SKIPPED_PREFIXES = ("/api/", "/admin/", "/accounts/logout/", "/static/", "/media/")
DOWNLOAD_SUFFIXES = ("/pdf/", "/download/", "/pack/", ".pdf", ".csv", ".png", ".jpg", ".zip")
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}

# Enough distinct routes that a crawl stuck on its landing page (or lost behind a login) cannot pass.
LOGINS = {
    "operator": ("operator@example.com", "/dashboard/", 40),
    "manager": ("manager@example.com", "/dashboard/", 24),
    "resident": ("resident@example.com", "/portal/", 12),
}


@pytest.fixture(scope="module", autouse=True)
def _frozen_clock():
    """Module-wide and set up before ``demo_seeded``, so the demo's relative dates and the pages agree on today."""
    with time_machine.travel(FROZEN_AT, tick=False):
        yield


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def _page_url(href: str, page_url: str, *, download: bool = False) -> str | None:
    """The site-relative URL a link or redirect leads to, or None when the crawl does not follow it."""
    target, _ = urldefrag(urljoin(page_url, href.strip()))
    parts = urlsplit(target)
    if parts.scheme not in ("http", "") or parts.netloc not in ("testserver", ""):
        return None  # another site, mailto:, tel:
    if download or parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(DOWNLOAD_SUFFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _links(document, page_url: str) -> list[str]:
    links = document.xpath("//a[@href]")
    found = [_page_url(link.get("href"), page_url, download=link.get("download") is not None) for link in links]
    return [url for url in found if url]


def _is_hidden(element) -> bool:
    return any(ancestor.get("hidden") is not None for ancestor in element.iterancestors()) or (
        element.get("hidden") is not None
    )


def _has_label(element, document, ids: set[str]) -> bool:
    if (element.get("aria-label") or "").strip():
        return True
    labelled_by = (element.get("aria-labelledby") or "").split()
    if labelled_by and all(name in ids for name in labelled_by):
        return True
    if any(ancestor.tag == "label" for ancestor in element.iterancestors()):
        return True
    own_id = element.get("id")
    return bool(own_id) and bool(document.xpath("//label[@for=$id]", id=own_id))


def problems_on(html: str, page: str) -> list[str]:
    """What a browser user or a screen reader user would trip over on ``page``, one sentence each."""
    document = lxml.html.fromstring(html)
    problems = []
    for form in document.xpath("//form"):
        method = (form.get("method") or "get").lower()
        overrides = [button.get("formaction") for button in form.xpath(".//*[@formaction]")]
        actions = [form.get("action") or page, *overrides]
        for action in actions:
            if urlsplit(urljoin(page, action)).path.startswith("/api/"):
                problems.append(f"{page}: a form posts to the API ({action})")
        if method == "post" and not form.xpath(".//input[@name='csrfmiddlewaretoken']"):
            problems.append(f"{page}: the POST form to {form.get('action') or page} carries no CSRF token")
    for link in document.xpath("//main//a[@href]"):  # the header's link to the API docs is meant for people
        if urlsplit(urljoin(page, link.get("href"))).path.startswith("/api/"):
            problems.append(f"{page}: a link leads to the API ({link.get('href')})")
    all_ids = [element.get("id") for element in document.xpath("//*[@id]")]
    for element_id, count in Counter(all_ids).items():
        if count > 1:
            problems.append(f"{page}: the id {element_id!r} appears {count} times")
    ids = set(all_ids)
    for field in document.xpath("//input|//select|//textarea"):
        if field.tag == "input" and (field.get("type") or "text").lower() in UNLABELLED_TYPES:
            continue
        if _is_hidden(field):
            continue
        if not _has_label(field, document, ids):
            problems.append(f"{page}: the {field.tag} named {field.get('name')!r} has no label")
    return problems


def crawl(client: FormClient, start: str) -> tuple[Counter, list[str]]:
    """Visits every page reachable from ``start`` by links, each route at most ``VISITS_PER_ROUTE`` times; returns
    the visits per route and the problems found."""
    queued = {start}
    per_route = Counter({_route(start): 1})
    waiting = deque([start])
    problems = []
    while waiting:
        url = waiting.popleft()
        response = client.get(url)
        if response.status_code in (301, 302):
            found = [url for url in [_page_url(response["Location"], url)] if url]
        elif response.status_code != 200:
            problems.append(f"{url}: a link leads here and it answers {response.status_code}")
            continue
        elif not response.get("Content-Type", "").startswith("text/html"):
            continue
        else:
            html = response.content.decode()
            problems += problems_on(html, url)
            found = _links(lxml.html.fromstring(html), url)
        for link in found:
            route = _route(urlsplit(link).path)
            if link in queued or route is None or per_route[route] >= VISITS_PER_ROUTE:
                continue
            queued.add(link)
            per_route[route] += 1
            waiting.append(link)
    return per_route, problems


@pytest.mark.parametrize("role", LOGINS)
def test_every_page_a_role_can_reach_has_labelled_fields_unique_ids_and_forms_that_post_to_pages(demo_db, role):
    email, landing, fewest_routes = LOGINS[role]
    client = FormClient(raise_request_exception=False)  # a page that fails is one problem among the others
    signed_in = client.submit(
        "/accounts/login/", {"username": email, "password": DEMO_PASSWORD}, button="Sign in", follow=True
    )
    assert signed_in.redirect_chain[-1][0] == landing

    per_route, problems = crawl(client, landing)

    assert problems == [], f"the {role} crawl found:\n" + "\n".join(problems)
    assert len(per_route) >= fewest_routes, f"the {role} crawl reached only {sorted(per_route)}"


def test_every_public_page_a_visitor_reaches_has_labelled_fields_unique_ids_and_forms_that_post_to_pages(demo_db):
    """Nobody signed in, from the first demo organization's vacancy page: its houses, their application forms."""
    client = FormClient(raise_request_exception=False)
    start = f"/v/{ORGANIZATIONS[0]['slug']}/"
    listed = client.get(start)
    assert listed.status_code == 200, f"{start} answered {listed.status_code}: the demo publishes no house"
    house_route = "v/<slug:organization>/<slug:house>/"
    houses = {url for url in _links(lxml.html.fromstring(listed.content.decode()), start) if _route(url) == house_route}

    per_route, problems = crawl(client, start)

    assert problems == [], "the public crawl found:\n" + "\n".join(problems)
    assert houses, f"{start} links to no house page"
    assert per_route[house_route] == min(len(houses), VISITS_PER_ROUTE)
    assert per_route["v/<slug:organization>/<slug:house>/apply/"] >= 1
    assert per_route["v/<slug:organization>/apply/"] == 1


BAD_PAGE = """<main>
  <form method="post" action="/api/v1/grievances/1/close/"><button>Close</button></form>
  <label for="note">Note</label><input id="note" name="note"><input id="note" name="again">
  <select name="house"></select><input type="hidden" name="step"><div hidden><input name="later"></div>
  <a href="/api/v1/reports/1/download/">Download</a>
</main>"""


def test_the_page_check_names_each_kind_of_problem_it_finds():
    assert problems_on(BAD_PAGE, "/somewhere/") == [
        "/somewhere/: a form posts to the API (/api/v1/grievances/1/close/)",
        "/somewhere/: the POST form to /api/v1/grievances/1/close/ carries no CSRF token",
        "/somewhere/: a link leads to the API (/api/v1/reports/1/download/)",
        "/somewhere/: the id 'note' appears 2 times",
        "/somewhere/: the select named 'house' has no label",
    ]
