"""Room for more languages: a pseudo-language ("en-xa") in which every translated string is 40% longer than the
English (each word stretched, placeholders and markup kept) is built at test time from the real catalogue's msgids,
and the pages residents and applicants use, and the sign-in page, are read in it on a 390 px phone. No page may
scroll sideways, and no button, link-button, navigation link, label or form control may be clipped or stick out.
"""

import math
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import polib
import pytest
import time_machine
from django.conf import settings
from django.test import override_settings

from accounts.models import User
from tests.vacancies.public.conftest import publish, rent_policy

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PSEUDO = "en-xa"
NOW = datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
# Placeholders, markup and entities stay as they are; only words grow.
KEEP = re.compile(r"%\([^)]+\)[sdf]|%[sd]|\{[^}]*\}|<[^>]+>|&\w+;")
WORD = re.compile(r"[^\W\d_]+")

# The elements that must neither be clipped nor stick out of the page.
FIND_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px > ${width}px`);
  }
  const selector = "button, a.button, .link-button, nav a, label, legend, input, select, textarea";
  for (const element of document.querySelectorAll(selector)) {
    if (element.closest(".visually-hidden, .skip-link") || element.type === "hidden") continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const text = (element.innerText || element.value || element.name || "").trim().slice(0, 40);
    const name = `${element.tagName.toLowerCase()} "${text}"`;
    if (box.right > width + 1 || box.left < -1) {
      problems.push(`${name} sticks out (${Math.round(box.left)}..${Math.round(box.right)} of ${width})`);
    }
    const inline = getComputedStyle(element).display === "inline";
    const typed = ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName);
    if (!inline && !typed && element.scrollWidth > element.clientWidth + 1) {
      problems.push(`${name} is clipped (${element.scrollWidth}px of text in ${element.clientWidth}px)`);
    }
  }
  return problems;
}"""


# A date format given to the ``date`` filter (``"M j, Y"``, ``"l, M j"``): format letters, not words; kept as it is.
DATE_FORMAT = re.compile(r"^(?:[^\W\d_]\b|\\.|[\s,./:-])+$")


def stretch(text: str) -> str:
    """``text`` about 40% longer: each word gains its own first letters again (so words stay unbreakable, as long
    compound words are in some languages); placeholders and markup are untouched."""
    if DATE_FORMAT.match(text):
        return text
    pieces, last = [], 0
    for kept in KEEP.finditer(text):
        pieces.append(_stretch_words(text[last : kept.start()]))
        pieces.append(kept.group(0))
        last = kept.end()
    pieces.append(_stretch_words(text[last:]))
    return "".join(pieces)


def _stretch_words(text: str) -> str:
    return WORD.sub(lambda found: _longer(found.group(0)), text)


def _longer(word: str) -> str:
    extra = math.ceil(len(word) * 0.4)
    return word + (word.lower() * 3)[:extra]


def test_stretching_keeps_placeholders_and_grows_words_by_two_fifths():
    assert stretch("Pay %(amount)s now") == "Paypa %(amount)s nowno"
    assert len(stretch("Dashboard")) == len("Dashboard") + 4


def test_stretching_keeps_a_date_format_as_it_is():
    assert [stretch(text) for text in ("M j, Y", "l, M j", "F Y")] == ["M j, Y", "l, M j", "F Y"]


@pytest.fixture
def pseudo_locale(tmp_path):
    """The pseudo-language's catalogue, compiled into a locale folder of its own, and the language switched on."""
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    pseudo = polib.POFile()
    pseudo.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=n != 1;"}
    for entry in catalogue:
        if not entry.msgid or entry.obsolete:
            continue
        if entry.msgid_plural:
            plural = {0: stretch(entry.msgid), 1: stretch(entry.msgid_plural)}
            pseudo.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                                        msgstr_plural=plural))  # fmt: skip
        else:
            pseudo.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=stretch(entry.msgid)))
    folder = tmp_path / "locale" / "en_XA" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    pseudo.save_as_mofile(str(folder / "django.mo"))
    with override_settings(
        LANGUAGES=[*settings.LANGUAGES, (PSEUDO, "Pseudo")], LOCALE_PATHS=[tmp_path / "locale", *settings.LOCALE_PATHS]
    ):
        yield


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def phone(open_page, pseudo_locale, clock):
    return open_page(PHONE["width"], PHONE["height"])


def _overflow(page, path: str) -> list[str]:
    response = page.goto(path)
    assert response.status < 400, f"{path} answered {response.status}"
    return [f"{path}: {problem}" for problem in page.evaluate(FIND_OVERFLOW)]


def _stretched(page) -> bool:
    return page.evaluate("document.documentElement.lang") == PSEUDO


def test_the_signed_out_pages_have_room_for_longer_words(phone, live_server, house):
    rent_policy(house)
    publish(house, slug="maple-house")
    phone.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": PSEUDO, "url": live_server.url}])
    slug = house.organization.slug
    problems = []
    for path in ["/accounts/login/", "/accounts/password_reset/", f"/v/{slug}/", f"/v/{slug}/maple-house/",
                 f"/v/{slug}/maple-house/apply/", f"/v/{slug}/apply/"]:  # fmt: skip
        problems += _overflow(phone, path)
        assert _stretched(phone), f"{path} is not in the pseudo-language"
    assert not problems, "\n".join(problems)


def test_the_resident_portal_has_room_for_longer_words(phone, live_server, sign_in, resident_member):
    sign_in(phone, resident_member)  # in English: the form is found by its labels
    User.objects.filter(pk=resident_member.user.pk).update(preferred_language=PSEUDO)
    problems = []
    for path in ["/portal/", "/portal/rules/", "/portal/chores/", "/portal/tests/", "/portal/meetings/",
                 "/portal/phase/", "/portal/sign-out/", "/portal/passes/", "/portal/grievances/",
                 "/portal/grievances/new/", "/portal/pay/", "/accounts/language/"]:  # fmt: skip
        problems += _overflow(phone, path)
        assert _stretched(phone), f"{path} is not in the pseudo-language"
    assert not problems, "\n".join(problems)
