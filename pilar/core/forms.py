"""Form helpers shared by every app, and the one way a page runs a service from its form (``perform``)."""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pilar.core.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # django-stubs: a development dependency

# A date input the browser shows as its date picker; the value in ISO form, as the input expects it.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

FieldT = TypeVar("FieldT", bound=forms.Field)
T = TypeVar("T")


def decision_field(
    label: "StrOrPromise", choices: Any, *, required: "StrOrPromise", unknown: "StrOrPromise" = "", **kwargs: Any
) -> forms.ChoiceField:
    """A choice the user must make, nothing preselected ("—" first, so that a decision is never the first option
    by default): ``required`` says it is missing, ``unknown`` (if given) that the value sent is none of them."""
    errors = {"required": required} | ({"invalid_choice": unknown} if unknown else {})
    return forms.ChoiceField(label=label, choices=[("", "—"), *choices], error_messages=errors, **kwargs)


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


def apply_service_errors(form: forms.BaseForm, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ``{field: [messages]}`` next to the matching inputs (others on top)."""
    aliases = aliases or {}
    for field, errors in exc.message_dict.items():
        target = aliases.get(field, field)
        form.add_error(target if target in form.fields else None, errors)


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """A service's ``DomainError`` next to the input it names (on top when the form has no such input)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def form_arguments(cleaned: dict[str, Any], rename: dict[str, str] | None = None) -> dict[str, Any]:
    """A service's keyword arguments from a form's cleaned data, where the form's fields are the service's
    keywords: each field by its name, or by the keyword ``rename`` gives it (``{"file": "upload"}``)."""
    rename = rename or {}
    return {rename.get(name, name): value for name, value in cleaned.items()}


def perform(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[], T],
    success: str | Promise | Callable[[T], str] = "",
    *,
    aliases: dict[str, str] | None = None,
) -> T | None:
    """On a POST whose form is valid, call the one service (``action``, which returns what it made or changed), add
    the success message, if any (a text, or one made from that result), and return the result. None when the form
    must be shown again: not a POST, invalid, or refused by the service (its ``ValidationError`` or ``DomainError``
    put on the form; ``aliases``, else the form's ``service_field_aliases``, maps the service's field names to the
    form's)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action()
    except ValidationError as exc:
        apply_service_errors(form, exc, aliases or getattr(form, "service_field_aliases", None))
        return None
    except DomainError as exc:
        add_domain_error(form, exc)
        return None
    message = success(result) if callable(success) else success
    if message:
        messages.success(request, str(message))
    return result


def form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> TemplateResponse:
    """A form's page; a POST that comes back to it was refused: the status says so (400), not only the page."""
    return TemplateResponse(request, template, context, status=400 if request.method == "POST" else 200)
