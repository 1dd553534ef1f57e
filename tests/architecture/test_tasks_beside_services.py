"""Tasks sit beside the services they run: a service module never imports its app's ``tasks`` module (which imports
the services), so the two cannot form a cycle."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SERVICE_MODULES = sorted(
    path
    for app in ("billing", "compliance", "reports")
    for path in [*(ROOT / app).glob("services.py"), *(ROOT / app / "services").glob("*.py")]
)


def _imports_tasks(path: Path) -> bool:
    app = path.relative_to(ROOT).parts[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module == "tasks" or module.endswith(".tasks") or module == f"{app}.tasks":
                return True
            if any(alias.name == "tasks" for alias in node.names):
                return True
        if isinstance(node, ast.Import) and any(alias.name == f"{app}.tasks" for alias in node.names):
            return True
    return False


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_service_module_does_not_import_its_apps_tasks(path):
    assert not _imports_tasks(path)


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
