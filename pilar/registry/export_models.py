"""A big export written by the task worker: its state, progress and file (``pilar.registry.export_jobs``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pilar.registry.job_models import WorkerJob


class ExportJob(WorkerJob):
    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Layout(models.TextChoices):
        PILAR = "pilar", _("Kolom Pilar")
        DTKS = "dtks", _("BNBA DTKS (kolom Kemensos)")

    class Status(models.TextChoices):
        QUEUED = "antre", _("Menunggu")
        RUNNING = "berjalan", _("Berjalan")
        DONE = "selesai", pgettext_lazy("export status", "Selesai")
        FAILED = "gagal", _("Gagal")

    # The file holds what this user may see: only this user downloads it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    layout = models.CharField(_("susunan kolom"), max_length=5, choices=Layout.choices, default=Layout.PILAR)
    filters = models.JSONField(_("filter"), default=dict, blank=True)  # PpksFilter's fields, as on the list
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ekspor")
        verbose_name_plural = _("ekspor")

    def __str__(self) -> str:
        return f"{self.get_format_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return min(100, self.done_rows * 100 // self.total_rows) if self.total_rows else 0
