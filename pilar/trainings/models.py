"""Training events for PSM and TKSK: sessions, materials, participants, attendance and certificates."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.core.models import TimeStampedModel
from pilar.regions.models import AreaScoped, region_key
from pilar.trainings.querysets import EventQuerySet, ParticipantQuerySet
from pilar.workers.models import WorkerRole


class EventKind(models.TextChoices):
    BASIC = "pelatihan_dasar", _("Pelatihan dasar")
    CAPACITY = "peningkatan_kapasitas", _("Peningkatan kapasitas")
    BIMTEK = "bimtek", _("Bimbingan teknis (bimtek)")
    PEMBINAAN = "pembinaan", _("Pembinaan")
    SOSIALISASI = "sosialisasi", _("Sosialisasi")
    OTHER = "lainnya", _("Lainnya")


# Permensos 10/2019 asks every PSM to have done the basic training. The office counts its own
# "pelatihan dasar" and the city-wide "peningkatan kapasitas" (an induction on duties and PMKS
# handling for every PSM and TKSK, as in March 2018) as that training, once completed.
BASIC_KINDS = frozenset({EventKind.BASIC, EventKind.CAPACITY})


class Event(TimeStampedModel):
    kind = models.CharField(_("jenis"), max_length=25, choices=EventKind.choices)
    title = models.CharField(_("judul"), max_length=200)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    venue = models.CharField(_("tempat"), max_length=200)
    organiser = models.CharField(_("penyelenggara"), max_length=200)
    speakers = models.TextField(_("narasumber"), blank=True, help_text=_("Satu narasumber per baris."))
    topics = models.TextField(_("materi pokok"), blank=True, help_text=_("Satu topik per baris."))
    target_group = models.CharField(_("sasaran"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas"), null=True, blank=True, help_text=_("Kosong: tanpa batas."))
    completion_percent = models.PositiveSmallIntegerField(_("syarat kelulusan (% sesi dihadiri)"), default=100)
    # Typed by participants on a phone; short, upper case, without look-alike characters.
    checkin_code = models.CharField(_("kode presensi"), max_length=8, unique=True)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True)
    signatory_nip = models.CharField(_("NIP penanda tangan"), max_length=30, blank=True)
    created_by = user_key(null=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("pelatihan")
        verbose_name_plural = _("pelatihan")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="training_dates_ordered"),
            models.CheckConstraint(
                condition=Q(completion_percent__gte=1, completion_percent__lte=100),
                name="training_completion_percent_range",
            ),
            models.UniqueConstraint(
                fields=["title", "start_date"],
                name="training_title_date_unique",
                violation_error_message=_("Sudah ada pelatihan dengan judul dan tanggal mulai ini."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:detail", args=[self.pk])

    @property
    def is_basic(self) -> bool:
        return self.kind in BASIC_KINDS


class Session(models.Model):
    """One part of an event whose attendance is taken: a day, or a named session within a day."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("nama sesi"), max_length=150)
    date = models.DateField(_("tanggal"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)

    class Meta:
        ordering = ["date", "order", "id"]
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="training_session_name_unique")]

    def __str__(self) -> str:
        return self.name


class Material(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("judul materi"), max_length=200)
    file = models.FileField(_("berkas"), upload_to="trainings/materials/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = user_key(null=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("materi")
        verbose_name_plural = _("materi")

    def __str__(self) -> str:
        return self.title


class Response(models.TextChoices):
    PENDING = "diundang", _("Belum menjawab")
    YES = "hadir", _("Akan hadir")
    NO = "tidak_bisa", _("Tidak bisa hadir")


class Participant(AreaScoped, TimeStampedModel):
    """A worker invited to an event. The area is the worker's posting when invited, so that
    counts per kecamatan and the TKSK's view stay true after a transfer."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    worker = models.ForeignKey("workers.Worker", on_delete=models.PROTECT, related_name="training_participations")
    role = models.CharField(_("peran"), max_length=4, choices=WorkerRole.choices)
    kecamatan = region_key()
    kelurahan = region_key(null=True)
    response = models.CharField(_("konfirmasi"), max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    attended_sessions = models.PositiveSmallIntegerField(_("sesi dihadiri"), default=0)
    completed = models.BooleanField(_("lulus"), default=False)
    invited_by = user_key(null=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["kecamatan__code", "kelurahan__code", "worker__person__name_normalized", "id"]
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        constraints = [models.UniqueConstraint(fields=["event", "worker"], name="training_participant_once")]
        indexes = [models.Index(fields=["event", "kecamatan"]), models.Index(fields=["worker", "completed"])]

    def __str__(self) -> str:
        return f"{self.worker.person.name} — {self.event}"


class Attendance(models.Model):
    class Method(models.TextChoices):
        OPERATOR = "operator", _("Dicatat operator")
        CODE = "kode", _("Kode presensi")
        QR = "qr", _("Pindai QR")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(_("cara"), max_length=8, choices=Method.choices)
    recorded_by = user_key(null=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [models.UniqueConstraint(fields=["participant", "session"], name="training_attendance_once")]
        indexes = [models.Index(fields=["session", "participant"])]

    def __str__(self) -> str:
        return f"{self.participant_id}@{self.session_id}"


class Certificate(models.Model):
    """Issued when a participant completes; revoked (not deleted) if attendance is corrected later."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(_("kode verifikasi"), max_length=24, unique=True)
    issued_at = models.DateTimeField(_("diterbitkan"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("trainings:verify", args=[self.code])

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
