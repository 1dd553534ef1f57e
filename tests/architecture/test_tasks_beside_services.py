"""Tasks sit beside the services they run, and the two never import each other: a service may queue its tasks, or its
tasks may run it, not both (no services <-> tasks cycle)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "houses", "residents", "billing", "compliance", "reports", "vacancies", "exports", "spreadsheets")
# Every app's services and every residents slice's: a slice keeps its tasks beside its services too.
SERVICE_MODULES = sorted(
    path
    for app in APPS
    for pattern in ("services.py", "services/*.py", "*/services.py", "*/services/*.py")
    for path in (ROOT / app).glob(pattern)
)


def _owner(path: Path) -> str:
    """The package whose tasks sit beside a service module: its app, or inside residents its slice."""
    parts = path.relative_to(ROOT).parts
    if parts[0] == "residents" and len(parts) > 2 and parts[1] != "services":
        return f"residents.{parts[1]}"
    return parts[0]


def _imported(path: Path, package: str) -> set[str]:
    """Dotted names of the modules a file imports, relative imports resolved against ``package``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _tasks_and_services_import_each_other(path: Path) -> bool:
    owner = _owner(path)
    tasks = ROOT.joinpath(*owner.split(".")) / "tasks.py"
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module.rsplit(".", 1)[0]
    if not tasks.exists() or f"{owner}.tasks" not in _imported(path, package):
        return False
    return any(name == module or name.startswith(f"{module}.") for name in _imported(tasks, owner))


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_service_module_and_its_tasks_do_not_import_each_other(path):
    assert not _tasks_and_services_import_each_other(path)


def test_a_service_importing_tasks_that_import_it_back_is_caught(tmp_path, monkeypatch):
    app = tmp_path / "loop"
    app.mkdir()
    (app / "services.py").write_text("from . import tasks\n")
    (app / "tasks.py").write_text("from .services import run\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert _tasks_and_services_import_each_other(app / "services.py")


def test_the_guard_reads_the_residents_slices_and_every_app():
    read = {str(path.relative_to(ROOT)) for path in SERVICE_MODULES}
    assert {"residents/chores/services.py", "accounts/services.py", "vacancies/services/offers.py"} <= read


def test_the_queued_jobs_keep_their_task_names():
    import billing.tasks  # noqa: F401
    import reports.tasks  # noqa: F401
    from config.celery import app

    assert {
        "billing.tasks.send_receipt",
        "billing.tasks.assess_held_late_fees",
        "billing.tasks.refund_online_overpayment",
        "reports.tasks.generate_report",
        "reports.tasks.email_report_ready",
        "reports.tasks.month_end_reports",
    } <= set(app.tasks)
