"""Benchmark suite at scale (`make bench`): pages and APIs, nightly jobs, the organization PDF and a load test, per
organization size, each figure judged against the scale targets (bench/targets.py).

For each size N (default 30, 300 and 3,000 houses) on the PostgreSQL server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/):

1. the database ``hearth_bench_<N>``: migrated, and seeded with ``manage.py seed_scale --houses N`` only when it does
   not hold a scale organization of N houses (or with --reseed), so a rerun starts at once (--template
   'hearth_t{size}' clones that database instead of seeding);
2. in-process (Django's test client signed in through the login form, production settings: DEBUG unset): every main
   page and API for the operator, the manager and the resident: median of --runs timed requests after a warm-up,
   its queries, response size, and its ratio to the floor (/api/v1/me/ in the same run) (bench/measure.py);
3. every nightly job of the Celery beat schedule, run twice (first run, immediate repeat) in a clone of the database
   (``CREATE DATABASE ... TEMPLATE``), so the seeded one stays as it was;
4. the organization PDF of the last finished month, asked for as the reports page does, in that clone: time,
   pages, peak memory of each process that made it (--no-pdf skips it, --pdf-sizes keeps it to some sizes);
5. locust (bench/load.py) for --load-seconds with --users mixed users against gunicorn with 3 workers serving the
   database with production settings on a free loopback port (plain HTTP): requests/s, p50/p95/p99 and errors per
   endpoint.

Output: the tables on stdout, ``bench/results/<date>-<N>.json`` per size and ``bench/results/latest.md``. Each
figure is marked against its target (a MISS says by how much). The run fails (exit 1) only on errors: a page
answering outside 2xx/3xx, a job or the report failing, a load test error; never on slow figures.

--smoke (CI): 30 houses only in ``hearth_bench_smoke_30``, one timed run, a 10-second load test with 5 users, no
timing judgement, results under var/bench-smoke/ (bench/results is left alone).

The monthly report benchmark of the metrics layer is bench/reports.py (``python bench/reports.py``).
"""
# ruff: noqa: S603, S607 - runs this checkout's own tools and the PostgreSQL client tools on the loopback

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import targets  # noqa: E402

BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
RESULTS = ROOT / "bench" / "results"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[bench {time.monotonic() - STARTED:6.0f}s] {message}", flush=True)


class BenchError(Exception):
    pass


# --- PostgreSQL -----------------------------------------------------------------------------------------------------


