"""OpenAPI request bodies derived from the Django forms the API validates with, so docs and rules agree."""

from typing import Any

from django import forms


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
        schema = {"type": "string", "enum": [str(value) for value, _label in field.choices if value != ""]}
    label = str(field.label or "")
    schema["title"] = label
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema


def form_body(form_class: type[forms.Form], *, partial: bool = False) -> dict[str, Any]:
    """``openapi_extra`` for an endpoint whose JSON body is validated by ``form_class``."""
    fields = form_class.base_fields
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {name: _field_schema(field) for name, field in fields.items()},
    }
    required = [name for name, field in fields.items() if field.required]
    if required and not partial:
        schema["required"] = required
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
