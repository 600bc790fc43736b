"""Form helpers shared by every app."""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A date input the browser shows as its date picker; the value in ISO form, as the input expects it.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

FieldT = TypeVar("FieldT", bound=forms.Field)


class PeriodField(forms.CharField):
    """A month as ``YYYY-MM`` (the browser shows a month picker), cleaned to the month's first day. ``parse``
    reads the text: the month, or None when it is none (or its own ``ValidationError``); ``example`` is the
    placeholder."""

    default_error_messages = {"invalid": _("Isi bulan dengan format TTTT-BB, mis. 2026-09.")}

    def __init__(self, *, parse: Callable[[str], date | None], example: str, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "placeholder": example}))
        super().__init__(**kwargs)
        self.parse = parse

    # A CharField for its text handling (str(), strip, empty), cleaned to a date: Django allows a field's
    # to_python any type, the stub's CharField promises str.
    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        period = self.parse(value)
        if period is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return period

    def prepare_value(self, value: Any) -> Any:
        return f"{value:%Y-%m}" if isinstance(value, date) else value


def field_of(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """``form.fields[name]``, checked to be the ``kind`` it is declared as, so that its own attributes (a
    ``ModelChoiceField``'s ``queryset``, a ``ChoiceField``'s ``choices``) can be set where the form narrows them
    to the user. A field of another kind is a programming error: ``TypeError``."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def apply_service_errors(form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ``{field: [messages]}`` next to the matching inputs (others on top)."""
    aliases = aliases or {}
    for field, messages in exc.message_dict.items():
        target = aliases.get(field, field)
        form.add_error(target if target in form.fields else None, messages)
