"""Admin pages for residents and house life, one module per topic."""

from . import grievances, rules, stays  # noqa: F401
