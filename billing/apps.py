from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        from residents.selectors.residents import register_balance_annotator

        from . import receivers  # noqa: F401  (connects billing's reactions to admissions and discharges)
        from .selectors.balances import annotate_balance

        register_balance_annotator(annotate_balance)
