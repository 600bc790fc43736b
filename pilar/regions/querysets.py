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
        """Filter by region codes, resolved to ids first: a join on the code would keep PostgreSQL from
        walking the (kelurahan, …, id) indexes and cost a million-row registry a hash join."""
        qs = self
        for field, code in (("kecamatan_id", kecamatan), ("kelurahan_id", kelurahan)):
            if code:
                region_id = Region.objects.filter(code=code).values_list("id", flat=True).first()
                qs = qs.filter(**{field: region_id}) if region_id else qs.none()
        return qs
