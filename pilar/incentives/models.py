"""The PSM incentive: a rate schedule, one payroll run per month, its lines, its exclusions and corrections.

A line stores everything the bank and the auditor need (rate, days, amount, account) as it was when the
run was generated, so a later rate, transfer or bank change never alters a past run.
"""

from typing import TypedDict

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.core.models import TimeStampedModel
from pilar.incentives.querysets import PayrollLineQuerySet, PayrollRunQuerySet
from pilar.regions.models import AreaScoped, region_key


class _Money(TypedDict):
    max_digits: int
    decimal_places: int


# Whole rupiah. Typed, so that ``**MONEY`` reaches the checker as these two arguments and nothing else.
MONEY: _Money = {"max_digits": 14, "decimal_places": 0}


class ProrationRule(models.TextChoices):
    """How a PSM who joins or leaves during the month is paid."""

    FULL = "full", _("Penuh (aktif minimal satu hari)")
    PRORATED = "prorated", _("Prorata menurut hari aktif")
    NONE = "none", _("Tidak dibayar (harus aktif sebulan penuh)")


class IncentiveRate(TimeStampedModel):
    """The monthly amount per PSM from ``effective_from`` (the first day of a month) until the next rate."""

    effective_from = models.DateField(_("berlaku mulai"), unique=True)
    amount = models.DecimalField(_("besaran per bulan"), **MONEY)
    legal_basis = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    created_by = user_key(null=True, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("tarif insentif")
        verbose_name_plural = _("tarif insentif")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="incentive_rate_positive")]

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m}: {self.amount}"


class PayrollRun(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        APPROVED = "disetujui", _("Disetujui")

    # Always the first day of the month paid.
    period = models.DateField(_("periode"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    rule = models.CharField(_("aturan masuk/keluar di tengah bulan"), max_length=8, choices=ProrationRule.choices)
    require_report = models.BooleanField(_("wajib laporan bulanan diterima"), default=False)
    line_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    total = models.DecimalField(_("jumlah"), default=0, **MONEY)
    exclusion_count = models.PositiveIntegerField(_("jumlah dikecualikan"), default=0)
    generated_by = user_key(_("dibuat oleh"))
    generated_at = models.DateTimeField(_("dibuat pada"))
    approved_by = user_key(_("disetujui oleh"), null=True, blank=True)
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)

    objects = PayrollRunQuerySet.as_manager()

    class Meta:
        ordering = ["-period"]
        verbose_name = _("penggajian insentif")
        verbose_name_plural = _("penggajian insentif")
        constraints = [
            # Maker-checker, also for anyone writing to the table directly.
            models.CheckConstraint(
                condition=Q(status="draf") | (Q(approved_by__isnull=False) & ~Q(approved_by=models.F("generated_by"))),
                name="payroll_run_approved_by_another_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Insentif PSM {self.period:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("incentives:run_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class LineKind(models.TextChoices):
    REGULAR = "reguler", _("Reguler")
    ARREARS = "susulan", _("Susulan")  # a month not paid before, paid in a later run
    CORRECTION = "koreksi", _("Koreksi")  # a top-up for a month already paid

    @classmethod
    def paying_the_month(cls) -> list[str]:
        return [cls.REGULAR, cls.ARREARS]


class PayrollLine(AreaScoped, models.Model):
    # No single-column indexes on the keys: every index costs each of a run's 100,000 inserts, and the
    # composite indexes below lead with ``run`` and ``worker``; the regions are never searched by line.
    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="lines", db_index=False)
    worker = models.ForeignKey("workers.Worker", on_delete=models.PROTECT, related_name="payroll_lines", db_index=False)
    kind = models.CharField(_("jenis"), max_length=8, choices=LineKind.choices, default=LineKind.REGULAR)
    paid_month = models.DateField(_("bulan dibayar"))
    kecamatan = region_key(db_index=False)
    kelurahan = region_key(db_index=False)
    name = models.CharField(_("nama"), max_length=150)
    bank_name = models.CharField(_("bank"), max_length=60)
    account_number = models.CharField(_("nomor rekening"), max_length=30)
    account_holder = models.CharField(_("nama pemilik rekening"), max_length=150)
    rate = models.DecimalField(_("tarif"), **MONEY)
    active_days = models.PositiveSmallIntegerField(_("hari aktif"))
    days_in_month = models.PositiveSmallIntegerField(_("hari dalam bulan"))
    amount = models.DecimalField(_("jumlah"), **MONEY)
    note = models.CharField(_("keterangan"), max_length=250, blank=True)

    objects = PayrollLineQuerySet.as_manager()

    class Meta:
        ordering = ["kecamatan__code", "kelurahan__code", "name", "id"]
        verbose_name = _("baris penggajian")
        verbose_name_plural = _("baris penggajian")
        constraints = [
            # A PSM is never paid twice for the same month: at most one regular or arrears line per
            # (worker, month) in the whole table. Lines exist only in live runs (a discarded draft's
            # lines are deleted), so no status join is needed and the index works on both databases.
            models.UniqueConstraint(
                fields=["worker", "paid_month"],
                condition=Q(kind__in=["reguler", "susulan"]),
                name="psm_paid_once_per_month",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payroll_line_amount_positive"),
            models.CheckConstraint(condition=Q(active_days__lte=models.F("days_in_month")), name="payroll_line_days"),
        ]
        indexes = [models.Index(fields=["run", "kecamatan"]), models.Index(fields=["worker", "paid_month"])]

    def __str__(self) -> str:
        return f"{self.name} {self.paid_month:%Y-%m}"


class PayrollExclusion(models.Model):
    """A PSM posted in the month who is not paid by this run, and why."""

    class Reason(models.TextChoices):
        NOT_ACTIVE = "tidak_aktif", _("Tidak aktif pada bulan ini")
        JOINED = "bergabung", _("Bergabung di tengah bulan")
        LEFT = "keluar", _("Berhenti/nonaktif di tengah bulan")
        NO_BANK = "tanpa_rekening", _("Belum ada rekening bank")
        NO_REPORT = "tanpa_laporan", _("Laporan bulanan belum diterima")
        PAID = "sudah_dibayar", _("Sudah dibayar")
        NO_RATE = "tanpa_tarif", _("Belum ada tarif")

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="exclusions")
    worker = models.ForeignKey("workers.Worker", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("alasan"), max_length=16, choices=Reason.choices)
    detail = models.CharField(_("rincian"), max_length=250)
    kecamatan = region_key()
    name = models.CharField(_("nama"), max_length=150)

    class Meta:
        ordering = ["kecamatan__code", "name", "id"]
        verbose_name = _("PSM dikecualikan")
        verbose_name_plural = _("PSM dikecualikan")
        constraints = [models.UniqueConstraint(fields=["run", "worker"], name="one_exclusion_per_worker_run")]

    def __str__(self) -> str:
        return f"{self.name}: {self.detail}"


class Adjustment(TimeStampedModel):
    """A correction decided after a month's run was approved; the next generated run pays it as a line."""

    worker = models.ForeignKey("workers.Worker", on_delete=models.PROTECT, related_name="+", verbose_name=_("PSM"))
    paid_month = models.DateField(_("bulan yang dikoreksi"))
    amount = models.DecimalField(_("jumlah"), **MONEY)
    reason = models.CharField(_("alasan"), max_length=250)
    created_by = user_key()
    # Set when a run takes the adjustment in; cleared again if that run is a draft that is discarded.
    line = models.OneToOneField(
        PayrollLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="adjustment"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("koreksi insentif")
        verbose_name_plural = _("koreksi insentif")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="adjustment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.paid_month:%Y-%m} {self.amount}"
