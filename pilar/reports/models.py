"""Official reports kept as immutable snapshots: the figures as of their making, and the very files sent.

A report that went to the Wali Kota must be shown again unchanged a year later, when the registry has moved on:
so the PDF and XLSX are stored as made (bytes in the database, backed up with it), with their SHA-256, and the
figures they were drawn from as JSON. Nothing updates a snapshot; a new one is made instead.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key


class ReportKind(models.TextChoices):
    PPKS = "ppks", _("Rekapitulasi PPKS per kecamatan/kelurahan")
    WORKFORCE = "psm_tksk", _("Data PSM dan TKSK per kelurahan")
    PROGRAMS = "program", _("Realisasi program")
    CASES = "kasus", _("Penanganan kasus dan rujukan")
    INCENTIVES = "insentif", _("Insentif PSM: realisasi dan anggaran")


class ReportSnapshot(models.Model):
    kind = models.CharField(_("jenis"), max_length=10, choices=ReportKind.choices)
    period = models.CharField(_("periode"), max_length=7)  # "2026-11" (a month) or "2026" (a year)
    figures = models.JSONField(_("angka"))  # the tables as drawn, as of created_at
    pdf = models.BinaryField(_("PDF"))
    xlsx = models.BinaryField(_("XLSX"))
    checksum = models.CharField(_("SHA-256 PDF"), max_length=64)
    xlsx_checksum = models.CharField(_("SHA-256 XLSX"), max_length=64)
    automatic = models.BooleanField(_("dibuat otomatis"), default=False)  # by the task worker after month end
    created_by = user_key(_("dibuat oleh"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "period"], name="report_kind_period")]
        constraints = [
            # The worker makes one automatic report per kind and period, however often it runs.
            models.UniqueConstraint(
                fields=["kind", "period"], condition=models.Q(automatic=True), name="report_one_automatic"
            ),
        ]
        verbose_name = _("laporan resmi")
        verbose_name_plural = _("laporan resmi")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label}"

    @property
    def period_label(self) -> str:
        """'November 2026' or 'Tahun 2026'."""
        from pilar.incentives.eligibility import MONTHS_ID

        if len(self.period) == 7:
            return f"{MONTHS_ID[int(self.period[5:]) - 1]} {self.period[:4]}"
        return f"Tahun {self.period}"
