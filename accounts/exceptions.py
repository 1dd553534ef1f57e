"""The domain's refusals. Services raise them; one handler turns them into HTTP for the API
(``accounts.api_errors.exception_handler``) and one into a page's answer (``accounts.pages.refuse``)."""


class DomainError(Exception):
    """A business rule said no. Carries a message a person can read and, where there is one, the field at fault.

    The API answers it with ``status_code`` (400 by default); pages show ``message`` beside ``field``.
    Raise one of the three kinds below rather than this base.
    """

    status_code = 400
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        if status_code is not None:
            self.status_code = status_code

    def __str__(self):
        return str(self.message)


class Invalid(DomainError):
    """The input breaks a rule (400), beside ``field`` when one is at fault."""

    status_code = 400


class Conflict(DomainError):
    """The input is fine but the current state refuses it (409): the bed was taken, the month is closed."""

    status_code = 409


class NotAllowed(DomainError):
    """The acting member's role may not do this (403). Pages answer with the 403 page, not a form error."""

    status_code = 403


class NotFound(DomainError):
    """What the input names does not exist for this member (404), exactly like a row outside their scope."""

    status_code = 404


class Unavailable(DomainError):
    """An outside service the action needs (Stripe) is not set up or did not answer (503, or 502 for a bad answer)."""

    status_code = 503
