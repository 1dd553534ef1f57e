"""Path converters of the vacancy routes."""

from django.urls import register_converter


class TokenConverter:
    """A private link's token (``secrets.token_urlsafe``: letters, digits, "-" and "_", at most the 64 characters
    the token columns hold). Anything else is a 404 before any query: PostgreSQL refuses a NUL character in text, so
    ``/applications/%00/`` would otherwise be a server error."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")
