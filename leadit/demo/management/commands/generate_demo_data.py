import time

from django.core.management.base import BaseCommand, CommandError

from leadit.demo.synthetic import generate_projects


class Command(BaseCommand):
    help = "Add N synthetic pipeline projects (with stage history and financing), in batches."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True, help="How many to add.")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=None, help="Repeatable data.")

    def handle(self, *args, projects, batch_size, seed, **options):
        if projects < 1 or batch_size < 1:
            raise CommandError("--projects and --batch-size must be at least 1.")
        started = time.monotonic()

        def progress(done, total):
            self.stdout.write(f"  {done:,} / {total:,} projects", ending="\n")
            self.stdout.flush()

        made = generate_projects(projects, batch_size=batch_size, seed=seed, progress=progress)
        self.stdout.write(f"Added {made:,} projects in {time.monotonic() - started:.1f} s.")
