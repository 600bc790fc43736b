"""Who sees which case: PSM their kelurahan (and cases assigned or being handed to them), TKSK their
kecamatan, Dinsos and the head of office the city. Agency (OPD) users see none here; they see referrals."""

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from pilar.accounts.permissions import Perm, access_for
from pilar.identity.restriction import restriction_aware
from pilar.regions.models import Region


class CaseQuerySet(models.QuerySet):
    @restriction_aware()
    def visible_to(self, user):
        access = access_for(user)
        if Perm.CASE_VIEW not in access.perms:
            return self.none()
        if access.city_wide:
            return self.all()
        from pilar.cases.models import CaseAssignment, Transfer

        mine = CaseAssignment.objects.filter(user=user).values("case_id")
        incoming = Transfer.objects.filter(to_user=user, status=Transfer.Status.PENDING).values("case_id")
        return self.filter(
            Q(kecamatan_id__in=access.kecamatan_ids)
            | Q(kelurahan_id__in=access.village_ids)
            | Q(pk__in=mine)
            | Q(pk__in=incoming)
        )

    def open(self) -> "CaseQuerySet":
        return self.exclude(stage="ditutup")

    def closed(self):
        return self.filter(stage="ditutup")

    def overdue(self, now: datetime | None = None, limits: dict[str, timedelta] | None = None):
        """Open cases that entered their stage longer ago than the stage's target allows (``limits``: the
        targets already read, so that a page showing several overdue lists reads them once)."""
        from pilar.cases.reference import stage_limits

        now = now or timezone.now()
        late = Q()
        for stage, limit in (limits if limits is not None else stage_limits()).items():
            late |= Q(stage=stage, stage_started_at__lt=now - limit)
        return self.filter(late)

    def assigned_to(self, user):
        return self.filter(assignments__user=user)

    def filter_area(self, *, kecamatan: str = "", kelurahan: str = ""):
        qs = self
        for field, code in (("kecamatan_id", kecamatan), ("kelurahan_id", kelurahan)):
            if code:
                region_id = Region.objects.filter(code=code).values_list("id", flat=True).first()
                qs = qs.filter(**{field: region_id}) if region_id else qs.none()
        return qs

    def listing(self):
        return self.select_related("kelurahan", "kecamatan", "category", "person", "household__head")
