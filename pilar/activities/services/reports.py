"""Every change to activity reports: one function each, in a transaction, with its audit entry.

A PSM writes the month's report (draf), adds visits and photos, and submits it (diajukan). The TKSK of
the kecamatan, or Dinsos, accepts it (diterima: final, the payroll reads it) or returns it with a reason
(dikembalikan), after which the PSM corrects and submits again. Nobody checks their own report.
The steps are declared in ``pilar.activities.workflow`` (``REPORT``); each step's service calls its guard first.
The PPKS counts are read from the registry at every save and at submission, so they cannot be inflated.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import Role, RoleAssignment, User
from pilar.accounts.permissions import Perm, can
from pilar.activities.models import ActivityReport, ReportPhoto, ReportVisit
from pilar.activities.selectors import cases_handled, month_start, registry_counts
from pilar.activities.workflow import REPORT
from pilar.core.errors import DomainError, field_error, required_text
from pilar.notifications.services import notify
from pilar.workers.models import Worker, WorkerRole, WorkerStatus

S = ActivityReport.Status
FIGURES = ("visits", "ppks_found", "ppks_proposed", "cases_handled", "info_relayed")
TEXTS = ("ppks_notes", "info_notes", "notes")
MAX_PHOTOS = 6


@dataclass
class ReportData:
    """What the PSM types; the PPKS counts are not here because they come from the registry."""

    visits: int = 0
    cases_handled: int = 0
    info_relayed: int = 0
    ppks_notes: str = ""
    info_notes: str = ""
    notes: str = ""


def _editable(report: ActivityReport, actor: User) -> ActivityReport:
    """The report re-read under a row lock, once its author may still change it (a draft or a returned one)."""
    report = ActivityReport.objects.select_for_update().get(pk=report.pk)
    if report.worker.user_id is None or report.worker.user_id != actor.pk:
        raise PermissionDenied(_("Hanya PSM pemilik laporan yang dapat mengubah atau mengajukannya."))
    if not report.editable:
        raise DomainError(_("Laporan yang sudah diajukan atau diterima tidak dapat diubah."), code="conflict")
    return report


def _refresh_counts(report: ActivityReport) -> None:
    for field, value in registry_counts(report.worker.user, report.period).items():
        setattr(report, field, value)
    cases = cases_handled(report.worker.user, report.period)
    if cases is not None:  # counted from the case records; typed in only where cases are kept elsewhere
        report.cases_handled = cases


def _check_visits(report: ActivityReport) -> None:
    listed = report.visit_entries.count() if report.pk else 0
    if report.visits < listed:
        raise field_error(
            "visits",
            _("Jumlah kunjungan (%(n)s) lebih kecil dari kunjungan yang dirinci (%(listed)s).")
            % {"n": report.visits, "listed": listed},
        )


@transaction.atomic
def report_create(*, actor: User, worker: Worker, period: Any, data: ReportData) -> ActivityReport:
    """The PSM's report for a month (draf), in the area the PSM serves now."""
    period = month_start(period)
    if worker.user_id != actor.pk or not can(actor, Perm.ACTIVITY_REPORT):
        raise PermissionDenied(_("Laporan kegiatan dibuat oleh PSM sendiri."))
    if worker.role != WorkerRole.PSM or worker.status != WorkerStatus.ACTIVE or worker.kelurahan_id is None:
        raise field_error("period", _("Hanya PSM aktif yang membuat laporan kegiatan bulanan."))
    if period > month_start(timezone.localdate()):
        raise field_error("period", _("Laporan tidak dapat dibuat untuk bulan yang belum berjalan."))
    if period < month_start(worker.joined_on):
        raise field_error("period", _("Bulan ini sebelum PSM mulai bertugas."))
    report = ActivityReport(
        worker=worker,
        period=period,
        kecamatan_id=worker.kecamatan_id,
        kelurahan_id=worker.kelurahan_id,
        created_by=actor,
        **data.__dict__,
    )
    _refresh_counts(report)
    message = _("Laporan bulan ini sudah ada; buka dan lengkapi laporan tersebut.")
    duplicate = field_error("period", message, "duplicate")
    if ActivityReport.objects.filter(worker=worker, period=period).exists():
        raise duplicate
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # the same month created at the same moment on another phone
        raise duplicate from exc
    audit.record_created(actor, "activities.report.created", report, ("period", *FIGURES))
    return report


@transaction.atomic
def report_update(*, actor: User, report: ActivityReport, data: ReportData) -> ActivityReport:
    report = _editable(report, actor)
    before = audit.snapshot(report, FIGURES + TEXTS)
    for field, value in data.__dict__.items():
        setattr(report, field, value)
    _refresh_counts(report)
    _check_visits(report)
    report.save()
    audit.record(
        actor, "activities.report.updated", report, changes=audit.diff(before, audit.snapshot(report, FIGURES + TEXTS))
    )
    return report


