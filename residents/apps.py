from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"

    def ready(self):
        from residents.chores import receivers as chore_receivers  # noqa: F401 - connects the signal receivers
        from residents.core.selectors.nights import register_scoping
        from residents.program import receivers as program_receivers  # noqa: F401
        from residents.testing import receivers  # noqa: F401

        register_scoping()
