"""Indonesian number and date formats (Rp 5.922.000.000; 22 November 2026)."""

from datetime import date
from decimal import Decimal

from django.utils.dates import MONTHS


def thousands(value: int | Decimal) -> str:
    return f"{int(value):,}".replace(",", ".")


def rupiah(value: int | Decimal) -> str:
    return f"Rp {thousands(value)}"


def tanggal(value: date | None) -> str:
    """Day, month name, year: '22 November 2026', the month named in the active language."""
    if value is None:
        return "-"
    # dateformat.format(value, "j F Y") spelled out: the same text without parsing the format on every call
    # (lists show a date on each of their rows).
    return f"{value.day} {MONTHS[value.month]} {value.year:04d}"
