"""``form|pick:"a b c"``: some of a form's fields, in the order named, for a page that lays them out in groups
(``{% for field in form|pick:"bank_name account_number" %}{% include "core/_field.html" %}{% endfor %}``)."""

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def pick(form: Any, names: str) -> list[BoundField]:
    return [form[name] for name in names.split()]
