"""In-process measurements of the benchmark suite (bench/suite.py): pages and APIs, nightly jobs, the organization PDF.

The suite runs one part per process against one database (the DATABASE_URL it sets), so the PDF's peak memory is
that of the process that made it and a nightly run never touches the seeded database:

    python bench/measure.py {info,pages,nightly,pdf} --out FILE [--operator E --manager E --resident E] [--runs K]

Each part writes a JSON object to FILE. The functions are importable (tests/bench runs them in pytest's database).
"""

import argparse
import json
import os
import resource
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

PASSWORD = "hearth-demo"  # noqa: S105 - the scale organization's logins (README)


@dataclass(frozen=True)
class Scenario:
    """Who signs in and what they look at: a house of the manager's (the operator sees it too), a current resident of
    it (whose ledger staff open) and the resident login's own record."""

    organization_id: int
    houses: int
    operator: str
    manager: str
    resident: str | None
    house_id: int
    resident_id: int
    month: str  # YYYY-MM, the last finished month
    statement: str  # start=...&end=...: the statement page's default range (the last three months)


@dataclass(frozen=True)
class Endpoint:
    role: str
    name: str  # what it is, the same name for the page and its API ("dashboard", "ledger", ...)
    kind: str  # "page" or "api"
    path: str

    @property
    def key(self) -> str:
        return f"{self.role} {self.name} {self.kind}"


FLOOR = "me"


def scenario(*, operator: str, manager: str, resident: str | None) -> Scenario:
    from accounts.models import Membership, Role
    from billing.forms import default_statement_range
    from houses.models import House
    from reports.metrics.period import Month
    from residents.models import Stay

    operator_membership = Membership.objects.select_related("organization").get(
        user__email=operator, role=Role.OPERATOR, is_active=True
    )
    organization = operator_membership.organization
    manager_membership = Membership.objects.get(user__email=manager, organization=organization, role=Role.MANAGER)
    house = House.objects.visible_to(manager_membership).order_by("pk").first()
    if house is None:
        raise SystemExit(f"{manager} manages no house")
    stay = Stay.objects.filter(house=house, move_out__isnull=True).order_by("pk").first()
    if stay is None:
        raise SystemExit(f"house {house.pk} has no current resident")
    resident_login = None
    if resident:
        from residents.models import Resident

        if Resident.objects.filter(membership__user__email=resident, organization=organization).exists():
            resident_login = resident
    return Scenario(
        organization_id=organization.pk,
        houses=House.objects.filter(organization=organization).count(),
        operator=operator,
        manager=manager,
        resident=resident_login,
        house_id=house.pk,
        resident_id=stay.resident_id,
        month=str(Month.of(organization.today()).previous()),
        statement="start={}&end={}".format(*default_statement_range(organization.today())),
    )


def ensure_resident_login(*, manager: str, email: str) -> bool:
    """Gives a current resident of the manager's first house a portal login ``email`` when no resident has it: the
    lead's template databases have staff logins only. Returns whether one was made."""
    from accounts.models import Membership, Role, User
    from houses.models import House
    from residents.models import Resident, Stay

    if Resident.objects.filter(membership__user__email=email).exists():
        return False
    manager_membership = Membership.objects.get(user__email=manager, role=Role.MANAGER)
    house = House.objects.visible_to(manager_membership).order_by("pk").first()
    stay = (
        Stay.objects.filter(house=house, move_out__isnull=True, resident__membership__isnull=True)
        .order_by("-pk")
        .first()
    )
    user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=PASSWORD)
    membership = Membership.objects.create(user=user, organization=house.organization, role=Role.RESIDENT)
    Resident.objects.filter(pk=stay.resident_id).update(membership=membership)
    return True


