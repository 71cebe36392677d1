"""What only the Secretariat reads: its internal fields and lists.

A focal point (and a viewer) reads the tracker's records but not the Secretariat's own working
material: its notes, who follows up a next step, the lists of what needs its attention (the
review queue of records not verified lately, overdue next steps). One permission says who
does, `sections.see_internal` (the Secretariat's, granted by migration); each app marks its
internal fields once, in its column declarations (`declare(..., internal={field: why})`), and
every place that shows a record's fields asks `sees_internal(user)`: list tables and their column
chooser, filters, record pages (`{% if perms.sections.see_internal %}` in templates), History
tabs, exports (CSV, Excel) and text search.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

SEE_INTERNAL = "sections.see_internal"
# The internal field most models have, as the declarations mark it.
NOTES = {"notes": "the Secretariat's working notes (what to verify, whom to ask)"}


def sees_internal(user) -> bool:
    return user is not None and user.has_perm(SEE_INTERNAL)


def internal_page(view):
    """A page that is one of the Secretariat's internal lists: 403 for anyone else, and the
    menu (may_open) leaves it out for them."""

    def allowed(user) -> bool:
        return sees_internal(user)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not allowed(request.user):
            raise PermissionDenied("This list is the Secretariat's own.")
        return view(request, *args, **kwargs)

    previous = getattr(view, "allowed", None)
    wrapped.allowed = (lambda user: allowed(user) and previous(user)) if previous else allowed
    return wrapped
