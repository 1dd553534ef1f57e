"""What each reported figure means, read from the ``Definitions`` list in each metrics section's docstring.

The docstrings are the one place a figure is defined; the PDF's last page (and the README) print what this returns,
so the text a reader sees cannot drift from the code's own definition.
"""

import inspect
import re
from dataclasses import dataclass

from .metrics import SECTIONS

NAME = re.compile(r"``([^`]+)``")
# What may join names before the colon: "``a`` and ``b``: text", "``a`` / ``b``: text".
JOINERS = re.compile(r"^(?:\s|,|/|and|or)*$")


@dataclass(frozen=True)
class Definition:
    names: tuple[str, ...]
    text: str
    sentence: bool = False  # the text names its figures itself ("a against b (...)"): print it alone


@dataclass(frozen=True)
class Section:
    name: str
    scope: str  # what the section's month means, from the line that opens its list
    definitions: tuple[Definition, ...]

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").capitalize()


def parse(docstring: str) -> tuple[str, list[Definition]]:
    """The docstring's list of figures, in order, with the paragraph that opens it: the remark in parentheses of a
    "Definitions (...):" line, or the whole paragraph (what "the month" means for the section)."""
    lines = inspect.cleandoc(docstring or "").splitlines()
    end = next((i for i, line in enumerate(lines) if line.startswith("- ")), None)
    if end is None:
        return "", []
    opening_lines = []
    for line in reversed(lines[:end]):
        if line.strip():
            opening_lines.insert(0, line.strip())
        elif opening_lines:
            break
    opening = " ".join(opening_lines)
    scope_match = re.search(r"\((.*)\)", opening) if opening.startswith("Definitions") else None
    scope = scope_match.group(1) if scope_match else ("" if opening.startswith("Definitions") else opening)
    scope = NAME.sub(r"\1", scope)
    items: list[list[str]] = []
    for line in lines[end:]:
        if line.startswith("- "):
            items.append([line])
        elif line.startswith("  ") and items:
            items[-1].append(line.strip())
        elif line.strip() and items:
            break  # the list is over: a new paragraph
    definitions = []
    for item in items:
        joined = " ".join(item)[2:]
        head, colon, rest = joined.partition(":")
        sentence = not (colon and NAME.search(head) and JOINERS.match(NAME.sub("", head)))
        # A sentence that names its figures inline ("``a`` against ``b`` (...)") is its own definition.
        names, text = (NAME.findall(joined), joined) if sentence else (NAME.findall(head), rest)
        if names:
            # Inline code marks read as plain names on paper.
            definitions.append(Definition(tuple(names), NAME.sub(r"\1", text).strip(), sentence))
    return scope, definitions


def figure_definitions() -> list[Section]:
    """Every section of the monthly figures (occupancy, compliance, money, referrals, and those other apps register),
    each with its figures' definitions exactly as its module's docstring states them."""
    sections = []
    for name, module in SECTIONS:
        scope, definitions = parse(module.__doc__)
        if definitions:
            sections.append(Section(name=name, scope=scope, definitions=tuple(definitions)))
    return sections


def as_markdown() -> str:
    """The definitions as the README's reports section lists them (tests/reports/test_readme_definitions.py keeps
    the README equal to this)."""
    out = []
    for section in figure_definitions():
        out.append(f"**{section.title}**" + (f" ({section.scope})" if section.scope else "") + "\n")
        for definition in section.definitions:
            if definition.sentence:
                out.append(f"- {definition.text}")
            else:
                names = ", ".join(f"`{name}`" for name in definition.names)
                out.append(f"- {names}: {definition.text}")
        out.append("")
    return "\n".join(out).strip() + "\n"
