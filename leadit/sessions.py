"""Sessions end after a period of inactivity (SESSION_COOKIE_AGE), not a fixed time after login.

Django extends a session's expiry whenever it is saved. Saving on every request would add a
database write to every page, so activity is recorded at most every few minutes: the idle limit
is then exact to within that interval."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SEEN_KEY = "_leadit_seen"


def refresh_interval() -> int:
    return min(300, settings.SESSION_COOKIE_AGE // 10)


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SEEN_KEY, 0) >= refresh_interval():
                request.session[SEEN_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    # Logging in saves the session anyway; the first page after it need not.
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
