"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError

# A date input the browser shows as its date picker; the value in ISO form, as the input expects it.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_service_errors(form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ``{field: [messages]}`` next to the matching inputs (others on top)."""
    aliases = aliases or {}
    for field, messages in exc.message_dict.items():
        target = aliases.get(field, field)
        form.add_error(target if target in form.fields else None, messages)
