from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        from residents.core.selectors.residents import register_balance_annotator, register_past_due_reader

        from . import receivers  # noqa: F401  (connects billing's reactions to admissions and discharges)
        from .selectors.arrears import past_due_of
        from .selectors.balances import annotate_balance

        register_balance_annotator(annotate_balance)
        register_past_due_reader(past_due_of)
