from django.apps import AppConfig


class VacanciesConfig(AppConfig):
    name = "vacancies"
    verbose_name = "Vacancies and referrals"

    def ready(self):
        from . import receivers  # noqa: F401  (bed openings follow discharges, transfers and planned move-outs)
