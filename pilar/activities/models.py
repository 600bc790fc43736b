"""PSM monthly activity reports (checked by the kecamatan's TKSK) and the Dinsos roadshow plan."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.activities.querysets import ActivityReportQuerySet, RoadshowVisitQuerySet
from pilar.core.models import TimeStampedModel
from pilar.regions.models import AreaScoped, region_key


class ActivityReport(AreaScoped, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SUBMITTED = "diajukan", _("Diajukan")
        ACCEPTED = "diterima", _("Diterima")
        RETURNED = "dikembalikan", _("Dikembalikan")

    worker = models.ForeignKey(
        "workers.Worker", on_delete=models.PROTECT, related_name="activity_reports", verbose_name=_("PSM")
    )
    # Always the first day of the month reported on: the services normalise it. No CHECK on the day,
    # because SQLite would need Django's own SQL function inside the schema to evaluate it.
    period = models.DateField(_("periode"))
    # The area the PSM served when the report was made: a later transfer must not move old
    # reports into another TKSK's queue or another kecamatan's recap.
    kecamatan = region_key(_("kecamatan"))
    kelurahan = region_key(_("kelurahan"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    visits = models.PositiveIntegerField(_("jumlah kunjungan"), default=0)
    ppks_found = models.PositiveIntegerField(_("PPKS ditemukan"), default=0)
    ppks_proposed = models.PositiveIntegerField(_("PPKS diusulkan"), default=0)
    ppks_notes = models.TextField(_("catatan PPKS"), blank=True)
    cases_handled = models.PositiveIntegerField(_("kasus ditangani"), default=0)
    info_relayed = models.PositiveIntegerField(_("sosialisasi program"), default=0)
    info_notes = models.TextField(_("catatan sosialisasi"), blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    decided_by = user_key(_("diperiksa oleh"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)
    return_reason = models.TextField(_("alasan dikembalikan"), blank=True)
    created_by = user_key(null=True, blank=True)

    objects = ActivityReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "kecamatan__code", "kelurahan__code", "id"]
        verbose_name = _("laporan kegiatan")
        verbose_name_plural = _("laporan kegiatan")
        constraints = [
            models.UniqueConstraint(fields=["worker", "period"], name="one_activity_report_per_worker_month"),
            models.CheckConstraint(
                condition=~Q(status="dikembalikan") | ~Q(return_reason=""),
                name="returned_activity_report_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "status"]),
            models.Index(fields=["kecamatan", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.period:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return f"{self.period:%Y-%m}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ReportVisit(models.Model):
    """One home visit listed in a report (optional: the count on the report is what counts)."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="visit_entries")
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat / alamat"), max_length=200)
    purpose = models.CharField(_("keperluan"), max_length=250, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("kunjungan")
        verbose_name_plural = _("kunjungan")

    def __str__(self) -> str:
        return f"{self.date} {self.place}"


def _photo_path(instance: "ReportPhoto", filename: str) -> str:
    return f"activities/{instance.report.period:%Y/%m}/{instance.report_id}/{filename}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("foto"), upload_to=_photo_path, max_length=250)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = user_key()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("foto kegiatan")
        verbose_name_plural = _("foto kegiatan")

    def __str__(self) -> str:
        return self.caption or str(self.file)  # the stored name


class RoadshowVisit(TimeStampedModel):
    """A planned Dinsos roadshow stop at a kecamatan or a kelurahan; done once held."""

    class Status(models.TextChoices):
        PLANNED = "rencana", _("Direncanakan")
        DONE = "selesai", _("Terlaksana")
        CANCELLED = "batal", _("Batal")

    region = region_key(_("wilayah"))
    # The kecamatan of the stop (the region itself for a kecamatan-level stop): scoping and recap filter on it.
    kecamatan = region_key(_("kecamatan"))
    planned_date = models.DateField(_("tanggal rencana"))
    done_date = models.DateField(_("tanggal pelaksanaan"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PLANNED, db_index=True)
    topic = models.CharField(_("tema"), max_length=200, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    created_by = user_key(null=True, blank=True)

    objects = RoadshowVisitQuerySet.as_manager()

    class Meta:
        ordering = ["planned_date", "kecamatan__code", "region__code", "id"]
        verbose_name = _("kunjungan roadshow")
        verbose_name_plural = _("kunjungan roadshow")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="selesai", done_date__isnull=False)
                | (~Q(status="selesai") & Q(done_date__isnull=True)),
                name="roadshow_done_has_date",
            ),
            # One stop per area per day; a cancelled one may be planned again on the same day.
            models.UniqueConstraint(
                fields=["region", "planned_date"], condition=~Q(status="batal"), name="one_roadshow_stop_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.planned_date}"

    def scope_area(self) -> tuple[int | None, int | None]:
        region_is_village = self.region_id != self.kecamatan_id
        return self.kecamatan_id, (self.region_id if region_is_village else None)


class ReportReminder(models.Model):
    """That a PSM was reminded of a month's missing report: once per month, never twice."""

    worker = models.ForeignKey("workers.Worker", on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("periode"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat laporan")
        verbose_name_plural = _("pengingat laporan")
        constraints = [models.UniqueConstraint(fields=["worker", "period"], name="one_report_reminder_per_month")]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.period:%Y-%m}"
