"""Accent- and case-blind text search on a stored, normalised copy of each record's text.

`fold()` is the one normalisation: the stored `search_text` of a record and the query are both
folded by it, so "Bajio" finds "Bajío", "ACERÍA" finds "aceria" and the reverse, on every
database, with a plain `LIKE` that a trigram (PostgreSQL pg_trgm) or FTS5 index can serve later.

A searchable model inherits `Searchable`, lists its own text fields in `search_text_fields`, and
gets `search_text` filled on every save (site, admin, imports: `pre_save`, which fixture loading
sends too) and on `bulk_create` (`SearchableQuerySet`). Names of related records are not copied:
a search matches them in the related table's own `search_text`, then by id, so renaming a sponsor
needs no update of its projects.
"""

import unicodedata

from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver

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


class SearchableQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create sends no pre_save: fill the search text here.
        objs = list(objs)
        for obj in objs:
            obj.search_text = obj.build_search_text()
        return super().bulk_create(objs, *args, **kwargs)


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


def text_search(model, fields, value: str) -> Q:
    """Records of `model` whose `fields` contain `value`, accent- and case-blind.

    A field of the model itself is matched in its `search_text`; a field of a related record
    (`sponsor__name`) in the related table's `search_text`, then by id: no join of every row
    to every related table."""
    needle = fold(value)
    query = Q()
    own = False
    relations: list[str] = []
    for field in fields:
        relation, _, rest = field.partition("__")
        if rest:
            if relation not in relations:
                relations.append(relation)
        else:
            own = True
    if own:
        query |= Q(search_text__contains=needle)
    for relation in relations:
        related = model._meta.get_field(relation).related_model
        matches = related._default_manager.filter(search_text__contains=needle).values("pk")
        query |= Q(**{f"{relation}__in": matches})
    return query


def fill_search_text(model, fields: tuple[str, ...], batch_size: int = 2000) -> None:
    """Fill `search_text` of existing rows (for data migrations, which see historical models
    without our methods)."""
    batch = []
    for obj in model._default_manager.only("pk", *fields).iterator(chunk_size=batch_size):
        obj.search_text = "\n".join(fold(getattr(obj, f)) for f in fields if getattr(obj, f))
        batch.append(obj)
        if len(batch) >= batch_size:
            model._default_manager.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        model._default_manager.bulk_update(batch, ["search_text"])
