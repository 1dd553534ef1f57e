"""Admin pages for residents and house life, one module per topic."""

from . import phases, signouts, stays  # noqa: F401
