"""Form helpers shared by every app."""

from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

# A date input the browser shows as its date picker; the value in ISO form, as the input expects it.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

FieldT = TypeVar("FieldT", bound=forms.Field)


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
