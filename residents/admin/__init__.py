"""Admin pages for residents and house life, one module per topic."""

from . import applications, stays  # noqa: F401
