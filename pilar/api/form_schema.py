"""OpenAPI request bodies derived from the Django forms the API validates with, and list query parameters from
the filters the selectors read, so docs and rules agree."""

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import create_model

# A form class with declared fields (``base_fields``): a plain form or a model form.
DeclaredForm = forms.Form | forms.ModelForm
FormT = TypeVar("FormT", bound=DeclaredForm)
BoundT = TypeVar("BoundT", bound=forms.BaseForm)
SchemaT = TypeVar("SchemaT", bound=Schema)


def _field_schema(field: forms.Field) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if isinstance(field, forms.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, (forms.DecimalField, forms.FloatField)):  # both subclass IntegerField
        schema = {"type": "number"}
    elif isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
        for key, attr in (("minimum", "min_value"), ("maximum", "max_value")):
            if getattr(field, attr, None) is not None:
                schema[key] = getattr(field, attr)
    elif isinstance(field, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, forms.ModelChoiceField):
        schema = {"type": "string", "description": "kode wilayah Kemendagri, mis. 36.71.01.1001"}
    elif isinstance(field, forms.ChoiceField):
        # Django keeps a field's choices as a list of pairs (an iterator of them, when given as a callable).
        choices = field.choices
        pairs = choices if isinstance(choices, list | CallableChoiceIterator) else []
        schema = {"type": "string", "enum": [str(value) for value, _label in pairs if value != ""]}
    label = str(field.label or "")
    schema["title"] = label
    max_length = getattr(field, "max_length", None)  # text fields only
    if max_length:
        schema["maxLength"] = max_length
    return schema


def form_body(
    form_class: type[DeclaredForm], described: dict[str, dict[str, Any]] | None = None, *, partial: bool = False
) -> dict[str, Any]:
    """``openapi_extra`` for an endpoint whose JSON body is validated by ``form_class``; ``described``: what the
    form cannot say of some of its fields (JSON lists, ids), by field, merged over what it derives."""
    fields = form_class.base_fields
    properties = {name: _field_schema(field) for name, field in fields.items()}
    for name, extra in (described or {}).items():
        properties[name] = {**properties[name], **extra}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = [name for name, field in fields.items() if field.required]
    if required and not partial:
        schema["required"] = required
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


# Only booleans are strict: a form reads any text as True. Numbers and texts are parsed by the form as on the
# pages ("78" is 78, as clients have always sent it), and some texts are JSON lists described by hand.
JSON_TYPES: dict[str, tuple[type, ...]] = {"boolean": (bool,)}
TYPE_NAMES = {"boolean": "true/false"}


def check_types(form_class: type[FormT], payload: Any) -> None:
    """Refuse (400) a JSON body whose values do not have the types its schema documents.

    A form would turn ``"confirm_address": "tidak"`` into ``True``; the API promises a boolean, so a string is
    an error there, as the schema says. ``null`` stands for "empty" as in a form.
    """
    if not isinstance(payload, dict):
        raise ValidationError({"__all__": [_("Badan permintaan harus berupa objek JSON.")]})
    errors: dict[str, list[str]] = {}
    for name, value in payload.items():
        field = form_class.base_fields.get(name)
        if field is None or value is None:
            continue
        kind = _field_schema(field)["type"]
        if kind not in JSON_TYPES:
            continue
        if not isinstance(value, JSON_TYPES[kind]):
            errors[name] = [_("Isian ini harus berupa %(type)s.") % {"type": TYPE_NAMES[kind]}]
    if errors:
        raise ValidationError(errors)


def form_errors(form: forms.BaseForm) -> ValidationError:
    """A bound form's errors as the ``ValidationError`` the API answers with 400."""
    return ValidationError({k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()})


def valid(form: BoundT) -> BoundT:
    """``form`` once it is valid; its errors are the API's 400 otherwise."""
    if not form.is_valid():
        raise form_errors(form)
    return form


def valid_form(form_class: type[FormT], payload: Any, **kwargs: Any) -> FormT:
    """``form_class`` bound to a JSON body whose value types were checked against the documented schema, and
    valid (``valid``)."""
    check_types(form_class, payload)
    return valid(form_class(payload, **kwargs))


def query_of(filter_class: type, **declared: Any) -> Callable[[type[SchemaT]], type[SchemaT]]:
    """A class decorator: the list endpoint's query parameters, one string per field of ``filter_class`` (the
    selector's filter dataclass, which the list page reads too), in its order; ``declared`` gives a field its own
    ``Field`` (an alias, a description)."""

    def build(schema: type[SchemaT]) -> type[SchemaT]:
        fields: dict[str, Any] = {f.name: (str, declared.get(f.name, "")) for f in dataclasses.fields(filter_class)}
        return create_model(schema.__name__, __base__=schema, __module__=schema.__module__, **fields)

    return build
