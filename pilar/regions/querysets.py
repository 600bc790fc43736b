"""Queries over records placed in an area (``kecamatan_id``, ``kelurahan_id``: ``models.InArea``): who sees
them (kelurahan for PSM, kecamatan for TKSK, the city for Dinsos) and the filter by region codes."""

from typing import Any, Self, TypeVar

from django.db import models
from django.db.models import Q

from pilar.accounts.permissions import Access, Perm, access_for
from pilar.identity.restriction import restriction_aware
from pilar.regions.models import Region

_M = TypeVar("_M", bound=models.Model)


class AreaQuerySet(models.QuerySet[_M]):
    view_perm: Perm  # without it a user sees none of them

    def seen_by(self, user: Any, access: Access) -> Q:
        """The rows a user without a city-wide role sees: their area's. Apps that also show rows outside it
        (cases assigned to the user, an agency's referrals) add them to this condition."""
        return Q(kecamatan_id__in=access.kecamatan_ids) | Q(kelurahan_id__in=access.village_ids)

    # Restricted persons' rows are hidden along the class's ``restriction_paths`` (default: the model's keys to
    # the person).
    @restriction_aware()
    def visible_to(self, user: Any) -> Self:
        access = access_for(user)
        if self.view_perm not in access.perms:
            return self.none()
        if access.city_wide:
            return self.all()
        return self.filter(self.seen_by(user, access))

    def filter_area(self, *, kecamatan: str = "", kelurahan: str = "") -> Self:
        """Filter by region codes (``36.71.01``, ``36.71.01.1001``)."""
        return self.filter_code("kecamatan_id", Region, kecamatan).filter_code("kelurahan_id", Region, kelurahan)

    def filter_code(self, field: str, model: type[models.Model], code: str) -> Self:
        """The rows whose ``field`` (a key to ``model``) is the row with this code (none if no row has it),
        resolved to its id first: a join on the code would keep PostgreSQL from walking the (kelurahan, …, id)
        indexes and cost a million-row registry a hash join. No code: every row."""
        if not code:
            return self
        found = code_id(model, code)
        return self.filter(**{field: found}) if found else self.none()


def code_id(model: type[models.Model], code: str) -> int | None:
    """The id of the reference row (region, category, program…) with this code."""
    found: int | None = model._default_manager.filter(code=code).values_list("id", flat=True).first()
    return found
