"""Activity queries start from the user: a PSM sees only their own reports, a TKSK the kecamatan, Dinsos the city."""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from pilar.accounts.permissions import Perm, access_for
from pilar.identity.restriction import restriction_aware
from pilar.regions.models import Region

if TYPE_CHECKING:
    from pilar.activities.models import ActivityReport  # noqa: F401 (named in a string: the models import this module)


def _region_id(code: str) -> int | None:
    return Region.objects.filter(code=code).values_list("id", flat=True).first()


class ActivityReportQuerySet(models.QuerySet["ActivityReport"]):
    @restriction_aware("worker__person")
    def visible_to(self, user) -> "ActivityReportQuerySet":
        access = access_for(user)
        if Perm.ACTIVITY_VIEW not in access.perms:
            return self.none()
        if access.city_wide:
            return self.all()
        # A PSM's reports are their own, not the neighbours' in the same kelurahan.
        return self.filter(Q(kecamatan_id__in=access.kecamatan_ids) | Q(worker__user=user))

    def for_period(self, period) -> "ActivityReportQuerySet":
        return self.filter(period=period)

    def accepted(self) -> "ActivityReportQuerySet":
        return self.filter(status=self.model.Status.ACCEPTED)

    def awaiting_check(self) -> "ActivityReportQuerySet":
        return self.filter(status=self.model.Status.SUBMITTED)

    def filter_area(self, *, kecamatan: str = "", kelurahan: str = "") -> "ActivityReportQuerySet":
        """Filter by region codes, resolved to ids first so the (kecamatan, period) index is usable."""
        qs = self
        for field, code in (("kecamatan_id", kecamatan), ("kelurahan_id", kelurahan)):
            if code:
                region_id = _region_id(code)
                qs = qs.filter(**{field: region_id}) if region_id else qs.none()
        return qs

    def listing(self) -> "ActivityReportQuerySet":
        return self.select_related("worker__person", "kecamatan", "kelurahan", "decided_by")


class RoadshowVisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RoadshowVisitQuerySet":
        access = access_for(user)
        if Perm.ACTIVITY_VIEW not in access.perms:
            return self.none()
        if access.city_wide:
            return self.all()
        # A PSM sees the stops in their kecamatan too: the roadshow is announced to the whole kecamatan.
        kecamatan_ids = set(access.kecamatan_ids)
        if access.village_ids:
            kecamatan_ids |= set(Region.objects.filter(id__in=access.village_ids).values_list("parent_id", flat=True))
        return self.filter(kecamatan_id__in=kecamatan_ids)

    def listing(self) -> "RoadshowVisitQuerySet":
        return self.select_related("region", "kecamatan")
