"""Settings for the test suite: the development configuration, with a fast password hasher.

Production is the default of leadit.settings (DJANGO_DEBUG unset); tests ask for development.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from leadit.settings import *  # noqa: E402, F403

# Creating a user with the production hasher costs most of a second; tests create hundreds.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Files of background jobs go to a throwaway folder.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="leadit-test-media-")

# Mail stays in django.core.mail.outbox (Django's test runner would set it too; said here).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
