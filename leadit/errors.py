"""Error pages. A database that is down or restarting is a 503 the load balancer and the user
can retry, not a 500."""

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 15


def database_unavailable(error: BaseException | None) -> bool:
    # Django wraps the driver's errors, except some raised outside its cursor wrapper (closing a
    # server-side cursor while a template iterates a queryset): look for the driver's own too.
    kinds = (
        OperationalError,
        InterfaceError,
        connection.Database.OperationalError,
        connection.Database.InterfaceError,
    )
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, kinds):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def server_error(request):
    """handler500: Django calls it inside its `except` block, so the exception is at hand."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable()
    return defaults.server_error(request)


def unavailable() -> HttpResponse:
    # Rendered without the request: its context processors would ask the database again.
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request, exception):
    """handler400. Saving a session while the database is down surfaces as SessionInterrupted
    (a 400): it is the outage, and the user should retry, so it is a 503 too."""
    if database_unavailable(exception):
        return unavailable()
    return defaults.bad_request(request, exception)
