"""The API's JSON parser: the standard one, plus a refusal of control characters in any string (400).

A NUL inside a JSON string (``"\\u0000"``) would reach PostgreSQL, which cannot store it, and end as a 500;
the pages' forms are checked by ``pilar.core.guard``.
"""

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja.parser import Parser

from pilar.core.guard import CONTROL_IN_TEXT, control_message


def _bad_field(value: Any, path: str = "") -> str | None:
    if isinstance(value, str):
        return path or "__all__" if CONTROL_IN_TEXT.search(value) else None
    items: Iterable[tuple[object, object]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        if CONTROL_IN_TEXT.search(str(key)):
            return str(key)[:40]
        found = _bad_field(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


class BodyRefused(ValidationError):
    """A body the parser refused; ninja wraps it, ``api.on_http_error`` unwraps it into field errors."""


class CheckedParser(Parser):
    def parse_body(self, request: Any) -> Any:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BodyRefused({"__all__": [_("Badan permintaan bukan JSON yang valid.")]}) from exc
        field = _bad_field(data)
        if field:
            raise BodyRefused({field: [control_message(field)]})
        return data
