"""Accent- and case-blind text search on a stored, normalised copy of each record's text.

`fold()` is the one normalisation: the stored `search_text` of a record and the query are both
folded by it, so "Bajio" finds "Bajío", "ACERÍA" finds "aceria" and the reverse, on every
database.

The stored text is indexed (see "Search from an index" in docs/performance.md): on SQLite an FTS5
table per model with the `trigram` tokenizer, kept in step by triggers, matched with `MATCH` (terms
of 3+ characters; shorter ones scan with `LIKE`); on PostgreSQL a GIN trigram index (`pg_trgm`)
that serves the same `LIKE '%term%'`. Folding happens in Python, so `unaccent` is not needed. A
database that refuses the extension or lacks FTS5 keeps the `LIKE` scan: slower, same results.

A searchable model inherits `Searchable`, lists its own text fields in `search_text_fields`, and
gets `search_text` filled on every save (site, admin, imports: `pre_save`, which fixture loading
sends too) and on `bulk_create`, `bulk_update` and `update` (`SearchableQuerySet`). Names of
related records are not copied: a search matches them in the related table's own `search_text`,
then by id, so renaming a sponsor needs no update of its projects.
"""

import logging
import unicodedata

from django.apps import apps as global_apps
from django.db import DatabaseError, connections, models, router, transaction
from django.db.migrations.operations.base import Operation
from django.db.models import Case, Func, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable
from django.db.models.signals import pre_save
from django.db.models.sql.where import WhereNode
from django.dispatch import receiver

logger = logging.getLogger(__name__)

# The shortest term an FTS5 trigram index can find; shorter ones are scanned with LIKE.
TRIGRAM = 3

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ŧ": "t",
        "ƒ": "f",
    }
)


