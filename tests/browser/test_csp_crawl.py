"""Every page each role can reach passes the Content-Security-Policy: the browser crawls an operator's, a manager's
and a resident's site breadth-first from their home page and reports any script, style or other resource it
refused."""

import re
from collections import deque
from datetime import date
from urllib.parse import urldefrag, urlsplit

import pytest

from billing.services.ledger import charge_post
from tests.pages.portal_factories import give_phases, stay_of
from tests.residents.rules_factories import publish_defaults
from tests.vacancies.public.conftest import publish, rent_policy
from tests.vacancies.public.test_photos import photo_of

pytestmark = pytest.mark.browser

PAGES_PER_ROLE = 60
# Links that leave the page for a file, end the session or are not pages of ours.
SKIPPED = ("/accounts/logout", "download", "pdf", "export", ".csv", "/api/", "/admin/", "/media/")

WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  window.reportCspViolation(`${event.violatedDirective} blocked ${blocked} on ${location.pathname}`);
});
"""


def kind_of(url: str) -> str:
    """The page a link shows, whatever its ids and query: /dashboard/houses/2/beds/ is the same page as house 1's."""
    return re.sub(r"\d+", "<id>", urlsplit(url).path)


def crawl(page) -> list[str]:
    """Visits every same-origin page linked from the home page, one visit per kind of page, and returns the kinds."""
    origin = urlsplit(page.url)[:2]
    queue, seen = deque([page.url]), set()
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        if kind_of(url) in seen:
            continue
        seen.add(kind_of(url))
        page.goto(url)
        for href in page.eval_on_selector_all("a[href]", "links => links.map((link) => link.href)"):
            href = urldefrag(href).url
            parts = urlsplit(href)
            if parts[:2] == origin and kind_of(href) not in seen and not any(skip in parts.path for skip in SKIPPED):
                queue.append(href)
    return sorted(seen)


@pytest.fixture
def watched_page(open_page):
    """A page whose CSP violations (the event and Chromium's "Refused to ..." console errors) are collected."""
    violations = []
    page = open_page()
    page.context.expose_function("reportCspViolation", lambda text: violations.append(text))
    page.context.add_init_script(WATCH_VIOLATIONS)
    return page, violations


@pytest.fixture
def lived_in(operator, manager, other_house, resident_member):
    """Enough life in the house that the pages show their tables, not only their empty states."""
    publish_defaults(operator)
    give_phases(operator, stay_of(resident_member))
    charge_post(
        actor=operator, resident=resident_member.resident, kind="program_fee", amount="900.00", memo="June",
        effective_on=date(2026, 6, 1),
    )  # fmt: skip


def test_no_page_any_role_reaches_breaks_the_content_security_policy(
    watched_page, sign_in, console_errors, lived_in, operator, manager, resident_member
):
    page, violations = watched_page
    crawled = {}
    for membership in (operator, manager, resident_member):
        page.context.clear_cookies()
        sign_in(page, membership)
        crawled[membership.role] = crawl(page)
    refused = [error for error in console_errors if "Refused to" in error or "Content Security Policy" in error]

    assert violations == []
    assert refused == []
    assert "/dashboard/" in crawled["operator"]
    assert "/dashboard/" in crawled["manager"]
    assert "/portal/pay/" in crawled["resident"]
    assert sum(len(kinds) for kinds in crawled.values()) > 40  # a real crawl, not a login page three times


def test_no_public_vacancy_page_breaks_the_content_security_policy(
    watched_page, console_errors, settings, tmp_path, house, other_house
):
    """Nobody signed in, from the organization's vacancy page: its houses (with a photo), their application forms."""
    settings.MEDIA_ROOT = tmp_path
    rent_policy(house)
    photo_of(publish(house, slug="maple-house"))
    publish(other_house, slug="willow-house")
    page, violations = watched_page
    page.goto("/v/second-wind/")
    crawled = crawl(page)
    refused = [error for error in console_errors if "Refused to" in error or "Content Security Policy" in error]

    assert violations == []
    assert refused == []
    assert {"/v/second-wind/", "/v/second-wind/maple-house/", "/v/second-wind/maple-house/apply/"} <= set(crawled)
    assert "/v/second-wind/apply/" in crawled


def test_the_api_documentation_passes_the_content_security_policy(watched_page, console_errors):
    page, violations = watched_page
    page.goto("/api/docs/")
    page.get_by_text("Hearth API").first.wait_for()
    refused = [error for error in console_errors if "Refused to" in error or "Content Security Policy" in error]
    assert violations == []
    assert refused == []
