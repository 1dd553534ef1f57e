"""Admin pages for residents and house life, one module per topic."""

from . import applications, chores, drug_tests, grievances, incidents, meetings, phases, rules, signouts, stays  # noqa: F401
