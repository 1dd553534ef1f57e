from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Certification evidence"

    def ready(self):
        # The monthly compliance report gains a safety section; reports does not know this app.
        from reports.metrics import register_section

        from . import report_section

        register_section("safety", report_section)
