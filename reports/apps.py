from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from billing.services.closing import register_closed_through

        from .services import closed_through

        # Billing asks, before every entry it writes, how far the books are closed (billing never imports reports).
        register_closed_through(closed_through)