def endpoints(s: Scenario) -> list[Endpoint]:
    """Every main page and API per role, the floor first. The routes are config/urls.py's and config/api_urls.py's."""
    house, resident = s.house_id, s.resident_id
    staff = [
        ("dashboard", "page", "/dashboard/"),
        ("residents", "page", "/dashboard/residents/"),
        ("residents", "api", "/api/v1/residents/"),
        ("bed board", "page", f"/dashboard/houses/{house}/beds/"),
        ("bed board", "api", f"/api/v1/houses/{house}/bed-board/"),
        ("delinquency", "api", "/api/v1/billing/delinquency/"),
        ("aging", "api", "/api/v1/billing/aging/"),
        ("ledger", "page", f"/billing/statement/?resident={resident}&{s.statement}"),
        ("ledger", "api", f"/api/v1/billing/entries/?resident={resident}"),
        ("resident record", "page", f"/dashboard/residents/{resident}/"),
        ("drug tests due", "page", f"/dashboard/houses/{house}/drug-tests/"),
        ("drug tests due", "api", "/api/v1/test-requests/overdue/"),
    ]
    result = []
    for role in ("operator", "manager"):
        result.append(Endpoint(role, FLOOR, "api", "/api/v1/me/"))
        result += [Endpoint(role, *row) for row in staff]
        house_param = "" if role == "operator" else f"&house={house}"
        result.append(
            Endpoint(role, "monthly metrics", "api", f"/api/v1/reports/monthly/?month={s.month}{house_param}")
        )
        result.append(Endpoint(role, "reports", "page", "/dashboard/reports/"))
    if s.resident:
        result += [
            Endpoint("resident", FLOOR, "api", "/api/v1/me/"),
            Endpoint("resident", "portal home", "page", "/portal/"),
            Endpoint("resident", "ledger", "page", "/billing/statement/"),
            Endpoint("resident", "ledger", "api", "/api/v1/billing/entries/"),
            Endpoint("resident", "balance", "api", "/api/v1/billing/balance/"),
            Endpoint("resident", "drug tests due", "page", "/portal/tests/"),
        ]
    return result


class QueryCounter:
    """Counts the queries run on this thread's default connection, like CaptureQueriesContext but without its log's
    9,000-query bound (a nightly job runs far more)."""

    def __init__(self):
        self.count = 0

    def _wrapper(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._context = connection.execute_wrapper(self._wrapper)
        self._context.__enter__()
        return self

    def __exit__(self, *exc):
        self._context.__exit__(*exc)


def signed_in_client(email: str):
    """A test client signed in through the real login form (the e-mail and the demo password)."""
    from django.test import Client

    # A page that raises answers 500 and is reported as such; the other pages are still measured.
    client = Client(
        HTTP_HOST="127.0.0.1", raise_request_exception=False
    )  # the suite's ALLOWED_HOSTS, as gunicorn is served
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"login as {email} answered {response.status_code}")
    return client


def measure_endpoint(client, path: str, *, runs: int) -> dict:
    """One warm-up request (its status, query count and size are reported), then ``runs`` timed ones: their median."""
    with QueryCounter() as captured:
        response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    exc_info = getattr(response, "exc_info", None)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        timed = client.get(path)
        if timed.streaming:
            b"".join(timed.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "queries": captured.count,
        "bytes": len(body),
        "median_ms": round(statistics.median(times), 2) if times else None,
        "times_ms": [round(t, 2) for t in times],
        "error": f"{exc_info[0].__name__}: {exc_info[1]}"[:500] if exc_info else None,
    }


def measure_pages(s: Scenario, *, runs: int) -> list[dict]:
    """Every endpoint of ``endpoints(s)``, each role signed in once; ratio = median / the role's floor median."""
    clients = {}
    rows = []
    for endpoint in endpoints(s):
        email = {"operator": s.operator, "manager": s.manager, "resident": s.resident}[endpoint.role]
        if endpoint.role not in clients:
            clients[endpoint.role] = signed_in_client(email)
        row = {**asdict(endpoint), **measure_endpoint(clients[endpoint.role], endpoint.path, runs=runs)}
        rows.append(row)
    floors = {row["role"]: row["median_ms"] for row in rows if row["name"] == FLOOR}
    for row in rows:
        floor = floors.get(row["role"])
        row["ratio"] = round(row["median_ms"] / floor, 2) if floor and row["median_ms"] is not None else None
    return rows


# The month-end report renders the organization PDF: measured by measure_pdf, not as a nightly job.
NOT_NIGHTLY = {"reports.tasks.month_end_reports"}


def nightly_tasks() -> list[tuple[str, str]]:
    """(beat entry, task name) of every periodic task in CELERY_BEAT_SCHEDULE but the month-end report."""
    from django.conf import settings

    return [
        (name, entry["task"])
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in NOT_NIGHTLY
    ]


