import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by migrate on the target, or worthless after a restore (the background queue, exports
# whose files are not in the dump, and the dashboard's figures, recomputed on the first visit).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_tasks_database",  # django-tasks-db
    "jobs",
]


class Command(BaseCommand):
    help = "Write a timestamped, restorable dump of the whole database under backups/."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(Path(settings.BASE_DIR) / "backups"))

    def handle(self, *args, directory, **options):
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = folder / f"leadit-{stamp}.json.gz"
        # Natural keys for groups' permissions, so the dump loads into a fresh database.
        call_command(
            "dumpdata", exclude=EXCLUDED, natural_foreign=True, output=str(target), verbosity=0
        )
        self.stdout.write(f"Backup written to {target} ({target.stat().st_size:,} bytes).")
        self.stdout.write(f"Restore it into an empty database with: make restore FILE={target}")
