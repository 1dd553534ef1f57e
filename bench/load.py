"""Load test of the benchmark suite (bench/suite.py starts it): mixed operator, manager and resident traffic.

Headless locust against gunicorn serving one scale organization:

    BENCH_OPERATOR=... BENCH_MANAGER=... BENCH_RESIDENT=... BENCH_HOUSE=<id> BENCH_RESIDENT_ID=<id>
    BENCH_MONTH=YYYY-MM BENCH_STATEMENT='start=...&end=...' \\
    locust -f bench/load.py --headless -u 30 -r 10 -t 60s --host http://127.0.0.1:PORT --csv PREFIX

Each simulated user signs in through the real login form (its CSRF token and cookie), then reads pages and APIs
with a pause between them, weighted like a day's use: residents (the most numerous) check the portal and their
ledger; managers their house's dashboard, bed board and tests; a few operators the whole organization. Stats are
named "<role> <what> <page|api>" (bench/measure.py's names), so the suite reads them per endpoint.

A failure is any answer outside 2xx/3xx, a redirect to the login page (a lost session), or a request error. The
stats count from the moment every user has signed in, for BENCH_SECONDS (locust's -t only bounds the whole run);
the sign-ins themselves (users, failures, the slowest) are written to the JSON file BENCH_SIGN_INS.
"""

import json
import os
import re
import time

import gevent
from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "hearth-demo")
HOUSE = os.environ.get("BENCH_HOUSE", "1")
RESIDENT_ID = os.environ.get("BENCH_RESIDENT_ID", "1")
MONTH = os.environ.get("BENCH_MONTH", "")
STATEMENT = os.environ.get("BENCH_STATEMENT", "")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Measured: BENCH_SECONDS from the moment every user has signed in (the stats are reset then, so the sign-in rush,
# a password hash each, is not counted in the pages' times); the sign-ins are written to BENCH_SIGN_INS.
SECONDS = int(os.environ.get("BENCH_SECONDS", "0"))
SIGN_INS = {"users": 0, "failed": 0, "slowest_ms": 0.0, "errors": [], "all_signed_in_after_s": None}
STARTED = time.monotonic()


def signed_in(environment, *, started: float, error: str | None) -> None:
    SIGN_INS["users"] += 1
    SIGN_INS["slowest_ms"] = max(SIGN_INS["slowest_ms"], round((time.monotonic() - started) * 1000, 1))
    if error:
        SIGN_INS["failed"] += 1
        SIGN_INS["errors"] = [*SIGN_INS["errors"], error][:10]
    if SIGN_INS["users"] == environment.parsed_options.num_users:
        SIGN_INS["all_signed_in_after_s"] = round(time.monotonic() - STARTED, 1)
        environment.stats.reset_all()
        if SECONDS:
            gevent.spawn_later(SECONDS, environment.runner.quit)


@events.quitting.add_listener
def write_sign_ins(environment, **_kwargs):
    path = os.environ.get("BENCH_SIGN_INS")
    if path:
        with open(path, "w") as out:
            json.dump(SIGN_INS, out)


class Signed(HttpUser):
    abstract = True
    email_variable = ""
    wait_time = between(0.5, 2.5)

    def plain_http_cookies(self):
        # Production cookies are Secure and the loopback has no TLS: kept as Secure, the client would never send them.
        for cookie in self.client.cookies:
            cookie.secure = False

    def on_start(self):
        started = time.monotonic()
        signed_in(self.environment, started=started, error=self.sign_in())

    def sign_in(self) -> str | None:
        """The login form, then the form posted back with its CSRF token; the error, if any."""
        email = os.environ[self.email_variable]
        with self.client.get("/accounts/login/", name="login form", catch_response=True) as form:
            match = CSRF_FIELD.search(form.text)
            if form.status_code != 200 or match is None:
                form.failure(f"no login form ({form.status_code})")
                return f"no login form ({form.status_code})"
        self.plain_http_cookies()
        with self.client.post(
            "/accounts/login/",
            data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1)},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login as {email} answered {response.status_code}")
                return f"login as {email} answered {response.status_code}"
        self.plain_http_cookies()
        return None

    def get(self, path: str, name: str):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code}")
            elif "/accounts/login/" in response.headers.get("Location", ""):
                response.failure("redirected to the login page")
        if response.cookies:
            self.plain_http_cookies()


class Operator(Signed):
    weight = 1
    email_variable = "BENCH_OPERATOR"

    @task(4)
    def dashboard(self):
        self.get("/dashboard/", "operator dashboard page")

    @task(2)
    def residents(self):
        self.get("/dashboard/residents/", "operator residents page")

    @task(1)
    def residents_api(self):
        self.get("/api/v1/residents/", "operator residents api")

    @task(2)
    def delinquency(self):
        self.get("/api/v1/billing/delinquency/", "operator delinquency api")

    @task(1)
    def monthly_metrics(self):
        self.get(f"/api/v1/reports/monthly/?month={MONTH}", "operator monthly metrics api")

    @task(1)
    def bed_board(self):
        self.get(f"/dashboard/houses/{HOUSE}/beds/", "operator bed board page")

    @task(1)
    def drug_tests_due(self):
        self.get("/api/v1/test-requests/overdue/", "operator drug tests due api")

    @task(1)
    def ledger(self):
        self.get(f"/billing/statement/?resident={RESIDENT_ID}&{STATEMENT}", "operator ledger page")

    @task(1)
    def me(self):
        self.get("/api/v1/me/", "operator me api")


class Manager(Signed):
    weight = 3
    email_variable = "BENCH_MANAGER"

    @task(4)
    def dashboard(self):
        self.get("/dashboard/", "manager dashboard page")

    @task(3)
    def bed_board(self):
        self.get(f"/dashboard/houses/{HOUSE}/beds/", "manager bed board page")

    @task(1)
    def bed_board_api(self):
        self.get(f"/api/v1/houses/{HOUSE}/bed-board/", "manager bed board api")

    @task(2)
    def residents(self):
        self.get("/dashboard/residents/", "manager residents page")

    @task(2)
    def drug_tests_due(self):
        self.get(f"/dashboard/houses/{HOUSE}/drug-tests/", "manager drug tests due page")

    @task(1)
    def delinquency(self):
        self.get("/api/v1/billing/delinquency/", "manager delinquency api")

    @task(1)
    def ledger(self):
        self.get(f"/api/v1/billing/entries/?resident={RESIDENT_ID}", "manager ledger api")

    @task(1)
    def me(self):
        self.get("/api/v1/me/", "manager me api")


class Resident(Signed):
    weight = 6
    email_variable = "BENCH_RESIDENT"

    @task(5)
    def portal(self):
        self.get("/portal/", "resident portal home page")

    @task(2)
    def ledger(self):
        self.get("/billing/statement/", "resident ledger page")

    @task(1)
    def ledger_api(self):
        self.get("/api/v1/billing/entries/", "resident ledger api")

    @task(1)
    def balance(self):
        self.get("/api/v1/billing/balance/", "resident balance api")

    @task(2)
    def me(self):
        self.get("/api/v1/me/", "resident me api")
