"""Programs as data (who qualifies, quota per period), enrollments with their events, and Bedah Rumah houses.

A program's quota holds per period: a calendar year ("2026") or a calendar month ("2026-11"), as the
program says. Each period is one ``ProgramPeriod`` row; approvals lock that row, so two operators
approving at the same moment cannot both take the last place.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.core.models import StepEvent, TimeStampedModel, span_ordered
from pilar.identity.models import person_key
from pilar.programs.querysets import EnrollmentQuerySet, HouseAssessmentQuerySet
from pilar.regions.models import InArea
from pilar.registry.models import household_key


class Program(TimeStampedModel):
    class Kind(models.TextChoices):
        CASH = "tunai", _("Bantuan tunai")
        GOODS = "barang", _("Bantuan barang")
        SERVICE = "layanan", _("Layanan")
        HOUSE = "bedah_rumah", _("Bedah rumah")

    class PeriodKind(models.TextChoices):
        YEAR = "tahun", _("Tahunan")
        MONTH = "bulan", _("Bulanan")

    class Subject(models.TextChoices):
        PERSON = "person", _("Perorangan")
        FAMILY = "family", _("Keluarga (KK)")
        ANY = "any", _("Perorangan atau keluarga")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="programs", verbose_name=_("OPD pengampu")
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    summary = models.CharField(_("ringkasan"), max_length=250)
    who_qualifies = models.TextField(_("siapa yang berhak"))
    how_to_apply = models.TextField(_("cara mendaftar"))
    benefit = models.CharField(_("manfaat"), max_length=250, blank=True)
    default_amount = models.DecimalField(
        _("nilai bantuan (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    period_kind = models.CharField(_("periode kuota"), max_length=5, choices=PeriodKind.choices)
    quota = models.PositiveIntegerField(
        _("kuota per periode"), null=True, blank=True, help_text=_("Kosong: tanpa batas.")
    )
    active_from = models.DateField(_("berlaku sejak"))
    active_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    # Eligibility, as data: every criterion left empty means "no limit".
    subject = models.CharField(_("sasaran"), max_length=6, choices=Subject.choices, default=Subject.ANY)
    categories = models.ManyToManyField(
        "registry.Category", blank=True, related_name="+", verbose_name=_("kategori PPKS")
    )
    min_age = models.PositiveSmallIntegerField(_("usia minimal"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("usia maksimal"), null=True, blank=True)
    sex = models.CharField(
        _("jenis kelamin"), max_length=1, blank=True, choices=[("L", _("Laki-laki")), ("P", _("Perempuan"))]
    )
    kecamatan_limits = models.ManyToManyField(
        "regions.Region", blank=True, related_name="+", verbose_name=_("hanya kecamatan")
    )
    kelurahan_limits = models.ManyToManyField(
        "regions.Region", blank=True, related_name="+", verbose_name=_("hanya kelurahan")
    )
    requires_validated = models.BooleanField(_("wajib data PPKS ditetapkan"), default=True)
    requires_nik = models.BooleanField(_("wajib ber-NIK"), default=False)
    # When a beneficiary completes this program, their record in this category leaves the registry
    # (Bedah Rumah: the house is no longer uninhabitable).
    exit_category = models.ForeignKey(
        "registry.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kategori yang keluar setelah selesai"),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("program")
        constraints = [
            span_ordered("active_from", "active_until", name="program_dates_ordered"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=models.F("min_age")),
                name="program_ages_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.code])


class ProgramPeriod(models.Model):
    """One quota period of a program; the row approvals lock."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="periods")
    key = models.CharField(_("periode"), max_length=7)  # "2026" or "2026-11"
    starts_on = models.DateField()
    ends_on = models.DateField()
    quota = models.PositiveIntegerField(_("kuota"), null=True, blank=True)

    class Meta:
        ordering = ["program", "-key"]
        verbose_name = _("periode program")
        verbose_name_plural = _("periode program")
        constraints = [models.UniqueConstraint(fields=["program", "key"], name="program_period_once")]

    def __str__(self) -> str:
        return f"{self.program} {self.key}"


class EnrollmentStatus(models.TextChoices):
    PROPOSED = "diusulkan", _("Diusulkan")
    APPROVED = "disetujui", _("Disetujui")
    REJECTED = "ditolak", _("Ditolak")
    DELIVERED = "disalurkan", _("Disalurkan")
    COMPLETED = "selesai", _("Selesai")
    EXITED = "keluar", _("Keluar")


# Statuses that hold a place of the period's quota.
QUOTA_STATUSES = (EnrollmentStatus.APPROVED, EnrollmentStatus.DELIVERED, EnrollmentStatus.COMPLETED)


class EnrollmentExitReason(models.TextChoices):
    DIED = "meninggal", _("Meninggal")
    MOVED = "pindah", _("Pindah domisili")
    INELIGIBLE = "tidak_layak", _("Tidak lagi memenuhi kriteria")
    WITHDREW = "mengundurkan_diri", _("Mengundurkan diri")
    OTHER = "lainnya", _("Lainnya")


