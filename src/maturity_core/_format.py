"""Formatting exact numbers for people and for JSON."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def exact(value: Fraction) -> str:
    """The exact value as ``"n/d"`` (or ``"n"`` for an integer)."""
    return str(value)


def exact_or_none(value: Fraction | None) -> str | None:
    """:func:`exact`, passing ``None`` through."""
    return None if value is None else exact(value)


def decimal(value: Fraction, places: int = 2) -> str:
    """
    *value* truncated toward zero to *places* decimals.

    Truncation, not rounding, so a displayed score never crosses a
    threshold the exact score has not reached (0.7995 shows as 0.79,
    not 0.80).
    """
    scaled = abs(value.numerator) * 10**places // value.denominator
    sign = "-" if value < 0 and scaled else ""
    digits = str(scaled).rjust(places + 1, "0")
    if places == 0:
        return f"{sign}{digits}"
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def fmt(value: Fraction) -> str:
    """
    Readable: the decimal if it is exact in 4 places, else 4 places
    truncated and marked with an ellipsis (``0.9618…``).
    """
    four = value * 10**4
    if four.denominator == 1:
        return format(Decimal(four.numerator).scaleb(-4).normalize(), "f")
    return f"{decimal(value, 4)}…"
