"""UU PDP restriction of processing, applied in the QuerySets' ``visible_to`` by one decorator.

A restricted person's rows (the person, their PPKS records, the household they head, their cases, referrals
and enrollments) disappear from every list, search, export, report and API answer, exactly as if they did
not exist, for everyone but an Admin Dinsos, who sees them with a banner. The rows stay in the database:
restriction stops processing, it does not erase.
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db.models import QuerySet


def sees_restricted(user: Any) -> bool:
    from pilar.accounts.models import Role
    from pilar.accounts.permissions import access_for

    return Role.ADMIN in access_for(user).roles


def person_fields(model: Any) -> tuple[str, ...]:
    """The model's own keys to a person (``person``, ``head``, ``person_a``…), found once per model."""
    from pilar.identity.models import Person

    if model is Person:
        return ("pk",)
    return tuple(f.name for f in model._meta.get_fields() if f.many_to_one and f.related_model is Person)


def hide_restricted(qs: QuerySet, user: Any, paths: tuple[str, ...] | None = None) -> QuerySet:
    if sees_restricted(user):
        return qs
    from pilar.identity.models import Person

    restricted = Person.objects.filter(restricted_at__isnull=False).values("pk")
    for path in person_fields(qs.model) if paths is None else paths:
        key, _sep, rest = path.partition("__")
        if rest:
            # Through a relation (``household__head``): the related rows' ids by a subquery on their own key,
            # not a join. A join excluded through a LEFT JOIN of every row (a million records joined to their
            # households for each count of the registry list: 840 ms against 346 ms at 1M records).
            related = qs.model._meta.get_field(key).related_model
            qs = qs.exclude(**{f"{key}__in": related.objects.filter(**{f"{rest}__in": restricted}).values("pk")})
        else:
            qs = qs.exclude(**{f"{path}__in": restricted})
    return qs


_VisibleTo = TypeVar("_VisibleTo", bound=Callable[..., Any])


def restriction_aware(*paths: str) -> Callable[[_VisibleTo], _VisibleTo]:
    """Decorate a QuerySet's ``visible_to``: its answer loses the rows of restricted persons (``paths``: keys to
    the person; else the QuerySet class's ``restriction_paths``; by default the model's own foreign keys to
    ``Person``)."""

    def wrap(method: _VisibleTo) -> _VisibleTo:
        @functools.wraps(method)
        def visible_to(self: QuerySet, user: Any, *args: Any, **kwargs: Any) -> QuerySet:
            chosen = paths or getattr(self, "restriction_paths", None)
            return hide_restricted(method(self, user, *args, **kwargs), user, chosen)

        # Same signature as the method it wraps, and the same queryset type back (a filter of it).
        return cast(_VisibleTo, visible_to)

    return wrap