class Enrollment(InArea, TimeStampedModel):
    """A registry person or household in one program and period, from proposal to completion or exit."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    period = models.ForeignKey(ProgramPeriod, on_delete=models.PROTECT, related_name="enrollments")
    record = models.ForeignKey(
        "registry.PpksRecord", on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("data PPKS")
    )
    person = person_key(null=True, blank=True)
    household = household_key(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.PROPOSED
    )
    proposed_by = user_key(null=True)
    proposed_at = models.DateTimeField(_("diusulkan pada"))
    decided_by = user_key(null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    reject_reason = models.TextField(_("alasan penolakan"), blank=True)
    delivered_on = models.DateField(_("tanggal penyaluran"), null=True, blank=True)
    amount = models.DecimalField(_("nilai (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True)
    item = models.CharField(_("barang/layanan"), max_length=200, blank=True)
    exit_date = models.DateField(_("tanggal keluar"), null=True, blank=True)
    exit_reason = models.CharField(_("alasan keluar"), max_length=17, choices=EnrollmentExitReason.choices, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penerima program")
        verbose_name_plural = _("penerima program")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(household__isnull=False), name="enrollment_has_a_subject"
            ),
            # One enrollment per subject, program and period; a rejected proposal may be made again.
            models.UniqueConstraint(
                fields=["program", "period", "person"],
                name="enrollment_person_once",
                condition=Q(person__isnull=False) & ~Q(status="ditolak"),
            ),
            models.UniqueConstraint(
                fields=["program", "period", "household"],
                name="enrollment_household_once",
                condition=Q(household__isnull=False) & ~Q(status="ditolak"),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="enrollment_amount_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["kelurahan", "program", "id"]),
            models.Index(fields=["kecamatan", "status", "id"]),
            models.Index(fields=["period", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.person or self.household}"

    def get_absolute_url(self) -> str:
        return reverse("programs:enrollment_detail", args=[self.pk])


class EnrollmentEvent(StepEvent):
    """One step of an enrollment: who, when, from which status to which, and why."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="events")

    class Meta(StepEvent.Meta):
        verbose_name = _("riwayat penerima program")
        verbose_name_plural = _("riwayat penerima program")


class HouseAssessment(InArea, TimeStampedModel):
    """Bedah Rumah: the field assessment of a house (fixed checklist, see ``programs.house``), then its
    approval and renovation. Approval and renovation move the enrollment it belongs to."""

    class Status(models.TextChoices):
        ASSESSED = "dinilai", _("Dinilai")
        APPROVED = "disetujui", _("Disetujui")
        REJECTED = "ditolak", _("Ditolak")
        RENOVATED = "direnovasi", _("Selesai direnovasi")

    enrollment = models.OneToOneField(Enrollment, on_delete=models.PROTECT, related_name="house")
    checklist = models.JSONField(_("kondisi rumah"))
    floor_area = models.DecimalField(_("luas lantai (m²)"), max_digits=6, decimal_places=1)
    occupants = models.PositiveSmallIntegerField(_("jumlah penghuni"))
    score = models.PositiveSmallIntegerField(_("skor kerusakan"))
    is_rtlh = models.BooleanField(_("tidak layak huni"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ASSESSED)
    assessed_by = user_key()
    assessed_on = models.DateField(_("tanggal penilaian"))
    note = models.TextField(_("catatan"), blank=True)
    renovated_on = models.DateField(_("tanggal selesai renovasi"), null=True, blank=True)
    cost = models.DecimalField(_("biaya renovasi (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True)

    objects = HouseAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penilaian rumah")
        verbose_name_plural = _("penilaian rumah")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="direnovasi") | (Q(renovated_on__isnull=False) & Q(cost__gte=0)),
                name="house_renovated_has_date_and_cost",
            ),
            models.CheckConstraint(condition=Q(occupants__gte=1), name="house_has_occupants"),
        ]
        indexes = [models.Index(fields=["kecamatan", "status"])]

    def __str__(self) -> str:
        return str(self.enrollment)

    def get_absolute_url(self) -> str:
        return reverse("programs:house_detail", args=[self.pk])


class HousePhoto(TimeStampedModel):
    class Stage(models.TextChoices):
        BEFORE = "sebelum", _("Sebelum renovasi")
        AFTER = "sesudah", _("Sesudah renovasi")

    assessment = models.ForeignKey(HouseAssessment, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("tahap"), max_length=7, choices=Stage.choices)
    file = models.FileField(_("foto"), upload_to="bedah-rumah/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = user_key()

    class Meta:
        verbose_name = _("foto rumah")
        verbose_name_plural = _("foto rumah")

    def __str__(self) -> str:
        return self.file.name or ""
