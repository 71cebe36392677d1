import time

from django.core.management.base import BaseCommand, CommandError

from leadit.demo.synthetic import generate_lists, generate_projects


class Command(BaseCommand):
    help = (
        "Add N synthetic pipeline projects (with stage history and financing), and with "
        "--rows-per-list M rows to every other list, in batches."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=0, help="How many to add.")
        parser.add_argument(
            "--rows-per-list",
            type=int,
            default=0,
            help="How many organisations, members, contacts, partnerships, engagements, "
            "assistance activities and forum activities to add, of each (benchmarks).",
        )
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=None, help="Repeatable data.")

    def handle(self, *args, projects, rows_per_list, batch_size, seed, **options):
        if projects < 0 or rows_per_list < 0 or batch_size < 1 or not (projects or rows_per_list):
            raise CommandError(
                "Give --projects or --rows-per-list (at least 1); --batch-size must be at least 1."
            )
        started = time.monotonic()
        finished = [started]  # when the previous list was done: lists are made in turn

        def progress(label, done, total):
            line = f"  {done:,} / {total:,} {label}"
            if done == total:
                line += f" ({time.monotonic() - finished[0]:.1f} s)"
                finished[0] = time.monotonic()
            self.stdout.write(line, ending="\n")
            self.stdout.flush()

        if projects:
            made = generate_projects(projects, batch_size=batch_size, seed=seed, progress=progress)
            self.stdout.write(f"Added {made:,} projects in {time.monotonic() - started:.1f} s.")
        if rows_per_list:
            started = time.monotonic()
            added = generate_lists(
                rows_per_list, batch_size=batch_size, seed=seed, progress=progress
            )
            made = ", ".join(f"{count:,} {label}" for label, count in added.items())
            self.stdout.write(f"Added {made} in {time.monotonic() - started:.1f} s.")