@transaction.atomic
def report_add_visit(*, actor: User, report: ActivityReport, date: Any, place: str, purpose: str = "") -> ReportVisit:
    report = _editable(report, actor)
    if month_start(date) != report.period:
        raise field_error("date", _("Tanggal kunjungan harus dalam bulan laporan."))
    visit = ReportVisit.objects.create(report=report, date=date, place=place.strip(), purpose=purpose.strip())
    # The listed visits are part of the count: the count follows when the list outgrows it.
    listed = report.visit_entries.count()
    if report.visits < listed:
        report.visits = listed
        report.save(update_fields=["visits", "updated_at"])
    audit.record(actor, "activities.report.visit_added", report, data={"date": date, "place": visit.place})
    return visit


@transaction.atomic
def report_remove_visit(*, actor: User, report: ActivityReport, visit_id: int) -> None:
    report = _editable(report, actor)
    deleted, _rows = ReportVisit.objects.filter(report=report, pk=visit_id).delete()
    if deleted:
        audit.record(actor, "activities.report.visit_removed", report, data={"visit": visit_id})


@transaction.atomic
def report_add_photo(
    *, actor: User, report: ActivityReport, upload: Any, content_type: str, caption: str = ""
) -> ReportPhoto:
    """A photo already checked by ``pilar.core.uploads`` (its type read from its bytes)."""
    report = _editable(report, actor)
    if report.photos.count() >= MAX_PHOTOS:
        raise field_error("file", _("Paling banyak %(n)s foto per laporan.") % {"n": MAX_PHOTOS})
    photo = ReportPhoto(
        report=report, caption=caption.strip(), content_type=content_type, size=upload.size, uploaded_by=actor
    )
    photo.file.save(upload.name, upload, save=False)
    photo.save()
    audit.record(actor, "activities.report.photo_added", report, data={"photo": photo.pk, "size": photo.size})
    return photo


@transaction.atomic
def report_remove_photo(*, actor: User, report: ActivityReport, photo_id: int) -> None:
    report = _editable(report, actor)
    photo = ReportPhoto.objects.filter(report=report, pk=photo_id).first()
    if photo is None:
        return
    name, storage = photo.file.name, photo.file.storage
    photo.delete()
    if name:  # the file goes only once the row is gone for good
        transaction.on_commit(lambda: storage.delete(name))
    audit.record(actor, "activities.report.photo_removed", report, data={"photo": photo_id})


@transaction.atomic
def report_submit(*, actor: User, report: ActivityReport) -> ActivityReport:
    report = REPORT.guard("submit", report, actor)
    _refresh_counts(report)
    _check_visits(report)
    old = report.status
    report.status, report.submitted_at = S.SUBMITTED, timezone.now()
    report.return_reason = ""
    report.save()
    audit.record(
        actor,
        "activities.report.submitted",
        report,
        changes={"status": [old, report.status]},
        data={"ppks_found": report.ppks_found, "ppks_proposed": report.ppks_proposed},
    )
    checkers = RoleAssignment.objects.current().filter(role=Role.TKSK, region_id=report.kecamatan_id)
    notify(
        recipients=(grant.user for grant in checkers.select_related("user")),
        kind="activities.report_submitted",
        title=_("Laporan kegiatan %(name)s bulan %(period)s menunggu pemeriksaan")
        % {"name": report.worker.person.name, "period": report.period_label},
        url=report.get_absolute_url(),
    )
    return report


def _decide(report: ActivityReport, actor: User, status: str, reason: str = "") -> None:
    old = report.status
    report.status, report.decided_by, report.decided_at, report.return_reason = status, actor, timezone.now(), reason
    report.save(update_fields=["status", "decided_by", "decided_at", "return_reason", "updated_at"])
    action = "accepted" if status == S.ACCEPTED else "returned"
    audit.record(
        actor,
        f"activities.report.{action}",
        report,
        changes={"status": [old, status]},
        data={"reason": reason} if reason else None,
    )


@transaction.atomic
def report_accept(*, actor: User, report: ActivityReport) -> ActivityReport:
    report = REPORT.guard("accept", report, actor)
    _decide(report, actor, S.ACCEPTED)
    notify(
        recipients=[report.worker.user],
        kind="activities.report_accepted",
        title=_("Laporan kegiatan bulan %(period)s diterima") % {"period": report.period_label},
        url=report.get_absolute_url(),
    )
    return report


@transaction.atomic
def report_return(*, actor: User, report: ActivityReport, reason: str) -> ActivityReport:
    why = _("Tuliskan alasan laporan dikembalikan, agar PSM tahu apa yang diperbaiki.")
    reason = required_text("reason", reason, why)
    report = REPORT.guard("return", report, actor)
    _decide(report, actor, S.RETURNED, reason)
    notify(
        recipients=[report.worker.user],
        kind="activities.report_returned",
        title=_("Laporan kegiatan bulan %(period)s dikembalikan untuk diperbaiki") % {"period": report.period_label},
        url=report.get_absolute_url(),
        body=reason,
    )
    return report
