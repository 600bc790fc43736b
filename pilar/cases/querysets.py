"""Who sees which case: PSM their kelurahan (and cases assigned or being handed to them), TKSK their
kecamatan, Dinsos and the head of office the city. Agency (OPD) users see none here; they see referrals."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from pilar.accounts.permissions import Access, Perm
from pilar.regions.querysets import AreaQuerySet


class CaseQuerySet(AreaQuerySet):
    view_perm = Perm.CASE_VIEW

    def seen_by(self, user, access: Access) -> Q:
        from pilar.cases.models import CaseAssignment, Transfer

        mine = CaseAssignment.objects.filter(user=user).values("case_id")
        incoming = Transfer.objects.filter(to_user=user, status=Transfer.Status.PENDING).values("case_id")
        return super().seen_by(user, access) | Q(pk__in=mine) | Q(pk__in=incoming)

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

    def listing(self):
        return self.select_related("kelurahan", "kecamatan", "category", "person", "household__head")
