"""The Spanish catalogue (locale/es/LC_MESSAGES): it parses and compiles, the committed .mo is the .po compiled, the
part residents and applicants read is complete (nothing untranslated, nothing fuzzy), and no msgid in the code is
missing from it ("run make messages").

``make messages`` regenerates both files (README, "Languages")."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# Where residents and applicants read Hearth: the portal, the public vacancy pages, the application form and the
# applicant's e-mails and offers, receipts, statements and rent e-mails, the portal's payment pages, signing in,
# resetting a password and accepting an invitation. An entry used in any of these must be translated.
RESIDENT_FACING = (
    "residents/portal/",
    "peer/",
    "vacancies/templates/vacancies/public/",
    "vacancies/templates/vacancies/embed/",
    "vacancies/templates/vacancies/offers/",
    "vacancies/templates/vacancies/emails/waitlist_offer.txt",
    "vacancies/public_forms.py",
    "vacancies/public_views.py",
    "vacancies/services/public.py",
    "templates/billing/_receipt.html",
    "templates/billing/receipt",
    "templates/billing/_statement.html",
    "templates/billing/statement",
    "templates/billing/emails/",
    "templates/billing/portal_",
    "billing/portal",
    "templates/registration/",
    "templates/accounts/invitation_",
    "accounts/invitation",
)
# Same as /tmp/i18n/build.sh and the Makefile's `messages`: what makemessages leaves out.
IGNORED = [".venv", "var", "tests", "bench", "static", "docs", "node_modules"]


def _key(entry) -> tuple:
    return (entry.msgctxt or None, entry.msgid)


def _translation(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return entry.msgstr


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO))


def test_the_catalogue_parses_and_speaks_spanish_with_two_plural_forms(catalogue):
    assert catalogue.metadata.get("Language") == "es"
    assert "nplurals=2" in catalogue.metadata.get("Plural-Forms", "")
    assert len(catalogue) > 0


def test_the_catalogue_compiles(tmp_path, catalogue):
    compiled = tmp_path / "django.mo"
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        result = subprocess.run(  # noqa: S603 (our own file, a fixed command)
            [msgfmt, "--check", "-o", str(compiled), str(PO)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
    else:
        catalogue.save_as_mofile(str(compiled))
    assert polib.mofile(str(compiled))


def test_the_committed_mo_holds_exactly_the_po_s_translations(catalogue):
    expected = {_key(e): _translation(e) for e in catalogue if e.msgid and e.translated() and not e.obsolete}
    compiled = {_key(e): _translation(e) for e in polib.mofile(str(MO)) if e.msgid}
    missing = sorted(str(key) for key in expected.keys() - compiled.keys())
    extra = sorted(str(key) for key in compiled.keys() - expected.keys())
    differing = sorted(str(key) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key])
    problems = {"missing": missing[:10], "extra": extra[:10], "differing": differing[:10]}
    in_step = not (missing or extra or differing)
    assert in_step, f"locale/es/LC_MESSAGES/django.mo is not the .po compiled: run make messages\n{problems}"


def _resident_facing(entry) -> bool:
    return any(path.startswith(RESIDENT_FACING) for path, _ in entry.occurrences)


def test_nothing_residents_or_applicants_read_is_untranslated_or_fuzzy(catalogue):
    incomplete = [
        f"{e.msgid[:70]!r} ({', '.join(path for path, _ in e.occurrences[:2])})"
        for e in catalogue
        if not e.obsolete and _resident_facing(e) and (not e.translated() or "fuzzy" in e.flags)
    ]
    assert not incomplete, f"{len(incomplete)} resident-facing entries lack Spanish:\n" + "\n".join(incomplete)


def test_a_resident_facing_entry_is_found_by_where_it_is_used():
    entry = polib.POEntry(msgid="Pay rent", occurrences=[("residents/portal/templates/residents/portal/home.html", "")])
    staff = polib.POEntry(msgid="Staff", occurrences=[("templates/base.html", "")])
    assert _resident_facing(entry)
    assert not _resident_facing(staff)


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext (xgettext) is not installed: the check that the catalogue holds every msgid in the code "
    "needs it (CI installs it; apt-get install gettext)",
)
def test_every_msgid_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch, catalogue):
    """makemessages is run over the code into a temporary copy (links to the project's folders, a locale folder of
    its own), so the committed catalogue is never touched."""
    for entry in ROOT.iterdir():
        if entry.name in {"locale", *IGNORED} or entry.name.startswith("."):
            continue
        (tmp_path / entry.name).symlink_to(entry)
    (tmp_path / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command(
            "makemessages", locale=["es"], extensions=["html", "txt", "py"], symlinks=True, add_location="file",
            ignore_patterns=IGNORED, verbosity=0,
        )  # fmt: skip
    extracted = polib.pofile(str(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    assert len(extracted) > 100  # the code was really read
    committed = {_key(e) for e in catalogue if not e.obsolete}
    new = sorted(f"{e.msgid[:70]!r} ({e.occurrences[0][0] if e.occurrences else '?'})" for e in extracted
                 if e.msgid and _key(e) not in committed)  # fmt: skip
    assert not new, f"{len(new)} msgids in the code are not in locale/es: run make messages\n" + "\n".join(new[:40])
