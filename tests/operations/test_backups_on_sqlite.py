import pytest
from django.core.management import CommandError, call_command
from django.db import connection


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the refusal is SQLite's")
@pytest.mark.parametrize("command", [["backup", "--to", "var/unused"], ["verify_backup", "."]])
def test_on_sqlite_backups_are_refused_with_what_to_do_instead(command, tmp_path):
    if command[0] == "verify_backup":
        (tmp_path / "manifest.json").write_text("{}")
        command = ["verify_backup", str(tmp_path)]
    with pytest.raises(CommandError, match=r"PostgreSQL only.*copy var/hearth\.sqlite3"):
        call_command(*command)
