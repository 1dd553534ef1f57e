"""The README's "Running in production" lists every setting config/settings.py reads from the environment."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# env.str("NAME", ...), env.bool(...), env("NAME"), env.db("NAME"), os.environ["NAME"], os.environ.get("NAME"),
# os.getenv("NAME") and the settings' own readers (_rate_setting("NAME", ...), _money_setting(...)).
READS = re.compile(
    r"""(?:\benv(?:\.\w+)?|os\.environ\.get|os\.getenv|\b_\w+_setting)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\]"""
)
# The production section's table, and the Stripe settings' own table it points to.
SECTIONS = [("## Running in production", "\n## "), ("### Settings", "\n### ")]


def settings_read() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text()
    return {first or second for first, second in READS.findall(source)}


def documented() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    names = set()
    for heading, next_heading in SECTIONS:
        section = readme.split(heading, 1)[1].split(next_heading, 1)[0]
        for line in section.splitlines():
            if line.startswith("| `"):
                names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def test_the_settings_read_every_variable_this_test_knows_how_to_find():
    # A guard on the pattern itself: if these stopped matching, the next test would pass on nothing.
    assert {"SECRET_KEY", "DATABASE_URL", "MEDIA_STORAGE", "LOGIN_FAILURES_PER_ADDRESS", "ONLINE_PAYMENT_MIN"} <= (
        settings_read()
    )


def test_every_environment_variable_the_settings_read_is_in_the_readme_tables():
    missing = sorted(settings_read() - documented())
    assert not missing, f"read by config/settings.py but not in the README's settings tables: {', '.join(missing)}"


def test_the_readme_tables_name_no_variable_the_settings_do_not_read():
    stale = sorted(documented() - settings_read())
    assert not stale, f"in the README's settings tables but not read by config/settings.py: {', '.join(stale)}"
