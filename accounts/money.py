"""How money reads to people: one format for pages, PDFs and messages, in the active language's locale (Babel)."""

from decimal import Decimal

from babel.numbers import format_currency
from django.utils import translation

SYMBOLS = {"USD": "$"}

# Hearth's languages as read in the United States: Spanish there writes "$1,725.00" like English does.
LOCALES = {"en": "en_US", "es": "es_US"}
DEFAULT_LOCALE = "en_US"


def money_locale(language: str | None = None) -> str:
    """The Babel locale for ``language`` (the active language when not given); a language without a locale of its
    own here (a pseudo-locale in a test) reads like English."""
    language = (language or translation.get_language() or "en").lower()
    return LOCALES.get(language) or LOCALES.get(language.split("-")[0]) or DEFAULT_LOCALE


def money_words(amount, currency: str = "USD", *, language: str | None = None) -> str:
    """``$1,725.00`` in a currency with a symbol here, ``1,725.00 CHF`` in one without; a debt below zero keeps its
    minus sign in front (``-$50.00``). Grouping and decimal marks follow the active language's locale."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    currency = currency or "USD"
    symbol = SYMBOLS.get(currency)
    pattern = f"{symbol}#,##0.00" if symbol else "#,##0.00 ¤¤"
    # The symbol is written literally in the pattern so each locale's own spelling of it ("US$") never creeps in.
    text = format_currency(abs(amount), currency, format=pattern, currency_digits=False, locale=money_locale(language))
    return f"-{text}" if amount < 0 else text
