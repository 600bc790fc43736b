"""Indonesian number and date formats (Rp 5.922.000.000; 22 November 2026)."""

from datetime import date
from decimal import Decimal

MONTHS_ID = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


def thousands(value: int | Decimal) -> str:
    return f"{int(value):,}".replace(",", ".")


def rupiah(value: int | Decimal) -> str:
    return f"Rp {thousands(value)}"


def tanggal(value: date | None) -> str:
    if value is None:
        return "-"
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"
