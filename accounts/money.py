"""How money reads to people: one format for pages, PDFs and messages."""

from decimal import Decimal

SYMBOLS = {"USD": "$"}


def money_words(amount, currency: str = "USD") -> str:
    """``$1,725.00`` in a currency with a symbol here, ``1,725.00 CHF`` in one without; a debt below zero keeps its
    minus sign in front (``-$50.00``)."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    symbol = SYMBOLS.get(currency or "USD")
    figure = f"{abs(amount):,.2f}"
    text = f"{symbol}{figure}" if symbol else f"{figure} {currency}"
    return f"-{text}" if amount < 0 else text
