"""Admin pages for residents and house life, one module per topic."""

from . import stays  # noqa: F401
