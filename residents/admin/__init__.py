"""Admin pages for residents and house life, one module per topic."""

from . import applications, grievances, rules, stays  # noqa: F401
