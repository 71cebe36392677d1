"""Figures that are costly to compute and change only when the data does, cached under a
fingerprint of the data that costs one cheap query."""

from django.core.cache import cache
from django.db import connection

# An upper bound on staleness for changes made outside the app (raw SQL in a console).
CACHE_SECONDS = 600


def data_state(*models) -> str:
    """The newest audit-trail entry of each model (every save and delete through the site, the
    admin and imports writes one) and its highest id (rows inserted in bulk write none): both
    index look-ups, in one query."""
    quote = connection.ops.quote_name
    parts = []
    for model in models:
        for table, pk in ((model.history.model._meta, "history_id"), (model._meta, None)):
            column = pk or table.pk.column
            parts.append(f"(SELECT MAX({quote(column)}) FROM {quote(table.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return ":".join(str(value) for value in cursor.fetchone())


def cached_figures(name: str, models, compute, *key_parts):
    """compute() once per state of the data in `models` (and per key_parts)."""
    key = ":".join(["leadit", name, data_state(*models), *map(str, key_parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
