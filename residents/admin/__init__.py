"""Admin pages for residents and house life, one module per topic."""

from . import applications, drug_tests, grievances, incidents, rules, stays  # noqa: F401
