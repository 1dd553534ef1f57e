from django.core.management.base import BaseCommand, CommandError

from demo.scale import MANAGED_HOUSES, MANAGER, OPERATOR, RESIDENT, SLUG, ScaleExists, build_scale
from demo.seed import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Builds one large organization (Scale Recovery Homes, slug 'scale') with two years of history, for measuring "
        "Hearth at scale. Leaves the demo organizations alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--houses", type=int, required=True, help="Number of houses (8 beds each)")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same organization (default 1)")
        parser.add_argument("--replace", action="store_true", help=f"Delete an existing '{SLUG}' organization first")

    def handle(self, *args, houses, seed, replace, **options):
        if houses < 1:
            raise CommandError("--houses must be at least 1.")
        try:
            result = build_scale(houses=houses, seed=seed, replace=replace)
        except ScaleExists as error:
            raise CommandError(f"{error} Run again with --replace to delete it and build it anew.") from error
        width = max(len(table) for table in result.counts)
        self.stdout.write(f"{'table':<{width}}  {'rows':>12}")
        for table, rows in sorted(result.counts.items()):
            self.stdout.write(f"{table:<{width}}  {rows:>12,}")
        self.stdout.write(f"{'total':<{width}}  {sum(result.counts.values()):>12,}")
        self.stdout.write(self.style.SUCCESS(f"{result.organization.name}: {houses} houses in {result.seconds:.1f} s"))
        if options["verbosity"] > 1:
            self.stdout.write(", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items()))
        self.stdout.write(f"Logins (password {DEMO_PASSWORD}):")
        for email, role in [
            (OPERATOR, "operator"),
            (MANAGER, f"manager of {min(MANAGED_HOUSES, houses)} houses"),
            (RESIDENT, "resident of the first house"),
        ]:
            self.stdout.write(f"  {email:<28} {role}")
