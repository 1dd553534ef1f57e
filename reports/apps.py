from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from accounts.closing import register_closed_through

        from .services import closed_through

        # Every dated write (ledger entries, stays, beds, houses, drug tests, incidents) asks how far the books are
        # closed; the apps below reports never import it.
        register_closed_through(closed_through)
