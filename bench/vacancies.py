"""Benchmark of the public face: the vacancy pages and the open feeds for operators of 10, 300 and 3,000 houses.

Builds each operator with the bench builder (8 beds per house, a month of stays with turnover, bulk inserts, in a
throwaway database on the configured DATABASE_URL), publishes every house, plans move-outs for one stay in five, and
requests through Django's test client, with the feed cache cleared before each request:

- ``/v/<organization>/`` (the public list of houses),
- ``/api/public/v1/vacancies/?organization=<slug>`` (the JSON feed) and ``/api/public/v1/hsds/services/`` (HSDS),
- one house's page and its embed.

Prints, per request, the best of three times, the query count and the size of the answer. The target: every public
answer in a constant number of queries, and a 300-house organization's list and feeds in well under a second.

Run: ``DEBUG=1 .venv/bin/python bench/vacancies.py [--sizes 10,300,3000]``.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.builder import build_organization  # noqa: E402
from houses.models import House  # noqa: E402
from reports.metrics import Month  # noqa: E402
from residents.models import Stay  # noqa: E402
from vacancies.models import HouseListing  # noqa: E402


def publish(organization) -> list[str]:
    houses = list(House.objects.filter(organization=organization).order_by("pk"))
    HouseListing.objects.bulk_create(
        [
            HouseListing(
                organization=organization,
                house=house,
                published=True,
                slug=f"house-{house.pk}",
                summary="A quiet house near the bus line.",
                neighbourhood="East Side",
            )
            for house in houses
        ],
        batch_size=2000,
    )
    today = organization.today()
    open_stays = Stay.objects.filter(organization=organization, move_out__isnull=True).order_by("pk")
    planned = list(open_stays.values_list("pk", flat=True)[::5])
    Stay.objects.filter(pk__in=planned).update(expected_move_out=today + timedelta(days=6))
    return [f"house-{house.pk}" for house in houses]


def measure(client: Client, url: str) -> tuple[float, int, int, int]:
    best = None
    for _ in range(3):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, len(captured.captured_queries), len(response.content), response.status_code


def run(size: int):
    month = Month.of(timezone.localdate())
    organization = build_organization(size=size, month=month)
    slugs = publish(organization)
    client = Client(HTTP_HOST="localhost")
    urls = [
        f"/v/{organization.slug}/",
        f"/api/public/v1/vacancies/?organization={organization.slug}",
        f"/api/public/v1/hsds/services/?organization={organization.slug}",
        f"/v/{organization.slug}/{slugs[0]}/",
        f"/v/{organization.slug}/{slugs[0]}/embed/",
    ]
    for url in urls:
        elapsed, queries, size_bytes, status = measure(client, url)
        print(
            f"{size:>6} houses | {url.replace(organization.slug, '<org>'):<48} | {status} | {elapsed * 1000:8.1f} ms"
            f" | {queries:>3} queries | {size_bytes / 1024:8.1f} KB",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,300,3000", help="comma-separated numbers of houses")
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"database: {connection.vendor} ({test_name}), 8 beds per house, every house published", flush=True)
    try:
        for size in (int(size) for size in args.sizes.split(",")):
            run(size)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
