from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organizations"

    def ready(self):
        from . import (
            request_log,  # noqa: F401 - one log line per Celery task run
            task_audit,  # noqa: F401 - tasks run outside the request that queued them, even when run eagerly
            throttling,  # noqa: F401 - counts failed sign-ins and registers the shared-cache check
            token_receivers,  # noqa: F401 - connects the receivers that end a user's API tokens
        )
        from .two_factor import receivers  # noqa: F401 - notes at sign-in whether a two-factor code is due
