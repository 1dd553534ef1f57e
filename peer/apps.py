from django.apps import AppConfig


class PeerConfig(AppConfig):
    name = "peer"
    verbose_name = "Peer-run houses"

    def ready(self):
        from . import receivers  # noqa: F401
