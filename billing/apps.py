from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        from . import receivers  # noqa: F401  (connects billing's reactions to admissions and discharges)
