"""Small filters for the dashboard's tables: Indonesian thousands, signed changes, lookups by key or position."""

from typing import Any

from django import template

from pilar.core.formatting import thousands as _thousands

register = template.Library()


@register.filter
def thousands(value: Any) -> str:
    return "–" if value is None else _thousands(value)


@register.filter
def signed(value: int | None) -> str:
    """+12, −3 (a true minus sign), 0."""
    if not value:
        return "0"
    return f"+{_thousands(value)}" if value > 0 else f"−{_thousands(-value)}"


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.filter
def index(sequence: list, position: int) -> Any:
    return sequence[position]


@register.filter
def sub(value: int, other: int) -> int:
    return value - other


@register.filter
def split_commas(value: str) -> list[str]:
    return value.split(",")