class Server:
    """The PostgreSQL server of a URL (its database name, if any, is ignored)."""

    def __init__(self, url: str):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            parts = urllib.parse.urlsplit(DEFAULT_SERVER)
        self.parts = parts

    def url(self, name: str) -> str:
        return urllib.parse.urlunsplit(self.parts._replace(scheme="postgres", path=f"/{name}"))

    def _args(self) -> list[str]:
        args = ["-h", self.parts.hostname or "127.0.0.1", "-p", str(self.parts.port or 5432)]
        return [*args, "-U", self.parts.username or "postgres"]

    def _env(self) -> dict:
        env = dict(os.environ)
        if self.parts.password:
            env["PGPASSWORD"] = urllib.parse.unquote(self.parts.password)
        return env

    def exists(self, name: str) -> bool:
        out = subprocess.run(
            ["psql", *self._args(), "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
            env=self._env(), capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        return out.strip() == "1"

    def create(self, name: str, *, template: str | None = None) -> None:
        command = ["createdb", *self._args(), *(["-T", template] if template else []), name]
        for attempt in range(30):
            done = subprocess.run(command, env=self._env(), capture_output=True, text=True)
            if done.returncode == 0:
                return
            # A template must have no other session: a moment after a process left, it is free.
            if "being accessed" not in done.stderr or attempt == 29:
                raise BenchError(f"createdb {name}: {done.stderr.strip()}")
            time.sleep(2)

    def drop(self, name: str) -> None:
        subprocess.run(
            ["dropdb", *self._args(), "--if-exists", "--force", name], env=self._env(), capture_output=True, check=True
        )


# --- Processes ------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_env(database_url: str, work: Path, **extra) -> dict:
    """Production settings on the loopback, as .ci/prod_check runs them: DEBUG unset, a generated SECRET_KEY, no TLS
    redirect; no broker (Celery tasks run in the process that queues them); e-mails not sent."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "CELERY_", "AWS_", "PG"))}
    env.pop("DEBUG", None)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on the loopback; production sits behind TLS
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        MEDIA_STORAGE="local",
        EMAIL_URL="dummymail://",
        LOGIN_THROTTLE_RATE="1000/min",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="bench.settings",
    )
    env.update(extra)
    return env


def run_logged(command: list[str], *, env: dict, log: Path, timeout: float | None = None) -> None:
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
    if done.returncode != 0:
        say(f"{' '.join(command[:4])} exited {done.returncode}; the end of {log}:")
        print(log.read_text(errors="replace")[-2500:], flush=True)
        raise BenchError(f"{' '.join(command[:4])} exited {done.returncode} (log: {log})")


def measure(part: str, *, env: dict, log: Path, out: Path, args, extra=(), timeout: float | None = None) -> dict:
    command = [
        PYTHON, str(ROOT / "bench" / "measure.py"), part, "--out", str(out),
        "--operator", args.operator, "--manager", args.manager, "--resident", args.resident, *extra,
    ]  # fmt: skip
    out.unlink(missing_ok=True)
    run_logged(command, env=env, log=log, timeout=timeout)
    return json.loads(out.read_text())


# --- Steps ----------------------------------------------------------------------------------------------------------


def prepare_database(server: Server, name: str, size: int, args, work: Path, log: Path) -> str:
    """The size's database, migrated and holding only a scale organization of ``size`` houses (the nightly jobs run
    for every organization in it); returns how it was got."""
    env = app_env(server.url(name), work)
    migrate = [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"]
    info = work / f"{name}-info.json"
    if args.reseed:
        server.drop(name)
    if server.exists(name):
        run_logged(migrate, env=env, log=log)
        if measure("info", env=env, log=log, out=info, args=args)["houses"] == size:
            return "kept"
        server.drop(name)  # another size or organization: start again
    template = args.template.format(size=size) if args.template else None
    server.create(name, template=template)
    run_logged(migrate, env=env, log=log)
    how = f"cloned from {template}"
    if not template:
        say(f"seeding {name}: manage.py seed_scale --houses {size}")
        started = time.monotonic()
        run_logged([PYTHON, "manage.py", "seed_scale", "--houses", str(size)], env=env, log=log)
        how = f"seeded in {time.monotonic() - started:.0f} s"
    houses = measure("info", env=env, log=log, out=info, args=args)["houses"]
    if houses != size:
        raise BenchError(f"{name} holds {houses} houses for {args.operator}, not {size}")
    return how


def collect_static(work: Path, log: Path) -> None:
    env = app_env(DEFAULT_SERVER + "postgres", work)
    run_logged([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env=env, log=log)


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback server
                response.read()
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.5)
    raise BenchError(f"gunicorn did not answer {url} within {timeout:.0f} s")


def warm_up(url: str, workers: int) -> None:
    """Requests side by side, several per worker, so each worker has loaded the app before the load test counts."""
    from concurrent.futures import ThreadPoolExecutor

    def get(_):
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our own loopback server
            response.read()

    with ThreadPoolExecutor(workers * 2) as pool:
        list(pool.map(get, range(workers * 4)))


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def load_test(database_url: str, scenario: dict, args, work: Path, log: Path, *, name: str) -> dict:
    """gunicorn (3 workers) on a free port, locust against it for args.load_seconds; its stats per endpoint."""
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = app_env(database_url, work, WEB_CONCURRENCY=str(args.workers))
    with (work / f"{name}-gunicorn.log").open("w") as gunicorn_log:
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "-w", str(args.workers), "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=gunicorn_log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(f"{host}/accounts/login/", gunicorn)
        warm_up(f"{host}/accounts/login/", args.workers)
        prefix = work / f"{name}-locust"
        for stale in work.glob(f"{name}-locust_*.csv"):
            stale.unlink()
        sign_ins = work / f"{name}-sign-ins.json"
        sign_ins.unlink(missing_ok=True)
        locust_env = {
            **os.environ,
            "BENCH_OPERATOR": args.operator,
            "BENCH_MANAGER": args.manager,
            "BENCH_RESIDENT": scenario.get("resident") or args.resident,
            "BENCH_HOUSE": str(scenario["house_id"]),
            "BENCH_RESIDENT_ID": str(scenario["resident_id"]),
            "BENCH_MONTH": scenario["month"],
            "BENCH_STATEMENT": scenario["statement"],
            "BENCH_SECONDS": str(args.load_seconds),
            "BENCH_SIGN_INS": str(sign_ins),
        }
        command = [
            str(BIN / "locust"), "-f", str(ROOT / "bench" / "load.py"), "--headless", "--only-summary",
            # -t bounds the run: the measured seconds start once every user has signed in (bench/load.py).
            "-u", str(args.users), "-r", str(max(1, args.users // 3)), "-t", f"{args.load_seconds + 300}s",
            "--host", host, "--csv", str(prefix), "--stop-timeout", "10", "--exit-code-on-error", "0",
        ]  # fmt: skip
        with log.open("a") as out:
            out.write(f"\n$ {' '.join(command)}\n")
            out.flush()
            done = subprocess.run(
                command, cwd=ROOT, env=locust_env, stdout=out, stderr=subprocess.STDOUT,
                timeout=args.load_seconds + 420,
            )  # fmt: skip
        stats = prefix.with_name(f"{name}-locust_stats.csv")
        if done.returncode != 0 or not stats.exists():
            return {"users": args.users, "seconds": args.load_seconds, "error": f"locust exited {done.returncode}"}
        load = read_locust(stats, users=args.users, seconds=args.load_seconds)
        load["sign_ins"] = json.loads(sign_ins.read_text()) if sign_ins.exists() else None
        if not load["sign_ins"] or load["sign_ins"]["users"] < args.users:
            load["error"] = f"not every user signed in: {load['sign_ins']}"
        elif load["sign_ins"]["failed"]:
            load["error"] = f"{load['sign_ins']['failed']} sign-ins failed: {load['sign_ins']['errors']}"
        return load
    finally:
        stop(gunicorn)


def read_locust(stats: Path, *, users: int, seconds: int) -> dict:
    """locust's <prefix>_stats.csv: one row per named request, then "Aggregated"."""
    result = {"users": users, "seconds": seconds, "endpoints": []}
    with stats.open() as source:
        for row in csv.DictReader(source):
            figures = {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 2),
                "p50_ms": _number(row.get("50%")),
                "p95_ms": _number(row.get("95%")),
                "p99_ms": _number(row.get("99%")),
                "mean_ms": _number(row.get("Average Response Time")),
            }
            if not figures["requests"]:
                continue  # signing in, before the stats were reset
            if row["Name"] == "Aggregated":
                result.update(
                    requests=figures["requests"], failures=figures["failures"], rps=figures["rps"],
                    p95_ms=figures["p95_ms"],
                )  # fmt: skip
            else:
                result["endpoints"].append(figures)
    failures = stats.with_name(stats.name.replace("_stats.csv", "_failures.csv"))
    if failures.exists():
        with failures.open() as source:
            result["failure_kinds"] = [
                {"name": row["Name"], "error": row["Error"], "occurrences": int(row["Occurrences"])}
                for row in csv.DictReader(source)
            ]
    return result


