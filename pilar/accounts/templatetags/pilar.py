"""Pilar's template tags: permissions through the same ``can()`` as views and API, Indonesian formats.

{% load pilar %}
{% can "workers.manage" worker as allowed %}   {% can "workers.export" as allowed %}
{% shown record "nik" person.nik as nik %}   {% shown worker "bank_account" worker.account_number subject="pekerja" %}
{{ amount|rupiah }}  {{ day|tanggal }}  {{ user|role_names }}
"""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone

from pilar.accounts.models import Role
from pilar.accounts.permissions import access_for, can
from pilar.accounts.visibility import Subject, visibility_for
from pilar.core import formatting

register = template.Library()


@register.simple_tag(takes_context=True, name="can")
def can_tag(context: template.Context, perm: str, obj: Any = None) -> bool:
    """Whether the current user may ``perm`` (on ``obj``); for showing links and buttons only.

    The views check again: hiding a button is a courtesy, not the access control.
    """
    user = context.get("user")
    if user is None and context.get("request") is not None:
        user = context["request"].user
    return can(user, perm, obj)


@register.simple_tag(takes_context=True)
def shown(
    context: template.Context, obj: Any, key: str, value: Any, subject: str = Subject.PPKS, assigned: bool = False
) -> str:
    """A personal value as the current user may see it (``pilar.accounts.visibility``); "" when hidden.

    ``obj`` is the record it is shown on (its area decides for a TKSK or PSM); ``key`` a field of the table
    (``name``, ``nik``, ``kk_number``, ``birth_date``, ``birth_place``, ``address``, ``rt``, ``rw``, ``phone``,
    ``bank_account``); ``notes`` take the record's category code as ``obj.category.code``.
    """
    user = context.get("user")
    if user is None and context.get("request") is not None:
        user = context["request"].user
    view = visibility_for(user, obj, subject=Subject(subject), assigned=assigned)
    category = getattr(getattr(obj, "category", None), "code", None) if key == "notes" else None
    return view.display(key, value, category=category)


@register.filter
def rupiah(value: Any) -> str:
    if value in (None, ""):
        return "-"
    try:
        return formatting.rupiah(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)


@register.filter
def tanggal(value: date | datetime | str | None) -> str:
    if isinstance(value, datetime):
        # Stored in UTC; the office reads dates in its own time zone.
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    elif isinstance(value, str):
        text = value
        try:
            value = date.fromisoformat(text)
        except ValueError:
            return text or "-"
    return formatting.tanggal(value)


@register.filter
def role_names(user: Any) -> str:
    """The user's current roles, in the order of ``Role`` so the header reads the same every time."""
    roles = access_for(user).roles
    return ", ".join(str(role.label) for role in Role if role in roles)


@register.filter
def minutes(value: timedelta | None) -> int:
    """A lockout cool-off as whole minutes, rounded up so the user does not try a minute too soon."""
    if not value:
        return 0
    return -(-int(value.total_seconds()) // 60)
