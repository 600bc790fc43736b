"""Roadshow stops: planned by Dinsos at a kecamatan or kelurahan, then held (with its date) or cancelled.
The steps are declared in ``pilar.activities.workflow`` (``ROADSHOW``); each calls its guard first."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.accounts.permissions import Perm, can
from pilar.activities.models import RoadshowVisit
from pilar.activities.workflow import ROADSHOW
from pilar.core.errors import field_error, not_future, required_text
from pilar.regions.models import Region
from pilar.regions.selectors import kecamatan_of


@transaction.atomic
def roadshow_plan(*, actor: User, region: Region, planned_date: date, topic: str = "", note: str = "") -> RoadshowVisit:
    """A planned stop at a kecamatan or a kelurahan of the city."""
    if not can(actor, Perm.ROADSHOW_MANAGE):
        raise PermissionDenied
    kecamatan = kecamatan_of(region)
    if kecamatan is None:
        raise field_error("region", _("Pilih kecamatan atau kelurahan."))
    already = field_error("planned_date", _("Kunjungan ke wilayah ini pada tanggal itu sudah direncanakan."))
    if RoadshowVisit.objects.filter(region=region, planned_date=planned_date).exclude(status="batal").exists():
        raise already
    visit = RoadshowVisit(
        region=region,
        kecamatan=kecamatan,
        planned_date=planned_date,
        topic=topic.strip(),
        note=note.strip(),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError as exc:  # planned by someone else at the same moment
        raise already from exc
    audit.record_created(actor, "activities.roadshow.planned", visit, ("region", "planned_date", "topic"))
    return visit


def _finish(
    visit: RoadshowVisit, actor: User, status: str, note: str, action: str, data: dict[str, Any]
) -> RoadshowVisit:
    """A planned stop held or cancelled: its new status, ``note`` below the plan's, and the audit entry."""
    old, visit.status = visit.status, status
    visit.note = "\n".join(part for part in (visit.note, note) if part)
    visit.save()
    audit.record(actor, action, visit, changes={"status": [old, visit.status]}, data=data)
    return visit


@transaction.atomic
def roadshow_complete(*, actor: User, visit: RoadshowVisit, done_date: date, note: str = "") -> RoadshowVisit:
    visit = ROADSHOW.guard("done", visit, actor)
    not_future("done_date", done_date, _("Tanggal pelaksanaan tidak boleh di masa depan."))
    visit.done_date = done_date
    done = RoadshowVisit.Status.DONE
    return _finish(visit, actor, done, note.strip(), "activities.roadshow.done", {"done_date": done_date})


@transaction.atomic
def roadshow_cancel(*, actor: User, visit: RoadshowVisit, reason: str) -> RoadshowVisit:
    reason = required_text("reason", reason, _("Tuliskan alasan pembatalan."))
    visit = ROADSHOW.guard("cancel", visit, actor)
    note = _("Batal: %(r)s") % {"r": reason}
    cancelled = RoadshowVisit.Status.CANCELLED
    return _finish(visit, actor, cancelled, note, "activities.roadshow.cancelled", {"reason": reason})
