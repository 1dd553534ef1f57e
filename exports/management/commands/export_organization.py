import shutil

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Membership, Organization, Role
from exports.services import command_export


class Command(BaseCommand):
    help = (
        "Exports all of an organization's data as a zip of CSV files (the same zip as the Export page), kept in "
        "storage like the page's; --to also copies it to a file. The export is in the audit log, by the operator "
        "named with --operator or else by no one, from the command."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The organization's slug")
        parser.add_argument("--to", metavar="FILE", help="Also write the zip to this file")
        parser.add_argument("--operator", metavar="EMAIL", help="The operator running it, named in the audit log")

    def handle(self, *args, slug, to=None, operator=None, **options):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"No organization has the slug {slug!r}.")
        actor = None
        if operator:
            actor = (
                Membership.objects.active()
                .filter(organization=organization, role=Role.OPERATOR, user__email__iexact=operator)
                .first()
            )
            if actor is None:
                raise CommandError(f"{operator} is not an operator of {organization.name}.")
        export = command_export(organization=organization, actor=actor)
        if to:
            with export.file.open("rb") as source, open(to, "wb") as target:
                shutil.copyfileobj(source, target)
        where = to or export.file.name
        self.stdout.write(f"Exported {organization.name} to {where} ({export.size} bytes, sha256 {export.sha256}).")
