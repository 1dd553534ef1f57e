"""Settings for the test suite: production settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Tests expect a task's effect right away; the Redis test switches to a real worker explicitly.
CELERY_TASK_ALWAYS_EAGER = True
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):  # noqa: F405
    # A test database is thrown away: its commits need not wait for the disk.
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405
# The read replica for reports is the test database itself: a mirror Django never creates. The router stays off;
# the tests of the replica turn it on (tests/operations/test_read_replica.py) and name both aliases.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),  # noqa: F405
    "TEST": {"MIRROR": "default"},
}
DATABASE_ROUTERS: list[str] = []