def fold(text) -> str:
    """Lower case, without accents, in plain letters: the same key for every way of writing a
    name ("Türkiye" and "TURKIYE", "Gällivare" and "Gallivare", "Straße" and "STRASSE")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.translate(_LETTERS))


# How much of the folded text orders records by name: enough for any name to differ, short
# enough for its index to stay small.
NAME_KEY_LENGTH = 100


class NameKey(Func):
    """The first NAME_KEY_LENGTH characters of a text. Its bounds are written into the SQL, not
    bound as parameters: SQLite uses an index on an expression only for the same text."""

    function = "SUBSTR"
    template = f"%(function)s(%(expressions)s, 1, {NAME_KEY_LENGTH})"
    arity = 1
    output_field = models.TextField()


def folded_name(relation: str = ""):
    """Records in name order as a reader expects it, case and accents aside ("thyssenkrupp"
    among the T's, "Écija" among the E's, not after "Z"): the start of the folded search text,
    whose first line is the name (the first of `search_text_fields`; see `relevance`). A column
    would sort by its bytes (SQLite, PostgreSQL's C collation). `relation` reaches a related
    record's name: `folded_name("organisation__")`."""
    return NameKey(f"{relation}search_text")


def name_key(model, path: str):
    """`folded_name` for `path` when it is a searchable model's name (the first of its
    `search_text_fields`), perhaps across relations (`organisation__name`); else None."""
    *relations, field = path.split("__")
    target = model
    for relation in relations:
        target = target._meta.get_field(relation).related_model
    if not issubclass(target, Searchable) or target.search_text_fields[:1] != (field,):
        return None
    return folded_name("".join(f"{relation}__" for relation in relations))


class SearchableQuerySet(models.QuerySet):
    """Writes that bypass save() keep the folded text current too."""

    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create sends no pre_save: fill the search text here.
        objs = list(objs)
        for obj in objs:
            obj.search_text = obj.build_search_text()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if set(fields) & set(self.model.search_text_fields) and "search_text" not in fields:
            for obj in objs:
                obj.search_text = obj.build_search_text()
            fields = [*fields, "search_text"]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        """A raw UPDATE of a searched field (a data fix, a script) folds the rows' text again:
        the rows are picked before the UPDATE, which may change what the filter selects."""
        if not set(kwargs) & set(self.model.search_text_fields) or "search_text" in kwargs:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            changed = super().update(**kwargs)
            rows = self.model._base_manager.using(self.db).filter(pk__in=pks)
            fill_search_text(self.model, self.model.search_text_fields, rows=rows)
        return changed


class Searchable(models.Model):
    """A model found by text search; `search_text_fields` are its own text fields."""

    search_text_fields: tuple[str, ...] = ()

    search_text = models.TextField(
        default="",
        blank=True,
        editable=False,
        help_text="Normalised (accent- and case-folded) copy of the searchable text.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.search_text_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        parts = (getattr(self, name) for name in self.search_text_fields)
        return "\n".join(fold(part) for part in parts if part)


@receiver(pre_save)
def _fill_search_text(sender, instance, update_fields=None, **kwargs):
    if not isinstance(instance, Searchable):
        return
    instance.search_text = instance.build_search_text()


def search_words(value: str) -> list[str]:
    """What a user typed, as the folded words a record must all contain: "hydrogen steel"
    finds "Hydrogen injection trial" by Tata Steel. Quotes and other signs are plain text."""
    return list(dict.fromkeys(fold(value).split())) or [fold(value)]


def text_search(model, fields, value: str) -> Q:
    """Records of `model` whose `fields` contain every word of `value` (each in any of the
    fields), accent- and case-blind.

    A field of the model itself is matched in its `search_text`; a field of a related record
    (`sponsor__name`) in the related table's `search_text`, then by id: no join of every row
    to every related table. Each is an indexed look-up (`containing`). The related ids are read
    first, in one query for every word, and written into the search as values
    (`sponsor_id IN (3, 17)`): a sub-query under the `OR` made PostgreSQL read every row, and an
    array of ids computed in the query hid from its planner how many rows match, so it looked up
    a fifth of the table one row at a time where a scan was cheaper. With the values it
    estimates each condition from its statistics and picks: the indexes for a rare term, one
    scan for a common one."""
    words = search_words(value)
    own = any("__" not in field for field in fields)
    relations = list(dict.fromkeys(f.partition("__")[0] for f in fields if "__" in f))
    found = related_matches(model, relations, words)
    query = Q()
    for word in words:
        matches = containing(model, word) if own else Q(pk__in=[])
        for relation in relations:
            related = model._meta.get_field(relation).related_model
            ids = found[word, related]
            if len(ids) > MAX_IDS:  # rare (a short term in a large table): look them up in SQL
                ids = related._default_manager.filter(containing(related, word)).values("pk")
            if ids:
                matches |= Q(**{f"{relation}__in": ids})
        query &= matches
    return query


# More matching related records than this are looked up in the search's SQL, not listed in it.
MAX_IDS = 1000


def related_matches(model, relations, words: list[str]) -> dict:
    """The ids of the records of each related model matching each word, read in one query:
    {(word, related model): [ids]}."""
    targets = list(dict.fromkeys(model._meta.get_field(r).related_model for r in relations))
    pairs = [(word, target) for word in words for target in targets]
    found = {pair: [] for pair in pairs}
    if not pairs:
        return found
    branches = [
        target._default_manager.filter(containing(target, word))
        .order_by()
        .annotate(which=Value(index))
        .values_list("which", "pk")
        for index, (word, target) in enumerate(pairs)
    ]
    first, *others = branches
    for index, pk in first.union(*others, all=True).order_by() if others else first:
        found[pairs[index]].append(pk)
    return found


def containing(model, needle: str) -> Q:
    """Rows of `model` whose `search_text` contains the folded `needle`, through the index.

    SQLite: the FTS5 trigram table, the term quoted as one phrase (a substring; FTS syntax in it
    is plain text). PostgreSQL: `LIKE '%term%'`, which its trigram index serves."""
    table = fts_table(model) if len(needle) >= TRIGRAM else None
    if table is None:
        return Q(search_text__contains=needle)
    phrase = '"' + needle.replace('"', '""') + '"'
    return Q(pk__in=RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', (phrase,)))


def relevance(model, fields, value: str):
    """How well a record matches, for ordering when no sort is chosen: 0 its name (the first
    search field) is the term, 1 its name starts with it, 2 a word of its text starts with it,
    3 any other match (inside a word, or in a related record only)."""
    needle = fold(value)
    relation, _, rest = fields[0].partition("__") if fields else ("", "", "")
    target, path, name = model, "search_text", relation
    if rest:
        related = model._meta.get_field(relation).related_model
        if issubclass(related, Searchable):  # the name is a related record's (a member's)
            target, path, name = related, f"{relation}__search_text", rest
        else:
            name = None
    # search_text holds the fields in order, one a line: the first line is the name.
    is_name = tuple(getattr(target, "search_text_fields", ()))[:1] == (name,)
    word = Q(**{f"{path}__contains": f" {needle}"}) | Q(**{f"{path}__contains": f"\n{needle}"})
    cases = [When(word | Q(**{f"{path}__startswith": needle}), then=Value(2))]
    if is_name:
        exact = Q(**{path: needle}) | Q(**{f"{path}__startswith": f"{needle}\n"})
        cases[:0] = [
            When(exact, then=Value(0)),
            When(**{f"{path}__startswith": needle}, then=Value(1)),
        ]
    return Case(*cases, default=Value(3))


def by_relevance(queryset, fields, value: str):
    """`queryset` with the best matches of `value` first, then in its own order, then by pk."""
    model = queryset.model
    ordering = [*(queryset.query.order_by or model._meta.ordering)]
    return in_two_passes(queryset.order_by(relevance(model, fields, value), *ordering, "pk"))


def in_two_passes(queryset):
    """`queryset`, whose slices (a page) are read in two passes (`TwoPasses`)."""
    queryset = queryset.all()
    if queryset._iterable_class is ModelIterable:  # not values(): those rows are narrow already
        queryset._iterable_class = TwoPasses
    return queryset


class TwoPasses(ModelIterable):
    """A slice of a search's results read in two passes: the ids of its rows, ordered and cut
    on the few columns the order needs, then those rows with everything the list shows (related
    records, computed columns). A common term matches a fifth of the rows, all of which must be
    ordered to find the first page: in one pass every one of them was joined to its related
    records and carried whole through the sort (a third of the page query on SQLite). Unsliced,
    one pass."""

    def __iter__(self):
        queryset = self.queryset
        if not queryset.query.is_sliced:
            yield from super().__iter__()
            return
        ids = list(queryset.values_list("pk", flat=True))
        if not ids:
            return
        rows = queryset._chain()
        rows.query.clear_limits()
        rows.query.clear_ordering(force=True)  # the ids give it
        if not rows.query.group_by and not rows.query.distinct:
            # The ids passed the filters: their rows need no second look at them (on SQLite that
            # read the FTS matches again). Not with aggregates, which the filters may narrow.
            rows.query.where = WhereNode()
        found = {
            row.pk: row
            for row in ModelIterable(rows.filter(pk__in=ids), self.chunked_fetch, self.chunk_size)
        }
        yield from (found[pk] for pk in ids if pk in found)


def fill_search_text(model, fields: tuple[str, ...], batch_size: int = 2000, rows=None) -> None:
    """Fill `search_text` of existing rows, all or those of `rows` (for data migrations, which
    see historical models without our methods, and for `SearchableQuerySet.update`)."""
    batch = []
    rows = model._default_manager.all() if rows is None else rows
    manager = model._default_manager.db_manager(rows.db)  # where the rows were read
    for obj in rows.only("pk", *fields).iterator(chunk_size=batch_size):
        obj.search_text = "\n".join(fold(getattr(obj, f)) for f in fields if getattr(obj, f))
        batch.append(obj)
        if len(batch) >= batch_size:
            manager.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        manager.bulk_update(batch, ["search_text"])


# --- The indexes ---------------------------------------------------------------------------------
# SQLite: which models have their FTS table, per database (looked up once, on the raw connection so
# that query counts do not change).
_FTS_TABLES: dict[tuple, bool] = {}


def _fts_name(table: str) -> str:
    return f"{table}_fts"


def _trigram_index_name(table: str) -> str:
    return f"{table}_search_trgm"


def fts_table(model) -> str | None:
    """The FTS5 table of `model` on SQLite, or None (another database, or no FTS5 there)."""
    connection = connections[router.db_for_read(model)]
    if connection.vendor != "sqlite":
        return None
    name = _fts_name(model._meta.db_table)
    key = (connection.alias, connection.settings_dict["NAME"], name)
    if key not in _FTS_TABLES:
        connection.ensure_connection()
        found = connection.connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        _FTS_TABLES[key] = found is not None
    return name if _FTS_TABLES[key] else None


def _execute(connection, *statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _trigram_extension(connection) -> bool:
    """pg_trgm is installed, or we could install it (a managed server may refuse: then False)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return True
    try:
        with transaction.atomic(using=connection.alias):  # a savepoint: the migration goes on
            _execute(connection, "CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning(
            "Text search stays a scan (LIKE): the server refused the pg_trgm extension (%s). "
            "Ask for it, then run manage.py migrate again (docs/performance.md).",
            str(error).strip(),
        )
        return False
    return True


def _sqlite_triggers(table: str, fts: str, pk: str) -> dict[str, str]:
    """Triggers keeping the FTS table (external content: the model's table) in step."""
    remove = (
        f'INSERT INTO "{fts}"("{fts}", rowid, search_text) '
        f"VALUES ('delete', old.\"{pk}\", old.search_text);"
    )
    add = f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new."{pk}", new.search_text);'
    return {
        f"{fts}_insert": f'AFTER INSERT ON "{table}" BEGIN {add} END',
        f"{fts}_delete": f'AFTER DELETE ON "{table}" BEGIN {remove} END',
        f"{fts}_update": f'AFTER UPDATE OF search_text ON "{table}" BEGIN {remove} {add} END',
    }


def create_search_index(connection, model) -> bool:
    """Index `model`'s search_text on this database (idempotent); False where it cannot."""
    table, pk = model._meta.db_table, model._meta.pk.column
    _FTS_TABLES.clear()
    if connection.vendor == "postgresql":
        if not _trigram_extension(connection):
            return False
        name = _trigram_index_name(table)
        _execute(
            connection,
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            "USING gin (search_text gin_trgm_ops)",
        )
        return True
    if connection.vendor != "sqlite":
        return False
    fts = _fts_name(table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{fts}%"],
        )
        existing = {row[0] for row in cursor.fetchall()}
    triggers = _sqlite_triggers(table, fts, pk)
    if fts in existing and existing >= set(triggers):
        return True
    try:
        with transaction.atomic(using=connection.alias):
            _execute(
                connection,
                f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5(search_text, '
                f"content='{table}', content_rowid='{pk}', tokenize='trigram')",
            )
    except DatabaseError as error:  # no FTS5, or SQLite older than 3.34 (no trigram tokenizer)
        logger.warning("Text search stays a scan (LIKE) on %s: %s", table, error)
        return False
    # A new table, or triggers lost (SQLite rebuilds a table to alter it, dropping them): index
    # every row again from the table itself.
    _execute(
        connection,
        *(f'CREATE TRIGGER IF NOT EXISTS "{name}" {body}' for name, body in triggers.items()),
        f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',
    )
    return True


def drop_search_index(connection, model) -> None:
    table = model._meta.db_table
    _FTS_TABLES.clear()
    if connection.vendor == "postgresql":
        _execute(connection, f'DROP INDEX IF EXISTS "{_trigram_index_name(table)}"')
    elif connection.vendor == "sqlite":
        fts = _fts_name(table)
        _execute(
            connection,
            *(f'DROP TRIGGER IF EXISTS "{name}"' for name in _sqlite_triggers(table, fts, "id")),
            f'DROP TABLE IF EXISTS "{fts}"',
        )


class CreateSearchIndex(Operation):
    """Migration operation: the text-search index of a Searchable model (FTS5 on SQLite, GIN
    trigram on PostgreSQL, nothing elsewhere). The models' state does not change."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model_name], {})

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            create_search_index(schema_editor.connection, model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            drop_search_index(schema_editor.connection, model)

    def describe(self):
        return f"Create the text-search index of {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"search_index_{self.model_name.lower()}"


def searchable_models() -> list:
    return [
        model
        for model in global_apps.get_models()
        if issubclass(model, Searchable) and not model._meta.proxy
    ]


def ensure_search_indexes(using: str = "default", plan=None, **kwargs) -> None:
    """After every migrate: the indexes that applied migrations asked for, where they are missing
    and the database now can (SQLite drops a table's triggers when a later migration rebuilds the
    table to alter it; pg_trgm may have been installed since by an administrator). Unapplied
    ones stay dropped."""
    if plan is None:  # a flush (tests), not a migrate: no table changed
        return
    from django.db.migrations.loader import MigrationLoader

    connection = connections[using]
    loader = MigrationLoader(connection)
    wanted = set()
    for key in loader.applied_migrations:
        migration = loader.graph.nodes.get(key)
        for operation in getattr(migration, "operations", ()):
            if isinstance(operation, CreateSearchIndex):
                wanted.add((key[0], operation.model_name.lower()))
    for model in searchable_models():
        if (model._meta.app_label, model._meta.model_name) in wanted:
            create_search_index(connection, model)
