from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.backups import BackupError, verify


class Command(BaseCommand):
    help = (
        "Restores a backup into a new scratch database on the same server, compares migrations, row counts and "
        "media with its manifest, reports each check and drops the scratch database. Exits non-zero on a mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a hearth-<time>/ folder written by manage.py backup")

    def handle(self, *args, folder: Path, **options):
        if not (folder / "manifest.json").is_file():
            raise CommandError(f"{folder} holds no manifest.json: give the hearth-<time>/ folder backup wrote.")
        try:
            result = verify(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for name, ok, detail in result.checks:
            line = f"{'ok      ' if ok else 'MISMATCH'} {name}" + (f" ({detail})" if detail else "")
            self.stdout.write(self.style.SUCCESS(line) if ok else self.style.ERROR(line))
        failed = [name for name, ok, _ in result.checks if not ok]
        if failed:
            raise CommandError(f"The backup does not match its manifest: {', '.join(failed)}.")
        self.stdout.write(self.style.SUCCESS(f"The backup restores: {len(result.checks)} checks passed."))
