"""Benchmark of the monthly report: metrics, occupancy against a hand-written SQL floor, and the PDF.

Builds operators of 10, 300 and 3,000 houses (8 beds each, a full month of stays and the rest of house life) with
bulk inserts in a throwaway database on the configured DATABASE_URL, then prints per size:

- the number of queries and the time of the whole metrics set (every section, every house);
- the time of the occupancy figures (occupied and available bed-nights per house) through the metrics layer, beside
  one hand-written SQL query computing the same figures (the floor), and their ratio;
- the time and page count of the organization PDF (the 3,000-house PDF only with --full-pdf: it has thousands of
  pages), in one run and in parts as the workers make it (the parts' total and longest, the assembly);
- peak memory of the process.

Run: ``make bench`` (or ``DEBUG=1 .venv/bin/python bench/reports.py [--sizes 10,300,3000] [--full-pdf]``).
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.builder import build_organization  # noqa: E402
from houses.models import House  # noqa: E402
from reports.metrics import Month, monthly_metrics  # noqa: E402
from reports.metrics import occupancy as occupancy_metrics  # noqa: E402

MONTH = Month(2026, 3)

FLOOR_SQL = """
WITH offered AS (
    SELECT b.house_id, COUNT(*) * %(days)s AS nights FROM houses_bed b
    JOIN houses_house h ON h.id = b.house_id WHERE h.organization_id = %(org)s GROUP BY b.house_id
), outages AS (
    SELECT b.house_id, SUM(LEAST(COALESCE(o."end", %(next)s), %(next)s) - GREATEST(o.start, %(first)s)) AS nights
    FROM houses_bedoutage o JOIN houses_bed b ON b.id = o.bed_id JOIN houses_house h ON h.id = b.house_id
    WHERE h.organization_id = %(org)s AND o.start < %(next)s AND (o."end" IS NULL OR o."end" > %(first)s)
    GROUP BY b.house_id
), occupied AS (
    SELECT b.house_id, SUM(LEAST(COALESCE(a."end", %(next)s), %(next)s) - GREATEST(a.start, %(first)s)) AS nights
    FROM residents_bedassignment a JOIN houses_bed b ON b.id = a.bed_id JOIN houses_house h ON h.id = b.house_id
    WHERE h.organization_id = %(org)s AND a.start < %(next)s AND (a."end" IS NULL OR a."end" > %(first)s)
    GROUP BY b.house_id
)
SELECT offered.house_id, offered.nights - COALESCE(outages.nights, 0), COALESCE(occupied.nights, 0)
FROM offered LEFT JOIN outages USING (house_id) LEFT JOIN occupied USING (house_id)
"""


def timed(function, repeat=3):
    best = None
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def floor(organization):
    params = {
        "org": organization.pk,
        "days": MONTH.days,
        "first": MONTH.first,
        "next": MONTH.next_first,
    }
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, params)
        return {row[0]: (int(row[1]), int(row[2])) for row in cursor.fetchall()}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_parts(organization, metrics) -> str:
    """The organization PDF as the workers make it (``reports.services``): head, chunks of ``CHUNK_HOUSES`` houses
    and tail rendered one after the other here, then assembled. The parts run in parallel on the workers, so the
    report's time there is about the head's or a chunk's (the longest) plus the assembly."""
    import tempfile

    from reports import pdf
    from reports.pdf_assembly import assemble
    from reports.services import CHUNK_HOUSES

    ids = [row["id"] for row in metrics["houses"]]
    plan = [{"part": pdf.HEAD, "metrics": metrics}]
    plan += [{"part": pdf.HOUSES, "house_ids": ids[i : i + CHUNK_HOUSES]} for i in range(0, len(ids), CHUNK_HOUSES)]
    plan += [{"part": pdf.TAIL}]
    times = []
    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for index, options in enumerate(plan):
            start = time.perf_counter()
            content, _pages = pdf.render_part(organization=organization, month=MONTH, **options)
            times.append(time.perf_counter() - start)
            paths.append(Path(directory) / f"{index:05d}.pdf")
            paths[-1].write_bytes(content)
        start = time.perf_counter()
        with (Path(directory) / "report.pdf").open("wb") as out:
            pages = assemble(paths, out)
        assembly = time.perf_counter() - start
    return (
        f"in parts of {CHUNK_HOUSES}: {len(plan)} parts, {sum(times):6.2f} s in all, longest {max(times):6.2f} s, "
        f"assembly {assembly:6.2f} s, {pages} pages"
    )


def run(size: int, *, full_pdf: bool):
    organization = build_organization(size=size, month=MONTH)
    houses = House.objects.filter(organization=organization)

    with CaptureQueriesContext(connection) as captured:
        metrics_time, metrics = timed(lambda: monthly_metrics(organization=organization, month=MONTH), repeat=1)
    queries = len(captured.captured_queries)
    metrics_time, metrics = timed(lambda: monthly_metrics(organization=organization, month=MONTH))

    layer_time, per_house = timed(lambda: occupancy_metrics.bed_nights(houses=houses, month=MONTH))
    line = f"{size:>6} houses | metrics: {queries:>3} queries {metrics_time * 1000:8.1f} ms"
    if connection.vendor == "postgresql":
        floor_time, floor_rows = timed(lambda: floor(organization))
        mismatches = sum(
            1
            for house_id, (available, occupied) in floor_rows.items()
            if (per_house[house_id]["available"], per_house[house_id]["occupied"]) != (available, occupied)
        )
        line += (
            f" | occupancy: layer {layer_time * 1000:7.1f} ms, SQL floor {floor_time * 1000:7.1f} ms, "
            f"ratio {layer_time / floor_time:4.2f}x{'' if not mismatches else f' ({mismatches} MISMATCHES)'}"
        )
    else:
        line += f" | occupancy: layer {layer_time * 1000:7.1f} ms (SQL floor needs PostgreSQL)"
    if size <= 300 or full_pdf:
        from reports.pdf import render_monthly

        start = time.perf_counter()
        _pdf, pages = render_monthly(organization=organization, month=MONTH, metrics=metrics)
        line += f" | PDF {time.perf_counter() - start:6.2f} s, {pages} pages"
        line += " | " + in_parts(organization, metrics)
    else:
        line += " | PDF skipped (--full-pdf)"
    line += f" | peak {peak_mb():6.0f} MB"
    print(line, flush=True)
    reset_queries()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,300,3000", help="comma-separated numbers of houses")
    parser.add_argument("--full-pdf", action="store_true", help="also render the PDF of the largest operators")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"database: {connection.vendor} ({test_name}), month {MONTH}, 8 beds per house", flush=True)
    try:
        for size in sizes:
            run(size, full_pdf=args.full_pdf)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
