"""Activity queries start from the user: a PSM sees only their own reports, a TKSK the kecamatan, Dinsos the city."""

from typing import TYPE_CHECKING

from django.db.models import Q

from pilar.accounts.permissions import Access, Perm
from pilar.regions.models import Region
from pilar.regions.querysets import AreaQuerySet

if TYPE_CHECKING:
    from pilar.activities.models import ActivityReport  # noqa: F401 (named in a string: the models import this module)


class ActivityReportQuerySet(AreaQuerySet["ActivityReport"]):
    view_perm = Perm.ACTIVITY_VIEW
    restriction_paths = ("worker__person",)

    def seen_by(self, user, access: Access) -> Q:
        # A PSM's reports are their own, not the neighbours' in the same kelurahan.
        return Q(kecamatan_id__in=access.kecamatan_ids) | Q(worker__user=user)

    def for_period(self, period) -> "ActivityReportQuerySet":
        return self.filter(period=period)

    def accepted(self) -> "ActivityReportQuerySet":
        return self.filter(status=self.model.Status.ACCEPTED)

    def awaiting_check(self) -> "ActivityReportQuerySet":
        return self.filter(status=self.model.Status.SUBMITTED)

    def listing(self) -> "ActivityReportQuerySet":
        return self.select_related("worker__person", "kecamatan", "kelurahan", "decided_by")


class RoadshowVisitQuerySet(AreaQuerySet):
    view_perm = Perm.ACTIVITY_VIEW
    restriction_paths: tuple[str, ...] = ()  # a stop names no person

    def seen_by(self, user, access: Access) -> Q:
        # A PSM sees the stops in their kecamatan too: the roadshow is announced to the whole kecamatan.
        kecamatan_ids = set(access.kecamatan_ids)
        if access.village_ids:
            kecamatan_ids |= set(Region.objects.filter(id__in=access.village_ids).values_list("parent_id", flat=True))
        return Q(kecamatan_id__in=kecamatan_ids)

    def listing(self) -> "RoadshowVisitQuerySet":
        return self.select_related("region", "kecamatan")
