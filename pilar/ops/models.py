"""What operations leave behind for the admin and for monitoring: backups made, scheduled job runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Backup(models.Model):
    """One archive written by ``pilar backup`` (the archive itself lives outside the database)."""

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    path = models.CharField(_("berkas"), max_length=500)
    size = models.BigIntegerField(_("ukuran (bita)"), default=0)
    encrypted = models.BooleanField(_("terenkripsi"), default=False)
    tables = models.PositiveIntegerField(_("tabel"), default=0)
    rows = models.BigIntegerField(_("baris"), default=0)
    media_files = models.PositiveIntegerField(_("berkas unggahan"), default=0)
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cadangan")
        verbose_name_plural = _("cadangan")

    def __str__(self) -> str:
        return self.path


class JobRun(models.Model):
    """The last run of one periodic job (shown to the admin; one row per job, updated in place)."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", _("diantrekan")
        OK = "ok", _("berhasil")
        FAILED = "failed", _("gagal")

    job = models.CharField(_("pekerjaan"), max_length=80, unique=True)
    slot = models.DateTimeField(_("jadwal terakhir"))
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=10, choices=Outcome.choices, default=Outcome.QUEUED)
    message = models.TextField(_("keterangan"), blank=True)

    class Meta:
        ordering = ["job"]
        verbose_name = _("pekerjaan terjadwal")
        verbose_name_plural = _("pekerjaan terjadwal")

    def __str__(self) -> str:
        return self.job
