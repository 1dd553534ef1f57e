"""manage.py import_sheet FILE --organization SLUG --kind KIND: the operator page's import, from a shell.

Runs the same services as the page: reads the sheet, maps its columns (by name, or as --map says), checks every row
and imports (or, with --check, only checks). Prints each bad row with why; exits 1 when rows are bad and nothing was
written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.exceptions import DomainError
from accounts.models import Membership, Organization, Role
from spreadsheets import services
from spreadsheets.kinds import columns_of
from spreadsheets.models import SheetKind


class Command(BaseCommand):
    help = "Imports houses, beds or residents from a CSV or XLSX sheet into an organization, as one of its operators."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--organization", required=True, help="the organization's slug")
        parser.add_argument("--kind", required=True, choices=SheetKind.values)
        parser.add_argument("--sheet", default="", help="XLSX: the worksheet's name (default: the first)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help='which column fills a field, e.g. --map "move_in=Admitted on"; repeatable',
        )
        parser.add_argument("--only-good-rows", action="store_true", help="import the good rows even if some are bad")
        parser.add_argument("--check", action="store_true", help="check every row and write nothing")
        parser.add_argument("--as", dest="as_email", default="", help="the operator's e-mail (default: the first)")

    def _actor(self, slug: str, email: str) -> Membership:
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"No organization has the slug {slug!r}.")
        operators = (
            Membership.objects.active()
            .filter(organization=organization, role=Role.OPERATOR, accepted_at__isnull=False)
            .select_related("user", "organization")
        )
        if email:
            operators = operators.filter(user__email__iexact=email)
        actor = operators.order_by("pk").first()
        if actor is None:
            raise CommandError(
                f"{organization.name} has no active operator{f' with the e-mail {email}' if email else ''}."
            )
        return actor

    def _mapping(self, run, pairs: list[str]) -> dict[str, str]:
        mapping = dict(run.mapping)
        fields = {column.name: column for column in columns_of(run.kind)}
        by_label = {column.label.lower(): column.name for column in fields.values()}
        for pair in pairs:
            target, _, header = pair.partition("=")
            name = target.strip() if target.strip() in fields else by_label.get(target.strip().lower())
            if name is None:
                raise CommandError(f"--map {pair!r}: no field {target!r}; fields: {', '.join(fields)}.")
            mapping[name] = header.strip()
        return mapping

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        actor = self._actor(options["organization"], options["as_email"])
        try:
            # A shell is not a web request: the command takes the larger limit.
            limit = {"max_rows": services.COMMAND_MAX_ROWS}
            run = services.import_upload(
                actor=actor,
                name=path.name,
                data=path.read_bytes(),
                kind=options["kind"],
                sheet_name=options["sheet"],
                **limit,
            )
            run = services.import_map(actor=actor, run=run, mapping=self._mapping(run, options["map"]))
            if options["check"]:
                run = services.import_check(actor=actor, run=run, **limit)
            else:
                run = services.import_apply(actor=actor, run=run, only_good_rows=options["only_good_rows"], **limit)
        except DomainError as error:
            raise CommandError(f"{error.field + ': ' if error.field else ''}{error.message}") from None
        for error in run.row_errors:
            column = f" {error['field']}:" if error["field"] else ""
            self.stderr.write(f"row {error['row']}:{column} {error['message']}")
        counts = run.counts
        verb = "would create" if options["check"] else "created"
        records = ", ".join(f"{count['create']} {what}" for what, count in counts["records"].items()) or "nothing"
        self.stdout.write(
            f"Import {run.pk}: {counts['rows']} rows, {counts['bad']} bad; {verb} {records}; "
            f"{counts['present']} rows already present."
        )
        if run.status != run.Status.DONE and not options["check"]:
            raise CommandError(
                f"{counts['bad']} rows are bad, so nothing was imported (--only-good-rows imports the rest)."
            )
        if options["check"] and counts["bad"]:
            raise CommandError(f"{counts['bad']} rows are bad.")
