from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"

    def ready(self):
        from residents.core.selectors.nights import register_scoping
        from residents.testing import receivers  # noqa: F401 - connects the signal receivers

        register_scoping()
