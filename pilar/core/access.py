"""One way to fetch the record a page or endpoint names by id: ``get_for_user(model, user, pk, perm)``.

404 when the record lies outside the user's scope — exactly as for an id that does not exist, so the answer tells
nothing — and 403 when it is visible but the user does not hold ``perm`` on it: its existence is no secret to them.
The scope is the model's ``objects.visible_to(user)`` (scoping lives in QuerySets), or a queryset the caller
already scoped and shaped (``Worker.objects.visible_to(user).with_person()``).

``core`` knows no other part of Pilar: the permission check (``accounts.permissions.can``) is registered by the
accounts app when it is ready (``register_permission_check``).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)
PermissionCheck = Callable[[Any, Any, Any], bool]  # (user, perm, obj) -> the user holds perm on obj

_check: list[PermissionCheck] = []


def register_permission_check(check: PermissionCheck) -> None:
    """Called once, by the app that knows the roles (``pilar.accounts``), in its ``AppConfig.ready``."""
    _check[:] = [check]


def get_for_user(source: type[M] | QuerySet[M], user: Any, pk: Any, perm: Any = None) -> M:
    """The record ``pk`` if ``user`` may see it (404 otherwise), and holds ``perm`` on it when given (403)."""
    scoped: QuerySet[M] = source if isinstance(source, QuerySet) else source.objects.visible_to(user)  # type: ignore[attr-defined]
    found = get_object_or_404(scoped, pk=pk)
    if perm is not None and not _permission_check()(user, perm, found):
        raise PermissionDenied
    return found


def _permission_check() -> PermissionCheck:
    if not _check:
        raise ImproperlyConfigured("pilar.accounts is not installed: no permission check is registered")
    return _check[0]
