"""The social workforce: PSM (one kelurahan) and TKSK (one kecamatan), their postings, decrees and IPSM board."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pilar.core.models import TimeStampedModel, span_ordered
from pilar.regions.models import AreaScoped, region_key
from pilar.workers.querysets import WorkerQuerySet


class WorkerRole(models.TextChoices):
    PSM = "psm", _("PSM")
    TKSK = "tksk", _("TKSK")


class WorkerStatus(models.TextChoices):
    ACTIVE = "aktif", _("Aktif")
    INACTIVE = "nonaktif", _("Nonaktif")
    STOPPED = "berhenti", _("Berhenti")


class Worker(AreaScoped, TimeStampedModel):
    person = models.OneToOneField("identity.Person", on_delete=models.PROTECT, related_name="worker")
    role = models.CharField(_("peran"), max_length=4, choices=WorkerRole.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=8, choices=WorkerStatus.choices, default=WorkerStatus.ACTIVE, db_index=True
    )
    status_date = models.DateField(_("tanggal status"))
    status_reason = models.CharField(_("alasan status"), max_length=250, blank=True)
    # Where the worker serves now, kept in step with the open Assignment so that lists and
    # scoping filter on plain columns. PSM: kelurahan and its kecamatan; TKSK: kecamatan only.
    kecamatan = region_key(_("kecamatan"))
    kelurahan = region_key(_("kelurahan"), null=True, blank=True)
    joined_on = models.DateField(_("bertugas sejak"))
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    account_number = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    account_holder = models.CharField(_("nama pemilik rekening"), max_length=150, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worker",
        verbose_name=_("akun pengguna"),
    )

    objects = WorkerQuerySet.as_manager()

    class Meta:
        ordering = ["kecamatan__code", "kelurahan__code", "person__name_normalized", "id"]
        verbose_name = _("pekerja sosial")
        verbose_name_plural = _("pekerja sosial")
        constraints = [
            # Permensos 28/2018: one TKSK per kecamatan.
            models.UniqueConstraint(
                fields=["kecamatan"],
                condition=Q(role="tksk", status="aktif"),
                name="one_active_tksk_per_kecamatan",
            ),
            models.CheckConstraint(
                condition=Q(role="tksk", kelurahan__isnull=True) | Q(role="psm", kelurahan__isnull=False),
                name="worker_area_matches_role",
            ),
        ]
        indexes = [models.Index(fields=["role", "status", "kecamatan", "kelurahan"])]

    def __str__(self) -> str:
        return f"{self.person.name} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("workers:detail", args=[self.pk])

    @property
    def area(self):
        return self.kelurahan or self.kecamatan


class Assignment(TimeStampedModel):
    """A posting: the worker served this area from ``start_date`` until ``end_date`` (open if empty)."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("peran"), max_length=4, choices=WorkerRole.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name=_("wilayah tugas"))
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=250, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [
            models.UniqueConstraint(
                fields=["worker"], condition=Q(end_date__isnull=True), name="one_open_assignment_per_worker"
            ),
            span_ordered("start_date", "end_date", name="assignment_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.region} ({self.start_date}–{self.end_date or ''})"


class Decree(TimeStampedModel):
    """A decree (Surat Keputusan) appointing, extending or ending a worker's service."""

    class Kind(models.TextChoices):
        APPOINTMENT = "pengangkatan", _("Pengangkatan")
        EXTENSION = "perpanjangan", _("Perpanjangan")
        TRANSFER = "mutasi", _("Mutasi")
        DISMISSAL = "pemberhentian", _("Pemberhentian")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="decrees")
    kind = models.CharField(_("jenis"), max_length=15, choices=Kind.choices, default=Kind.APPOINTMENT)
    number = models.CharField(_("nomor SK"), max_length=100)
    date = models.DateField(_("tanggal SK"))
    issuer = models.CharField(_("penerbit"), max_length=150)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("SK")
        verbose_name_plural = _("SK")
        constraints = [
            models.UniqueConstraint(fields=["worker", "number"], name="decree_number_once_per_worker"),
        ]

    def __str__(self) -> str:
        return self.number


class StatusChange(models.Model):
    """The history of a worker's status (aktif, nonaktif, berhenti) with its date and reason."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=8, choices=WorkerStatus.choices)
    date = models.DateField(_("tanggal"))
    reason = models.CharField(_("alasan"), max_length=250, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("perubahan status")
        verbose_name_plural = _("perubahan status")

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.date}"


class BoardPeriod(TimeStampedModel):
    """An IPSM board term, e.g. 2021–2026."""

    start_year = models.PositiveSmallIntegerField(_("tahun mulai"))
    end_year = models.PositiveSmallIntegerField(_("tahun selesai"))
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    inaugurated_on = models.DateField(_("tanggal pelantikan"), null=True, blank=True)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("periode pengurus IPSM")
        verbose_name_plural = _("periode pengurus IPSM")
        constraints = [
            models.UniqueConstraint(fields=["start_year", "end_year"], name="board_period_unique"),
            models.CheckConstraint(condition=Q(end_year__gt=models.F("start_year")), name="board_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.start_year}–{self.end_year}"


class BoardPosition(models.TextChoices):
    CHAIR = "ketua", _("Ketua")
    VICE_CHAIR = "wakil_ketua", _("Wakil Ketua")
    SECRETARY = "sekretaris", _("Sekretaris")
    TREASURER = "bendahara", _("Bendahara")
    MEMBER = "anggota", _("Anggota")


SINGLE_HOLDER_POSITIONS = [p for p in BoardPosition if p != BoardPosition.MEMBER]


class BoardMembership(TimeStampedModel):
    period = models.ForeignKey(BoardPeriod, on_delete=models.CASCADE, related_name="memberships")
    position = models.CharField(_("jabatan"), max_length=12, choices=BoardPosition.choices)
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="board_memberships")

    class Meta:
        verbose_name = _("pengurus IPSM")
        verbose_name_plural = _("pengurus IPSM")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "position"],
                condition=~Q(position="anggota"),
                name="one_holder_per_board_position",
            ),
            models.UniqueConstraint(fields=["period", "worker"], name="one_board_seat_per_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.period}: {self.worker.person.name}"