def _number(value):
    if value in (None, "", "N/A"):
        return None
    return round(float(value), 1)


def pdf_report(env: dict, args, work: Path, log: Path, *, out: Path) -> dict:
    """The organization PDF asked for as the reports page does. With --pdf-workers N, rendered by a Celery worker of
    N pool processes on a private Redis broker (the product's way; each process's peak memory is sampled), else in the
    asking process (no broker: Celery runs the task eagerly)."""
    if not args.pdf_workers or not shutil.which("redis-server"):
        return measure("pdf", env=env, log=log, out=out, args=args, timeout=args.pdf_timeout)["pdf"]
    processes = []
    try:
        port = free_port()
        redis = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        processes.append(redis)
        for _ in range(50):
            ping = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True)
            if ping.stdout.strip() == "PONG":
                break
            time.sleep(0.2)
        env = {**env, "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0"}
        with (work / "celery-worker.log").open("w") as worker_log:
            worker = subprocess.Popen(
                [str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "INFO", "--concurrency",
                 str(args.pdf_workers), "--hostname", f"bench-{port}@%h", "--without-gossip", "--without-mingle"],
                cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        processes.append(worker)
        deadline = time.monotonic() + 90
        while "ready." not in (work / "celery-worker.log").read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"the Celery worker did not start (log: {work / 'celery-worker.log'})")
            time.sleep(0.5)
        extra = ["--worker-pids", str(worker.pid)]
        pdf = measure("pdf", env=env, log=log, out=out, args=args, extra=extra, timeout=args.pdf_timeout)["pdf"]
        pdf["workers"] = args.pdf_workers
        return pdf
    finally:
        for process in reversed(processes):
            stop(process)


