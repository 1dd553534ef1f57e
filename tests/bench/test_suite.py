"""The benchmark suite (bench/): its measuring functions on a tiny organization, the targets' verdicts and the
table and JSON it writes."""

import json
from datetime import date

import pytest

from accounts.models import Role
from bench import measure, suite, targets
from tests.clock import local_moment, module_clock
from tests.factories import HouseFactory, MembershipFactory, OrganizationFactory, admit

_clock = module_clock(local_moment(2026, 6, 10))


def _login(organization, email, role):
    membership = MembershipFactory(organization=organization, role=role, user__email=email)
    membership.user.set_password(measure.PASSWORD)
    membership.user.save()
    return membership


@pytest.fixture
def tiny(db):
    """One house, its manager, the operator, and two current residents, one with a portal login."""
    organization = OrganizationFactory()
    house = HouseFactory(organization=organization)
    _login(organization, "operator@tiny.example", Role.OPERATOR)
    manager = _login(organization, "manager@tiny.example", Role.MANAGER)
    house.staff.add(manager)
    admit(house, on=date(2026, 5, 1))
    resident_stay = admit(house, on=date(2026, 5, 2))
    portal = _login(organization, "resident@tiny.example", Role.RESIDENT)
    resident_stay.resident.membership = portal
    resident_stay.resident.save(update_fields=["membership"])
    return measure.scenario(
        operator="operator@tiny.example", manager="manager@tiny.example", resident="resident@tiny.example"
    )


def _page(role, name, kind, *, median, ratio=None, size=1000, status=200):
    return {
        "role": role, "name": name, "kind": kind, "path": "/", "status": status, "queries": 5, "bytes": size,
        "median_ms": median, "ratio": ratio, "error": None,
    }  # fmt: skip


def _job(first, repeat, *, queries=10, error=None):
    return {
        "job": "billing-post-rent-due",
        "task": "billing.tasks.post_rent_due",
        "first": {"seconds": first, "queries": queries, "error": error},
        "repeat": {"seconds": repeat, "queries": queries, "error": None},
    }


def test_every_page_and_api_is_measured_for_each_role_with_its_ratio_to_the_floor(tiny):
    rows = measure.measure_pages(tiny, runs=1)

    assert {row["role"] for row in rows} == {"operator", "manager", "resident"}
    assert [row for row in rows if row["status"] != 200] == []
    assert all(row["queries"] > 0 and row["bytes"] > 0 and row["median_ms"] > 0 for row in rows)
    assert {row["ratio"] for row in rows if row["name"] == measure.FLOOR} == {1.0}


def test_each_nightly_job_is_run_twice_with_its_time_and_queries(tiny):
    rows = measure.measure_nightly([("billing-post-rent-due", "billing.tasks.post_rent_due")])

    assert [row["job"] for row in rows] == ["billing-post-rent-due"]
    assert set(rows[0]["first"]) == {"seconds", "queries", "error"}
    assert rows[0]["first"]["error"] is None
    assert rows[0]["repeat"]["queries"] > 0


def test_the_nightly_jobs_are_the_beat_schedule_but_the_month_end_report():
    tasks = [task for _name, task in measure.nightly_tasks()]

    assert "billing.tasks.post_rent_due" in tasks
    assert "reports.tasks.month_end_reports" not in tasks


def test_an_operator_page_over_five_times_the_floor_is_marked_missed():
    result = {"size": 30, "pages": [_page("operator", "dashboard", "page", median=60, ratio=6.0)]}

    targets.judge(result)

    assert result["pages"][0]["misses"] == ["6.0x floor > 5x"]


def test_an_operator_page_that_grows_more_than_half_again_from_the_smallest_size_is_marked_missed():
    small = {"size": 30, "pages": [_page("operator", "dashboard", "page", median=100, ratio=2.0)]}
    large = {"size": 3000, "pages": [_page("operator", "dashboard", "page", median=200, ratio=2.0)]}

    targets.judge(large, baseline=small)

    assert large["pages"][0]["misses"] == ["2.0x its 30-house time > 1.5x"]


def test_a_manager_page_is_judged_on_its_size_only():
    result = {"size": 300, "pages": [_page("manager", "dashboard", "page", median=90, ratio=9.0, size=250_000)]}

    targets.judge(result)

    assert result["pages"][0]["misses"] == ["250 kB >= 200 kB"]


