"""Run what the background worker would: every queued task, with django-tasks-db's own worker
loop (the `db_worker` command's), in this process and transaction."""

from contextlib import contextmanager
from unittest import mock

from django.db import connection
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks() -> int:
    """Run the queued tasks until none is left; how many ran."""
    before = DBTaskResult.objects.ready().count()
    # The worker closes connections between tasks, as Django does between requests; in a test's
    # transaction that would drop it on PostgreSQL (the test client holds it back too).
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        _run()
    return before


def _run() -> None:
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    ).run()


def queued(task) -> int:
    """How many runs of `task` wait in the queue."""
    return DBTaskResult.objects.ready().filter(task_path=task.module_path).count()


@contextmanager
def committed():
    """As if the writes inside committed: run their on-commit callbacks the way a real commit
    does (each taken off the list, then run). pytest-django's own capture leaves them listed,
    which a callback that checks the pending list for itself would misread."""
    start = len(connection.run_on_commit)
    yield
    while len(connection.run_on_commit) > start:
        _, callback, _ = connection.run_on_commit.pop(start)
        callback()
