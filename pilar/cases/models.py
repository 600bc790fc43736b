"""Social cases (penanganan kasus sosial): from the first report to the outcome, with their timeline.

Stages: intake → asesmen → rencana intervensi → intervensi → monitoring → ditutup. Every state change goes
through ``pilar.cases.services``; the models hold only invariants the database can enforce.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.cases.querysets import CaseQuerySet
from pilar.core.models import TimeStampedModel
from pilar.identity.models import person_key
from pilar.regions.models import InArea
from pilar.registry.models import household_key


class Stage(models.TextChoices):
    INTAKE = "intake", _("Penerimaan (intake)")
    ASSESSMENT = "asesmen", _("Asesmen")
    PLANNING = "rencana", _("Rencana intervensi")
    INTERVENTION = "intervensi", _("Intervensi")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "ditutup", _("Ditutup")


OPEN_STAGES = (Stage.INTAKE, Stage.ASSESSMENT, Stage.PLANNING, Stage.INTERVENTION, Stage.MONITORING)


class RiskLevel(models.TextChoices):
    LOW = "rendah", _("Rendah")
    MEDIUM = "sedang", _("Sedang")
    HIGH = "tinggi", _("Tinggi")
    CRITICAL = "kritis", _("Kritis")


class Outcome(models.TextChoices):
    RESOLVED = "tertangani", _("Tertangani")
    REFERRED = "dialihkan", _("Dialihkan ke lembaga lain")
    DECLINED = "menolak", _("Klien menolak layanan")
    MOVED = "pindah", _("Pindah domisili")
    DIED = "meninggal", _("Meninggal dunia")
    NOT_A_CASE = "bukan_kasus", _("Bukan kasus kesejahteraan sosial")


class StageTarget(models.Model):
    """How many days a case may stay in a stage before it is overdue (editable in the admin)."""

    stage = models.CharField(_("tahap"), max_length=10, choices=Stage.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("batas hari"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("batas waktu tahap")
        verbose_name_plural = _("batas waktu tahap")
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="stage_target_at_least_one_day"),
            models.CheckConstraint(condition=~Q(stage="ditutup"), name="stage_target_not_for_closed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.days}"


class RiskFactor(models.Model):
    """One weighted factor of the structured assessment; its weight adds to the score when present."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("faktor"), max_length=150)
    weight = models.PositiveSmallIntegerField(_("bobot"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("faktor risiko")
        verbose_name_plural = _("faktor risiko")

    def __str__(self) -> str:
        return self.name


class Case(InArea, TimeStampedModel):
    class Source(models.TextChoices):
        PSM_FINDING = "temuan_psm", _("Temuan PSM")
        WALK_IN = "datang_langsung", _("Datang langsung")
        COMPLAINT = "pengaduan", _("Pengaduan masyarakat")
        REFERRAL_IN = "rujukan", _("Rujukan dari lembaga")

    person = person_key(_("orang"), null=True, blank=True, related_name="cases")
    household = household_key(_("keluarga (KK)"), null=True, blank=True, related_name="cases")
    # A person not (yet) in the registry is described here and linked later.
    subject_name = models.CharField(_("nama subjek"), max_length=150, blank=True)
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    reporter_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    source = models.CharField(_("sumber"), max_length=16, choices=Source.choices)
    category = models.ForeignKey(
        "registry.Category", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kategori PPKS")
    )
    summary = models.TextField(_("ringkasan masalah"))
    risk_level = models.CharField(_("tingkat risiko"), max_length=6, choices=RiskLevel.choices, blank=True)
    stage = models.CharField(_("tahap"), max_length=10, choices=Stage.choices, default=Stage.INTAKE)
    stage_started_at = models.DateTimeField(_("masuk tahap pada"))
    assigned = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseAssignment",
        through_fields=("case", "user"),
        related_name="assigned_cases",
        verbose_name=_("petugas"),
    )
    created_by = user_key(_("dicatat oleh"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=12, choices=Outcome.choices, blank=True)
    close_reason = models.TextField(_("alasan penutupan"), blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("dibuka kembali"), default=0)

    objects = CaseQuerySet.as_manager()
    # Not a column: the ids of the assigned users, cached on the instance by ``access.is_assigned``.
    _assigned_ids: set[int]

    class Meta:
        ordering = ["-id"]
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        constraints = [
            models.CheckConstraint(
                # A public complaint may not name the person yet; the worker completes it at intake.
                condition=Q(person__isnull=False)
                | Q(household__isnull=False)
                | ~Q(subject_name="")
                | Q(source="pengaduan"),
                name="case_has_a_subject",
            ),
            # A closed case has its outcome; an open one has none.
            models.CheckConstraint(
                condition=(Q(stage="ditutup") & ~Q(outcome="") & Q(closed_at__isnull=False))
                | (~Q(stage="ditutup") & Q(outcome="") & Q(closed_at__isnull=True)),
                name="case_closed_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["kelurahan", "stage", "id"]),
            models.Index(fields=["kecamatan", "stage", "id"]),
            models.Index(fields=["stage", "stage_started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject_label}"

    @property
    def reference(self) -> str:
        return f"KS-{self.pk:06d}" if self.pk else "KS-baru"

    @property
    def subject_label(self) -> str:
        if self.person is not None:
            return self.person.name
        if self.household is not None:
            return str(self.household.head or self.household)
        return self.subject_name or str(_("(belum diketahui)"))

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])


class CaseAssignment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = user_key(related_name="case_assignments")
    assigned_by = user_key(null=True, blank=True)
    assigned_at = models.DateTimeField(_("ditugaskan pada"))

    class Meta:
        verbose_name = _("penugasan kasus")
        verbose_name_plural = _("penugasan kasus")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_assignment_once")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.user}"


class Assessment(models.Model):
    """A structured assessment: the factors present (a snapshot of their weights) and the resulting level."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_by = user_key()
    assessed_at = models.DateTimeField(_("dinilai pada"))
    # [{"code", "name", "weight"}]: weights may change later; the assessment keeps the ones it used.
    factors = models.JSONField(_("faktor"), default=list)
    score = models.PositiveSmallIntegerField(_("skor"))
    risk_level = models.CharField(_("tingkat risiko"), max_length=6, choices=RiskLevel.choices)
    needs = models.TextField(_("kebutuhan"), blank=True)
    strengths = models.TextField(_("kekuatan/sumber daya"), blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = _("asesmen")
        verbose_name_plural = _("asesmen")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_risk_level_display()} ({self.score})"


class Plan(models.Model):
    """An intervention plan; a supervisor other than its author approves it or returns it."""

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu persetujuan")
        APPROVED = "disetujui", _("Disetujui")
        RETURNED = "dikembalikan", _("Dikembalikan")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    author = user_key()
    submitted_at = models.DateTimeField(_("diajukan pada"))
    goals = models.TextField(_("tujuan"))
    actions = models.TextField(_("langkah intervensi"))
    target_date = models.DateField(_("target selesai"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = user_key(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("rencana intervensi")
        verbose_name_plural = _("rencana intervensi")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="menunggu"), name="one_pending_plan_per_case"),
            # The four-eyes rule, also for writes that bypass the service.
            models.CheckConstraint(condition=~Q(decided_by=models.F("author")), name="plan_not_decided_by_author"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.case_id])  # a plan is read on its case's page


class Transfer(models.Model):
    """A hand-over of a case to another worker; it takes effect when the receiver accepts."""

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu diterima")
        ACCEPTED = "diterima", _("Diterima")
        DECLINED = "ditolak", _("Ditolak")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_user = user_key(null=True, blank=True)
    to_user = user_key(related_name="incoming_transfers")
    requested_by = user_key()
    requested_at = models.DateTimeField()
    reason = models.TextField(_("alasan"))
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="menunggu"), name="one_pending_transfer"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_user} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.case_id])  # a handover is answered on its case's page


class OverdueReminder(models.Model):
    """Marks that the workers were reminded of a case overdue in one stay in a stage: once, never twice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    stage_started_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "stage", "stage_started_at"], name="overdue_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.stage} {self.sent_at:%Y-%m-%d}"


# The timeline's models live in their own module to keep this one short; importing them here registers them.
from pilar.cases.timeline_models import CaseDocument, CaseEvent, CaseNote, HomeVisit  # noqa: E402,F401
