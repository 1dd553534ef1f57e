"""The bench's settings: production's (config.settings, DEBUG unset), with static files hashed but not compressed.

Compressing every static file (gzip and Brotli, WhiteNoise's CompressedManifestStaticFilesStorage) takes minutes on
a small machine and serves nothing the bench measures; the pages still name the hashed files production serves.
"""

from config.settings import *  # noqa: F403
from config.settings import DEBUG, STORAGES

if not DEBUG:
    STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
