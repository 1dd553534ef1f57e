from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.backups import BackupError, backup


class Command(BaseCommand):
    help = "Backs up the PostgreSQL database (pg_dump -Fc) and the media files into a new folder under --to."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="folder that receives hearth-<time>/")

    def handle(self, *args, to: Path, **options):
        try:
            folder = backup(to)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {folder}")
        self.stdout.write(f"Check it restores: manage.py verify_backup {folder}")
