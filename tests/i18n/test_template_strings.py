"""Every word a template shows goes through the translation tags: a template's text outside
``{% blocktranslate %}…{% endblocktranslate %}`` (and outside ``{% comment %}``, ``<script>`` and ``<style>``) holds
no visible words, and a user-facing attribute (``title``, ``alt``, ``placeholder``, ``aria-label``,
``aria-description``) holds no literal words. What is left may be markup, punctuation, digits, symbols, entities and
the brand "Hearth".

Each template is read with Django's own template Lexer; every tag and variable becomes a neutral placeholder, and
the result is read with ``html.parser``, so an attribute split by a tag (``title="{% url … %} Edit"``) is still seen
whole.

A template still being converted is listed in ``NOT_YET_TRANSLATED`` and skipped, visibly; the list only shrinks."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", "var", "node_modules", "static", ".git", "bench", "docs", "tests", "locale"}
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".svg"}

# Templates not yet converted (path from the project root). Remove one as soon as it passes; never add one.
NOT_YET_TRANSLATED: list[str] = []

PLACEHOLDER = "\x00"
USER_FACING_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
UNTRANSLATED_WORDS = {"Hearth"}  # the brand
WORD = re.compile(r"[^\W\d_]{2,}|\b[^\W\d_]\b")


def templates() -> list[Path]:
    found = []
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
            continue
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or any(part in SKIPPED_DIRS for part in parts[:-1]):
            continue
        if "templates" in parts[:-1]:
            found.append(path)
    return found


def words(text: str) -> list[str]:
    return [word for word in WORD.findall(text.replace(PLACEHOLDER, " ")) if word not in UNTRANSLATED_WORDS]


def skeleton(source: str) -> str:
    """The template with every tag, variable, comment and ``blocktranslate`` block replaced by a placeholder
    (keeping its line breaks, so line numbers stay true): only the literal text is left."""
    parts, hidden_until = [], None
    for token in Lexer(source).tokenize():
        contents = token.contents.strip()
        name = contents.split(" ", 1)[0] if token.token_type == TokenType.BLOCK else ""
        if hidden_until is None and name in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
            hidden_until = {"blocktranslate": ("endblocktranslate", "endblocktrans")}.get(
                name, {"blocktrans": ("endblocktrans", "endblocktranslate")}.get(name, (f"end{name}",))
            )
        elif hidden_until is not None and name in hidden_until:
            hidden_until = None
            parts.append(PLACEHOLDER + "\n" * token.contents.count("\n"))
            continue
        if token.token_type == TokenType.TEXT and hidden_until is None:
            parts.append(token.contents)
        else:
            parts.append(PLACEHOLDER + "\n" * token.contents.count("\n"))
    return "".join(parts)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        for name, value in attrs:
            if name in USER_FACING_ATTRIBUTES and value and words(value):
                self.found.append((self.getpos()[0], f'{name}="{value.replace(PLACEHOLDER, "{…}")}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in {"script", "style"}:
            self._hidden -= 1

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and words(data):
            line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")  # the first word's line
            text = " ".join(data.replace(PLACEHOLDER, "{…}").split())
            self.found.append((line, text[:100]))


def untranslated_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of each visible word or user-facing attribute left outside the translation tags."""
    reader = _Reader()
    reader.feed(skeleton(source))
    reader.close()
    return reader.found


def test_the_check_finds_text_and_an_attribute_outside_the_tags():
    source = '{% load i18n %}<h1>Rent due</h1>\n<img alt="A house" src="{{ url }}">\n'
    assert [line for line, _ in untranslated_text(source)] == [1, 2]


def test_the_check_passes_translated_text_blocks_comments_scripts_and_the_brand():
    source = (
        '{% load i18n %}<h1>{% translate "Rent due" %}</h1> · Hearth 2026 &amp; …\n'
        "{% blocktranslate trimmed with n=x %}You owe {{ n }}{% endblocktranslate %}\n"
        "{% comment %}Not shown{% endcomment %}<script>let shown = false;</script><style>p { color: red }</style>\n"
        '<a title="{% translate \'Edit\' %}" aria-label="{{ label }}">{{ name }}</a>\n'
    )
    assert untranslated_text(source) == []


@pytest.mark.parametrize("path", templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_template_shows_only_translated_words(path):
    relative = str(path.relative_to(ROOT))
    if relative in NOT_YET_TRANSLATED:
        pytest.skip(f"{relative} is in NOT_YET_TRANSLATED (tests/i18n/test_template_strings.py)")
    found = untranslated_text(path.read_text())
    assert not found, "Wrap in {% translate %} / {% blocktranslate %}:\n" + "\n".join(
        f"{relative}:{line}: {text}" for line, text in found
    )


def test_not_yet_translated_names_only_templates_that_still_fail():
    """The list only shrinks: a template that now passes, or no longer exists, must come off it."""
    stale = [
        relative
        for relative in NOT_YET_TRANSLATED
        if not (ROOT / relative).exists() or not untranslated_text((ROOT / relative).read_text())
    ]
    assert not stale, f"Remove from NOT_YET_TRANSLATED (they pass now): {stale}"
