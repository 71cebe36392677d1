import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from leadit.demo.builder import build
from members.models import Organisation

APPS = ("members", "partnerships")
STAMP = "2026-11-01T00:00:00Z"


class Command(BaseCommand):
    help = "Rebuild fixtures/leadit.json from leadit/demo/builder/ (run on an empty database)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="fixtures/leadit.json")

    def handle(self, *args, output, **options):
        if Organisation.objects.exists():
            raise CommandError("Run this on an empty database (make fixture does).")
        with transaction.atomic():
            build()
            objects = []
            for label in APPS:
                for model in apps.get_app_config(label).get_models():
                    if model.__name__.startswith("Historical"):
                        continue
                    objects.extend(model._default_manager.order_by("pk"))
            data = json.loads(serializers.serialize("json", objects))
            transaction.set_rollback(True)
        for item in data:  # fixed stamps, so a rebuild only differs where the data does
            fields = item["fields"]
            for stamp in ("created_at", "updated_at"):
                if stamp in fields:
                    fields[stamp] = STAMP
            if "version" in fields:
                fields["version"] = 1
        Path(output).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        self.stdout.write(f"Wrote {len(data)} objects to {output}.")
