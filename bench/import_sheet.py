"""Benchmark of a spreadsheet import: 1,000 residents, each with a current stay and an opening balance.

Builds an operator with 25 houses of 40 beds (bulk inserts, in a throwaway database on the configured DATABASE_URL),
writes a 1,000-row residents CSV, and runs the import through the services the page and ``import_sheet`` use:
the check (every row tried, rolled back), the import, and the same file imported again (nothing new). Prints the
elapsed seconds and the query count of each. The target: the import of 1,000 residents in under a minute.

Run: ``DEBUG=1 .venv/bin/python bench/import_sheet.py [--rows 1000]``.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Organization, Role, User  # noqa: E402
from houses.models import Bed, House, Room  # noqa: E402
from residents.models import Resident  # noqa: E402
from spreadsheets import services  # noqa: E402

HOUSES, ROOMS, BEDS_PER_ROOM = 25, 10, 4
OPENED = date(2025, 1, 1)


def build(rows: int) -> tuple[Membership, bytes]:
    organization = Organization.objects.create(name="Bench imports", slug="bench-imports", timezone="America/Chicago")
    user = User.objects.create_user(email="bench.operator@example.org", password=None, full_name="Bench Operator")
    actor = Membership.objects.create(
        user=user, organization=organization, role=Role.OPERATOR, accepted_at=timezone.now()
    )
    houses = House.objects.bulk_create(
        [
            House(organization=organization, name=f"House {n:02d}", gender="coed", opened_on=OPENED)
            for n in range(HOUSES)
        ]
    )
    rooms = Room.objects.bulk_create([Room(house=h, name=f"Room {r}") for h in houses for r in range(1, ROOMS + 1)])
    beds = Bed.objects.bulk_create(
        [
            Bed(room=room, house_id=room.house_id, label=f"B{b}", in_service_from=OPENED)
            for room in rooms
            for b in range(1, BEDS_PER_ROOM + 1)
        ]
    )
    if rows > len(beds):
        raise SystemExit(f"{rows} rows need {rows} beds; the bench builds {len(beds)}.")
    names = {room.pk: room for room in rooms}
    houses_by_id = {house.pk: house for house in houses}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "First name",
            "Last name",
            "E-mail",
            "Phone",
            "Date of birth",
            "House",
            "Room",
            "Bed",
            "Move-in date",
            "Opening balance",
        ]
    )
    for n, bed in enumerate(beds[:rows]):
        room = names[bed.room_id]
        balance = ["", "$125.00", "-40.00", "1,250.50"][n % 4]
        email = f"resident{n}@example.org" if n % 3 else ""
        born = date(1970, 1, 1) + timedelta(days=97 * n)
        move_in = date(2026, 6, 1) + timedelta(days=n % 150)
        writer.writerow(
            [
                f"First{n}",
                f"Last{n}",
                email,
                f"(555) 010-{n:04d}",
                born.strftime("%m/%d/%Y"),
                houses_by_id[room.house_id].name,
                room.name,
                bed.label,
                move_in.isoformat(),
                balance,
            ]
        )
    return actor, out.getvalue().encode("utf-8")


def timed(label: str, work):
    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - started
    print(f"{label:<28} {elapsed:7.2f} s  {count[0]:7,} queries", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="print where the import spends its time")
    args = parser.parse_args()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="hearth-bench-media-")
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"database: {connection.vendor} ({test_name}), {args.rows:,} residents", flush=True)
    try:
        actor, data = build(args.rows)
        run = timed(
            "upload (read + store)",
            lambda: services.import_upload(actor=actor, name="residents.csv", data=data, kind="residents"),
        )
        run = timed("check (rolled back)", lambda: services.import_check(actor=actor, run=run))
        assert not run.row_errors, run.row_errors[:5]
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            run = profiler.runcall(services.import_apply, actor=actor, run=run)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        else:
            run = timed("import", lambda: services.import_apply(actor=actor, run=run))
        assert run.status == run.Status.DONE
        assert Resident.objects.count() == args.rows
        again = services.import_upload(actor=actor, name="residents.csv", data=data, kind="residents")
        again = timed("same file again (no-op)", lambda: services.import_apply(actor=actor, run=again))
        assert again.counts["create"] == 0
        assert Resident.objects.count() == args.rows
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
