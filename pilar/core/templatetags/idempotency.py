"""``{% idempotency_field %}``: the hidden key that makes a plain form's second sending a replay (core.idempotency)."""

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from pilar.core.idempotency import FIELD

register = template.Library()


@register.simple_tag
def idempotency_field() -> SafeString:
    # A fresh key each time the form is drawn; the field app replaces it with one per submission it queues.
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)
