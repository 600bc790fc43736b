"""Errors that services raise for the pages and the API to show to the user."""

from collections.abc import Collection
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone


class DomainError(Exception):
    """A business rule refused the operation; the message is for the user (Bahasa Indonesia).

    ``field`` names the form field the message belongs to, when there is one, so that
    pages and the API can put it next to the input that caused it.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


def field_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    """A service's refusal of one input: forms show it next to ``field``, the API under ``errors[field]``."""
    return ValidationError({field: [ValidationError(message, code=code)]})


def required_text(field: str, value: str, message: str) -> str:
    """``value`` without surrounding blanks; refused with ``message`` when nothing else is left."""
    value = (value or "").strip()
    if not value:
        raise field_error(field, message)
    return value


def chosen(field: str, value: str, choices: Collection[str], message: str) -> str:
    """``value`` when it is one of ``choices`` (a ``TextChoices``' values); refused with ``message`` otherwise."""
    if value not in choices:
        raise field_error(field, message)
    return value


def not_future(field: str, on: date, message: str) -> date:
    """``on`` when it is today or earlier (the office's time zone); refused with ``message`` otherwise."""
    if on > timezone.localdate():
        raise field_error(field, message)
    return on
