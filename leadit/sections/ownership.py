"""Which records are a focal point's own: "theirs".

A focal point speaks for one or more organisations (`members.FocalPoint`). Each app registers,
per model, the rule that picks the records of a set of organisations (a project they sponsor,
financing they provide, ...); the generic views ask `is_theirs(user, record)` or filter with
`owned(model, user)`, without knowing the rules. `members` says which organisations a user
speaks for; `partnerships` adds its rules without `members` knowing them.
"""

from collections.abc import Callable, Iterable

from django.db.models import Q

_RULES: dict[type, Callable[[frozenset[int]], Q]] = {}
_organisations_of: Callable[[object], Iterable[int]] | None = None


def register_ownership(model, rule: Callable[[frozenset[int]], Q]) -> None:
    """`rule(organisation_ids)` -> the Q that selects those organisations' records of `model`."""
    _RULES[model] = rule


def register_organisations_of(func: Callable[[object], Iterable[int]]) -> None:
    """`func(user)` -> ids of the organisations the user speaks for (members registers it)."""
    global _organisations_of
    _organisations_of = func


def owned_models() -> list[type]:
    return list(_RULES)


def organisations_of(user) -> frozenset[int]:
    """The organisations a user speaks for, read once per request (kept on the user object)."""
    if not getattr(user, "is_authenticated", False) or _organisations_of is None:
        return frozenset()
    if not hasattr(user, "_focal_organisations"):
        user._focal_organisations = frozenset(_organisations_of(user))
    return user._focal_organisations


def is_focal_point(user) -> bool:
    return bool(organisations_of(user))


def ownership_q(model, user) -> Q | None:
    """The Q selecting the user's records of `model`; None when the model has no owners."""
    rule = _RULES.get(model)
    if rule is None:
        return None
    organisations = organisations_of(user)
    if not organisations:
        return Q(pk__in=[])
    return rule(organisations)


def owned(model, user, queryset=None):
    """The user's own records of `model` (none when the model has no owners or the user speaks
    for no organisation)."""
    queryset = model._default_manager.all() if queryset is None else queryset
    condition = ownership_q(model, user)
    if condition is None:
        return queryset.none()
    # A rule may cross a many-valued relation: pick by id to avoid duplicate rows.
    return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))


def is_theirs(user, record) -> bool:
    if record is None or record.pk is None:
        return False
    return owned(type(record), user).filter(pk=record.pk).exists()


def with_theirs(queryset, user):
    """Annotate each record with `theirs` (whether it is the user's own), in the query that
    reads it: a record page or a panel of parts asks no query per record. Unchanged for a user
    who speaks for no organisation."""
    from django.db.models import Exists, OuterRef

    model = queryset.model
    if ownership_q(model, user) is None or not is_focal_point(user):
        return queryset
    return queryset.annotate(theirs=Exists(owned(model, user).filter(pk=OuterRef("pk"))))
