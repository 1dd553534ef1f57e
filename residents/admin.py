"""Admin pages for residents and house life: each slice registers its own."""

from residents.chores import admin as chores_admin  # noqa: F401
from residents.conduct.admin import grievances, incidents  # noqa: F401
from residents.core.admin import applications, stays  # noqa: F401
from residents.house_rules import admin as house_rules_admin  # noqa: F401
from residents.meetings import admin as meetings_admin  # noqa: F401
from residents.program.admin import phases, signouts  # noqa: F401
from residents.testing import admin as testing_admin  # noqa: F401
