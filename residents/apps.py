from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
        from .selectors.nights import register_scoping

        register_scoping()