def test_nightly_jobs_and_the_pdf_over_their_targets_are_marked_missed():
    result = {
        "size": 300,
        "nightly": [_job(75.0, 1.0), _job(2.0, 6.0)],
        "pdf": {"status": "done", "seconds": 30.0, "pages": 900, "peak_rss_mb": 1500.0},
    }

    targets.judge(result)

    assert [row["misses"] for row in result["nightly"]] == [["first 75.0 s >= 60 s"], ["repeat 6.0 s >= 5 s"]]
    assert result["pdf"]["misses"] == ["300 houses: 30.0 s >= 20 s", "a process peaked at 1500 MB >= 1024 MB"]


def test_a_pdf_left_out_by_pdf_sizes_is_a_miss_in_the_table_but_not_an_error():
    result = {"size": 3000, "pdf": {"status": "not run", "error": "--pdf-sizes 30,300"}}

    targets.judge(result)

    assert result["pdf"]["misses"] == ["report not run: --pdf-sizes 30,300"]
    assert targets.errors(result) == []


def test_a_load_endpoint_with_a_slow_p95_or_errors_is_marked_missed_but_sign_in_only_for_errors():
    load = {
        "endpoints": [
            {"name": "operator dashboard page", "requests": 10, "failures": 2, "p95_ms": 450.0},
            {"name": "login", "requests": 10, "failures": 0, "p95_ms": 900.0},
        ]
    }
    result = {"size": 3000, "load": load}

    targets.judge(result)

    assert load["endpoints"][0]["misses"] == ["2 errors", "p95 450 ms >= 300 ms"]
    assert load["endpoints"][1]["misses"] == []


def test_a_smoke_run_fails_on_errors_and_never_on_slow_figures():
    result = {
        "size": 30,
        "pages": [
            _page("operator", "dashboard", "page", median=5000, ratio=100.0, size=900_000),
            _page("operator", "residents", "page", median=10, ratio=1.0, status=500),
        ],
        "nightly": [_job(600.0, 60.0)],
        "load": {"endpoints": [{"name": "resident portal home page", "requests": 3, "failures": 0, "p95_ms": 9000}]},
    }

    targets.judge(result, timed=False)

    assert targets.misses(result) == ["operator residents page: status 500"]
    assert targets.errors(result) == ["operator residents page /: status 500"]


def test_the_table_has_a_target_column_for_every_section():
    result = {
        "size": 3000,
        "date": "2026-12-07 09:00 UTC",
        "pages": [_page("operator", "me", "api", median=10, ratio=1.0)],
        "nightly": [_job(1.0, 0.5)],
        "pdf": {"status": "done", "seconds": 400.0, "pages": 9000, "peak_rss_mb": 800.0},
        "load": {
            "users": 30,
            "seconds": 60,
            "rps": 12.5,
            "requests": 750,
            "failures": 0,
            "endpoints": [
                {
                    "name": "operator me api",
                    "requests": 50,
                    "failures": 0,
                    "rps": 0.8,
                    "p50_ms": 20.0,
                    "p95_ms": 40.0,
                    "p99_ms": 60.0,
                }
            ],
        },
    }

    table = targets.render(targets.judge(result))

    assert "| operator | me | api | 10.0 | 1.00 |" in table
    assert "| billing-post-rent-due | 1.00 | 10 | 0.50 | 10 | ok |" in table
    assert "| done | 400.0 | 9000 | 800 | MISS: 400 s >= 300 s |" in table
    assert "| operator me api | 50 | 0.80 | 20 | 40 | 60 | 0 | ok |" in table
    assert "Targets missed at 3,000 houses: 1" in table
    assert json.loads(json.dumps(result))["pdf"]["misses"] == ["400 s >= 300 s"]


def test_locust_stats_are_read_per_endpoint_with_the_aggregate_apart(tmp_path):
    stats = tmp_path / "locust_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
        "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
        "99.99%,100%\n"
        "GET,resident portal home page,40,1,30,35.5,10,200,7000,0.66,0.01,30,35,40,45,60,80,100,150,200,200,200\n"
        ",Aggregated,40,1,30,35.5,10,200,7000,0.66,0.01,30,35,40,45,60,80,100,150,200,200,200\n"
    )

    load = suite.read_locust(stats, users=5, seconds=10)

    assert (load["requests"], load["failures"], load["p95_ms"]) == (40, 1, 80.0)
    assert load["endpoints"] == [
        {"name": "resident portal home page", "requests": 40, "failures": 1, "rps": 0.66, "p50_ms": 30.0,
         "p95_ms": 80.0, "p99_ms": 150.0, "mean_ms": 35.5},
    ]  # fmt: skip
