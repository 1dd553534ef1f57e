"""Settings come from the environment; production refuses to start insecurely."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT"}
    }
    clean.update(env)
    clean = {k: v for k, v in clean.items() if v != ""}
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_values():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k3y-" + "x7Qp2Lr9Vb4Nm8Zt6Hw1Jd5Fs3Gc0Ye" * 2,
        ALLOWED_HOSTS="hearth.example.org",
        CSRF_TRUSTED_ORIGINS="https://hearth.example.org",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_mode_runs_with_a_development_key():
    assert _manage("check", DEBUG="1").returncode == 0


def test_sqlite_under_var_is_the_default_database():
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    result = _manage("shell", "--no-imports", "-c", code, DEBUG="1", DATABASE_URL="")
    assert result.stdout.strip().endswith("var/hearth.sqlite3")


def test_database_url_switches_the_database():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = _manage("shell", "--no-imports", "-c", code, DEBUG="1", DATABASE_URL="postgres://u@db.example:5432/hearth")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_no_broker_means_tasks_run_in_process():
    code = "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    assert _manage("shell", "--no-imports", "-c", code, DEBUG="1", CELERY_BROKER_URL="").stdout.strip() == "True"
    assert (
        _manage("shell", "--no-imports", "-c", code, DEBUG="1", CELERY_BROKER_URL="redis://h:6379/0").stdout.strip()
        == "False"
    )
