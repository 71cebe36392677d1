"""SQLite, the embedded default: two officers deciding the same proposal at once. Each
decision reads, then writes, in one transaction; begun DEFERRED, the second writer fails with
"database is locked" (a 500) instead of waiting its turn (found in a browser, two sessions)."""

import contextlib
import threading

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own locking (PostgreSQL: test_concurrency)"
)


def read_then_write_at_once(path, options) -> list:
    """Two connections to one database file each begin a transaction as Django's atomic()
    does, read, wait for the other, then write: what each one ended with."""
    setup = DatabaseWrapper({**connection.settings_dict, "NAME": str(path), "OPTIONS": options})
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE decision (id INTEGER PRIMARY KEY, status TEXT)")
        cursor.execute("INSERT INTO decision VALUES (1, 'pending')")
    setup.close()
    barrier, results = threading.Barrier(2), [None, None]

    def decide(n):
        db = DatabaseWrapper({**connection.settings_dict, "NAME": str(path), "OPTIONS": options})
        try:
            db.ensure_connection()
            db._start_transaction_under_autocommit()  # BEGIN, as atomic() does on SQLite
            with db.cursor() as cursor:
                cursor.execute("SELECT status FROM decision WHERE id = 1")
                # Broken when the other began first and holds the lock: this one waited.
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait(timeout=3)
                cursor.execute("UPDATE decision SET status = %s WHERE id = 1", [f"by {n}"])
                cursor.execute("COMMIT")
            results[n] = "saved"
        except Exception as error:  # noqa: BLE001 - what the officer would have got
            results[n] = str(error)
        finally:
            db.close()

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_decisions_at_once_wait_for_each_other(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():  # a database file of its own, not the test database
        results = read_then_write_at_once(
            tmp_path / "db.sqlite3", connection.settings_dict["OPTIONS"]
        )
    assert results == ["saved", "saved"], results


def test_without_immediate_transactions_one_of_them_fails(tmp_path, django_db_blocker):
    """The same with SQLite's default (DEFERRED) transactions: the failure the setting fixes."""
    with django_db_blocker.unblock():
        results = read_then_write_at_once(tmp_path / "db.sqlite3", {"timeout": 1})
    assert "database is locked" in results, results
