class DomainError(Exception):
    """A business rule said no. Carries a message a person can read and, where there is one, the field at fault.

    The API answers it with ``status_code`` (400 by default; 409 for a conflict with the current state);
    pages show ``message`` beside ``field``.
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
        return self.message


class Conflict(DomainError):
    status_code = 409