def _run_task(task_name: str) -> dict:
    from config.celery import app

    task = app.tasks[task_name]
    started = time.perf_counter()
    error = None
    with QueryCounter() as captured:
        try:
            task.apply(throw=True)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "queries": captured.count,
        "error": error,
    }


def measure_nightly(tasks: list[tuple[str, str]] | None = None) -> list[dict]:
    """Each job run twice in a row: its first run (the day's work) and an immediate repeat (nothing left to do)."""
    from config.celery import app

    app.loader.import_default_modules()  # every app's tasks module, as a worker imports them at start

    rows = []
    for beat_name, task_name in tasks if tasks is not None else nightly_tasks():
        first = _run_task(task_name)
        repeat = _run_task(task_name)
        rows.append({"job": beat_name, "task": task_name, "first": first, "repeat": repeat})
    return rows


class PeakSampler:
    """Peak resident memory of this process and of any Celery worker processes (psutil), sampled every 50 ms."""

    def __init__(self, pids=()):
        import psutil

        self.psutil = psutil
        self.pids = list(pids)
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        while not self._stop.is_set():
            for pid in [os.getpid(), *self.pids]:
                try:
                    process = self.psutil.Process(pid)
                    family = [process, *process.children(recursive=True)]
                except self.psutil.NoSuchProcess:
                    continue
                for member in family:
                    try:
                        rss = member.memory_info().rss
                    except self.psutil.NoSuchProcess:
                        continue
                    self.peaks[member.pid] = max(self.peaks.get(member.pid, 0), rss)
            self._stop.wait(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def measure_pdf(s: Scenario, *, worker_pids=(), timeout: float = 3600) -> dict:
    """The organization report of the last finished month, asked for as the reports page does (report_request queues
    reports.tasks.generate_report on commit), until it is done or failed. Without a broker the task runs in this
    process; with one, in the workers whose pids are given, and each process's peak is reported."""
    from accounts.models import Membership, Role
    from reports.metrics.period import Month
    from reports.models import Report
    from reports.services import report_request

    operator = Membership.objects.select_related("organization").get(
        user__email=s.operator, role=Role.OPERATOR, organization_id=s.organization_id
    )
    started = time.perf_counter()
    with PeakSampler(worker_pids) as sampler:
        report, _created = report_request(
            actor=operator, organization=operator.organization, month=Month.parse(s.month), refresh=True
        )
        while True:
            report.refresh_from_db()
            if report.status in (Report.Status.DONE, Report.Status.FAILED):
                break
            if time.perf_counter() - started > timeout:
                break
            time.sleep(0.2)
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    peaks = dict(sampler.peaks)
    peaks[os.getpid()] = max(peaks.get(os.getpid(), 0), own_peak)
    return {
        "status": report.status,
        "error": report.error or None,
        "seconds": round(time.perf_counter() - started, 2),
        "pages": report.pages,
        "bytes": report.file.size if report.file else None,
        "peak_rss_mb": round(max(peaks.values()) / 2**20, 1),
        # Short-lived helpers (a few MB) left out: the processes that rendered.
        "process_peaks_mb": {str(pid): round(rss / 2**20, 1) for pid, rss in sorted(peaks.items()) if rss >= 2**25},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["info", "pages", "nightly", "pdf"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--operator", default="operator@scale.example.com")
    parser.add_argument("--manager", default="manager@scale.example.com")
    parser.add_argument("--resident", default="resident@scale.example.com")
    parser.add_argument("--create-resident-login", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--worker-pids", default="", help="comma-separated Celery worker pids (pdf)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    if args.part == "info":
        from accounts.models import Membership, Role
        from houses.models import House

        operator = Membership.objects.filter(user__email=args.operator, role=Role.OPERATOR).first()
        result = {"houses": House.objects.filter(organization_id=operator.organization_id).count() if operator else 0}
    elif args.part == "nightly":
        result = {"jobs": measure_nightly()}
    else:
        if args.create_resident_login:
            ensure_resident_login(manager=args.manager, email=args.resident)
        s = scenario(operator=args.operator, manager=args.manager, resident=args.resident)
        if args.part == "pages":
            result = {"scenario": asdict(s), "endpoints": measure_pages(s, runs=args.runs)}
        else:
            pids = [int(pid) for pid in args.worker_pids.split(",") if pid]
            result = {"scenario": asdict(s), "pdf": measure_pdf(s, worker_pids=pids)}
    Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