def bench_size(server: Server, size: int, args, work: Path) -> dict:
    name = f"{args.prefix}_{size}"
    log = work / f"{name}.log"
    log.write_text("")
    result = {
        "size": size,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "database": name,
        "conditions": {
            "runs": args.runs,
            "load users": args.users,
            "load seconds": args.load_seconds,
            "gunicorn workers": args.workers,
            "cpus": os.cpu_count(),
            "load average": round(os.getloadavg()[0], 1),
        },
        "durations_s": {},
        "errors": [],
    }
    durations = result["durations_s"]

    def timed(step: str):
        """Times a step; a step that fails is recorded as an error of the result and the next step still runs."""

        class Timer:
            def __enter__(self):
                self.started = time.monotonic()
                say(f"{size} houses: {step}")

            def __exit__(self, kind, error, _traceback):
                durations[step] = round(time.monotonic() - self.started, 1)
                if kind is not None and issubclass(kind, (BenchError, subprocess.TimeoutExpired)):
                    result["errors"].append(f"{step}: {error}")
                    say(f"{size} houses: {step} FAILED: {error}")
                    return True
                return False

        return Timer()

    with timed("database"):
        result["database_source"] = prepare_database(server, name, size, args, work, log)
    if "database_source" not in result:
        return result
    env = app_env(server.url(name), work)
    with timed("pages"):
        extra = ["--runs", str(args.runs), "--create-resident-login"]
        pages = measure("pages", env=env, log=log, out=work / f"{name}-pages.json", args=args, extra=extra)
        result["scenario"] = pages["scenario"]
        result["pages"] = pages["endpoints"]
    pdf_here = not args.no_pdf and (args.pdf_sizes is None or size in args.pdf_sizes)
    if not pdf_here and not args.no_pdf:
        result["pdf"] = {"status": "not run", "error": f"--pdf-sizes {','.join(map(str, sorted(args.pdf_sizes)))}"}
    if not args.no_nightly or pdf_here:
        clone = f"{name}_work"
        server.drop(clone)
        with timed("clone"):
            server.create(clone, template=name)
        clone_env = app_env(server.url(clone), work)
        try:
            if not args.no_nightly:
                with timed("nightly"):
                    result["nightly"] = measure(
                        "nightly", env=clone_env, log=log, out=work / f"{name}-nightly.json", args=args
                    )["jobs"]
            if pdf_here:
                with timed("pdf"):
                    result["pdf"] = pdf_report(clone_env, args, work, log, out=work / f"{name}-pdf.json")
                if "pdf" not in result:
                    result["pdf"] = {"status": "not finished", "error": result["errors"][-1], "seconds": None}
        finally:
            server.drop(clone)
    if not args.no_load and "scenario" in result:
        with timed("load"):
            result["load"] = load_test(server.url(name), result["scenario"], args, work, log, name=name)
    durations["total"] = round(sum(durations.values()), 1)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30,300,3000", help="comma-separated numbers of houses")
    parser.add_argument("--runs", type=int, default=5, help="timed requests per page after a warm-up (median)")
    parser.add_argument("--users", type=int, default=30, help="locust users")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--no-pdf", action="store_true", help="skip the organization PDF")
    parser.add_argument(
        "--pdf-sizes", help="render the PDF only at these sizes (comma-separated); the table says where it was not run"
    )
    parser.add_argument(
        "--pdf-workers", type=int, default=2, help="Celery pool processes rendering the PDF (0: in the asking process)"
    )
    parser.add_argument("--pdf-timeout", type=int, default=1800, help="seconds the PDF may take before it is given up")
    parser.add_argument("--no-nightly", action="store_true", help="skip the nightly jobs")
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    parser.add_argument("--reseed", action="store_true", help="drop and seed each size's database again")
    parser.add_argument("--smoke", action="store_true", help="CI: 30 houses, 1 run, 10 s of 5 users, not timed")
    parser.add_argument(
        "--prefix", help="database names: <prefix>_<size> (default hearth_bench, smoke hearth_bench_smoke)"
    )
    parser.add_argument("--template", help="clone this database instead of seeding, e.g. 'hearth_t{size}'")
    parser.add_argument("--operator", default="operator@scale.example.com")
    parser.add_argument("--manager", default="manager@scale.example.com")
    parser.add_argument("--resident", default="resident@scale.example.com")
    parser.add_argument("--results", help="folder for the JSON and latest.md (default bench/results)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.runs, args.pdf_workers = "30", 1, 0
        args.users, args.load_seconds = min(args.users, 5), min(args.load_seconds, 10)
    args.prefix = args.prefix or ("hearth_bench_smoke" if args.smoke else "hearth_bench")
    results_dir = Path(args.results) if args.results else (ROOT / "var" / "bench-smoke" if args.smoke else RESULTS)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    args.pdf_sizes = None if args.pdf_sizes is None else {int(size) for size in args.pdf_sizes.split(",")}
    work = ROOT / "var" / ("bench-smoke" if args.smoke else "bench")
    work.mkdir(parents=True, exist_ok=True)
    results_dir.mkdir(parents=True, exist_ok=True)
    server = Server(os.environ.get("DATABASE_URL", DEFAULT_SERVER))
    if not shutil.which("createdb"):
        raise SystemExit("the bench needs the PostgreSQL client tools (createdb, dropdb, psql)")

    say("collectstatic (production settings serve the hashed files)")
    collect_static(work, work / "collectstatic.log")
    results, failures = [], []
    for size in sizes:
        try:
            results.append(bench_size(server, size, args, work))
        except (BenchError, subprocess.TimeoutExpired) as error:  # a clone that could not be made or dropped
            failures.append(f"{size} houses: {error}")
            say(f"{size} houses FAILED: {error}")
    baseline = results[0] if results else None
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    tables = []
    for result in results:
        targets.judge(result, baseline=baseline if result is not baseline else None, timed=not args.smoke)
        failures += [f"{result['size']} houses: {error}" for error in targets.errors(result)]
        path = results_dir / f"{stamp}-{result['size']}.json"
        path.write_text(json.dumps(result, indent=1) + "\n")
        tables.append(targets.render(result))
        took = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in result["durations_s"].items())
        tables.append(f"Suite time at {result['size']:,} houses: {took}.\n")
    report = "\n".join(tables)
    print("\n" + report, flush=True)
    if results:
        heading = "# Benchmark (bench/suite.py)" + (" smoke run, not timed" if args.smoke else "")
        (results_dir / "latest.md").write_text(f"{heading}\n\n{report}")
        say(f"written: {results_dir}/latest.md and {stamp}-<size>.json")
    if failures:
        print("\nERRORS:\n" + "\n".join(f"- {failure}" for failure in failures), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
