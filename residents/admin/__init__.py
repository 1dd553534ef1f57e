"""Admin pages for residents and house life, one module per topic."""

from . import chores, meetings, stays  # noqa: F401
