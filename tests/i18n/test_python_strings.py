"""Every message a person reads from Python goes through gettext: the project's refusals (``accounts.exceptions``),
Django's and DRF's ``ValidationError``, the ``messages`` framework, and a form field's ``label``, ``help_text`` and
``error_messages`` are never handed a bare string literal or f-string (nor a dict literal holding one). A gettext
call (``_("…")``, ``gettext_lazy``, ``ngettext``, ``pgettext``…) or a variable passes.

A module still being converted is listed in ``NOT_YET_TRANSLATED`` and skipped, visibly; the list only shrinks."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", "var", "tests", "bench", "static", "docs", "node_modules", "migrations", "locale", ".git"}

# Modules not yet converted (path from the project root). Remove a module as soon as it passes; never add one.
NOT_YET_TRANSLATED: list[str] = []

# The project's refusals (accounts/exceptions.py) and the validation errors of Django and DRF.
REFUSALS = {"ValidationError", "Invalid", "NotAllowed", "Conflict", "NotFound", "Unavailable", "DomainError"}
MESSAGE_FUNCTIONS = {"success", "info", "warning", "error", "debug", "add_message"}
FIELD_TEXT_KEYWORDS = {"label", "help_text", "error_messages"}
GETTEXT_NAMES = {
    "_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "npgettext",
    "npgettext_lazy", "format_lazy",
}  # fmt: skip


def python_modules() -> list[Path]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if any(part in SKIPPED_DIRS for part in parts[:-1]) or parts[0].startswith("."):
            continue
        found.append(path)
    return found


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_form_field(func) -> bool:
    """``forms.CharField(...)`` (anything of ``forms``), or a project form field class (``LocalDateTimeField``); a
    model's or a serializer's field is not a form field."""
    if isinstance(func, ast.Attribute):
        return _name(func.value) == "forms"
    return isinstance(func, ast.Name) and func.id.endswith("Field")


def _literal_texts(node) -> list[ast.AST]:
    """The bare string literals and f-strings ``node`` is or holds (in a dict literal's values, a list, a tuple);
    a gettext call, a variable, or anything computed is not one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
        return [node]
    if isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        # "…" % {...} or "a" + "b": the left (and for + the right) side is the text
        return _literal_texts(node.left) + (_literal_texts(node.right) if isinstance(node.op, ast.Add) else [])
    if isinstance(node, ast.Dict):
        return [found for value in node.values if value is not None for found in _literal_texts(value)]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [found for item in node.elts for found in _literal_texts(item)]
    if isinstance(node, ast.DictComp):
        return _literal_texts(node.value)
    if isinstance(node, ast.ListComp):
        return _literal_texts(node.elt)
    if isinstance(node, ast.IfExp):
        return _literal_texts(node.body) + _literal_texts(node.orelse)
    if isinstance(node, ast.Call) and _name(node.func) in {"format", "join"} and isinstance(node.func, ast.Attribute):
        return _literal_texts(node.func.value)
    return []


def untranslated_calls(source: str) -> list[tuple[int, str]]:
    """(line, text) of each user-facing string handed over without gettext in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        suspects = []
        if name in REFUSALS:
            suspects = [*node.args[:1], *(kw.value for kw in node.keywords if kw.arg in {"message", "detail"})]
        elif name in MESSAGE_FUNCTIONS and _name(getattr(node.func, "value", None)) == "messages":
            position = 2 if name == "add_message" else 1
            suspects = [*node.args[position : position + 1], *(kw.value for kw in node.keywords if kw.arg == "message")]
        if _is_form_field(node.func):
            suspects += [kw.value for kw in node.keywords if kw.arg in FIELD_TEXT_KEYWORDS]
        for suspect in suspects:
            for literal in _literal_texts(suspect):
                found.append((literal.lineno, ast.unparse(literal)[:90]))
    return found


def test_the_check_finds_a_bare_refusal_a_message_and_a_label():
    source = (
        'raise Invalid("No.")\n'
        'messages.success(request, f"Saved {x}.")\n'
        'forms.CharField(label="Name", error_messages={"required": "Say it."})\n'
    )
    assert [line for line, _ in untranslated_calls(source)] == [1, 2, 3, 3]


def test_the_check_passes_gettext_calls_and_variables():
    source = (
        'raise Invalid(_("No."), field="x")\n'
        'messages.success(request, _("Saved %(x)s.") % {"x": x})\n'
        'forms.CharField(label=_("Name"), help_text=HELP, error_messages={"required": _("Say it.")})\n'
        "raise serializers.ValidationError(error.message_dict)\n"
    )
    assert untranslated_calls(source) == []


@pytest.mark.parametrize("path", python_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_module_hands_people_only_translated_text(path):
    relative = str(path.relative_to(ROOT))
    if relative in NOT_YET_TRANSLATED:
        pytest.skip(f"{relative} is in NOT_YET_TRANSLATED (tests/i18n/test_python_strings.py)")
    found = untranslated_calls(path.read_text())
    assert not found, "Wrap these in gettext (_() / gettext_lazy):\n" + "\n".join(
        f"{relative}:{line}: {text}" for line, text in found
    )


def test_not_yet_translated_names_only_modules_that_still_fail():
    """The list only shrinks: a module that now passes, or no longer exists, must come off it."""
    stale = []
    for relative in NOT_YET_TRANSLATED:
        path = ROOT / relative
        if not path.exists() or not untranslated_calls(path.read_text()):
            stale.append(relative)
    assert not stale, f"Remove from NOT_YET_TRANSLATED (they pass now): {stale}"
