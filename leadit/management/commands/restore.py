from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from leadit.roles import TRACKER_APPS


class Command(BaseCommand):
    help = "Load a backup (from `make backup`) into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        filled = [
            model._meta.label
            for label in (*TRACKER_APPS, "auth")
            for model in apps.get_app_config(label).get_models()
            if model.__name__ not in ("Permission", "Group") and model._default_manager.exists()
        ]
        if filled:
            raise CommandError(
                "Restore only into an empty database; these already hold data: "
                + ", ".join(sorted(filled))
                + ". Point DATABASE_URL at a new database."
            )
        with transaction.atomic():
            # Groups come from the backup; the ones the roles migration made give way.
            apps.get_model("auth", "Group").objects.all().delete()
            call_command("loaddata", str(path), verbosity=0)
        self.stdout.write(f"Restored {path}.")
