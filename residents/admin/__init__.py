"""Admin pages for residents and house life, one module per topic."""

from . import drug_tests, incidents, stays  # noqa: F401
