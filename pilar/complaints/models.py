"""Public complaints (pengaduan masyarakat): a resident reports someone in need; the area's PSM and TKSK triage it.

A complaint is anonymous input from the open internet. It is kept apart from the registry and from cases
until a worker has looked at it: triage turns it into a case, or closes it with a reason.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.accounts.permissions import Perm
from pilar.core.models import TimeStampedModel
from pilar.identity.models import Sex
from pilar.regions.models import InArea
from pilar.regions.querysets import AreaQuerySet


class ComplaintQuerySet(AreaQuerySet):
    view_perm = Perm.COMPLAINT_VIEW
    # A complaint is about someone else in need: its reporter's restriction hides the link, not the complaint.
    restriction_paths: tuple[str, ...] = ()

    def listing(self) -> "ComplaintQuerySet":
        return self.select_related("kelurahan", "kecamatan", "category")

    def waiting(self) -> "ComplaintQuerySet":
        return self.filter(status=Complaint.Status.NEW)


class Complaint(InArea, TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "baru", _("Baru, menunggu ditinjau")
        CONVERTED = "kasus", _("Dijadikan kasus")
        CLOSED = "ditutup", _("Ditutup")

    class Channel(models.TextChoices):
        WEB = "web", _("Halaman pengaduan")
        API = "api", _("API")
        FIELD = "lap", _("Dicatat petugas lapangan")  # a PSM/TKSK took the resident's report in (the field app)

    class CloseReason(models.TextChoices):
        NOT_FOUND = "tidak_ditemukan", _("Tidak ditemukan di lokasi")
        NOT_PPKS = "bukan_ppks", _("Bukan PPKS")
        DUPLICATE = "duplikat", _("Duplikat pengaduan lain")
        ALREADY_HANDLED = "sudah_ditangani", _("Sudah ditangani")
        OUT_OF_AREA = "luar_wilayah", _("Di luar wilayah kota")
        NOT_SERIOUS = "tidak_serius", _("Laporan tidak serius")
        OTHER = "lainnya", _("Lainnya")

    tracking_code = models.CharField(_("kode pelacakan"), max_length=10, unique=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NEW)
    channel = models.CharField(_("saluran"), max_length=3, choices=Channel.choices, default=Channel.WEB)
    # Who: the person in need, as far as the resident knows them.
    subject_name = models.CharField(_("nama orang yang perlu dibantu"), max_length=150, blank=True)
    subject_age = models.PositiveSmallIntegerField(_("perkiraan umur"), null=True, blank=True)
    subject_sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    # Where.
    address = models.CharField(_("alamat atau patokan lokasi"), max_length=250)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    # What.
    category = models.ForeignKey(
        "registry.Category", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kategori")
    )
    description = models.TextField(_("uraian"))
    photo = models.FileField(_("foto"), upload_to="pengaduan/%Y/%m/", blank=True)
    photo_content_type = models.CharField(max_length=100, blank=True)
    photo_size = models.PositiveIntegerField(null=True, blank=True)
    # The reporter, only if they chose to leave a contact.
    reporter_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("telepon pelapor"), max_length=16, blank=True)
    # The reporter as a registered person, linked by Dinsos from the NIK the reporter gives (never from the open
    # form): so that the person's data export (UU PDP) includes the complaints they made. Erased with the contact.
    reporter_person = models.ForeignKey(
        "identity.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints_made",
        verbose_name=_("pelapor di registri"),
    )
    # Triage.
    triaged_by = user_key(_("ditinjau oleh"), null=True, blank=True)
    triaged_at = models.DateTimeField(_("ditinjau pada"), null=True, blank=True)
    close_reason = models.CharField(_("alasan ditutup"), max_length=16, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("catatan penutupan"), blank=True)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="complaint", verbose_name=_("kasus")
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="baru") | Q(triaged_at__isnull=False), name="complaint_triaged_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="ditutup") | ~Q(close_reason=""), name="complaint_closed_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="kasus", case__isnull=False) | (~Q(status="kasus") & Q(case__isnull=True)),
                name="complaint_case_iff_converted",
            ),
        ]
        indexes = [
            models.Index(fields=["kelurahan", "status", "id"]),
            models.Index(fields=["kecamatan", "status", "id"]),
            models.Index(fields=["status", "id"]),
        ]

    def __str__(self) -> str:
        return f"Pengaduan {self.tracking_code}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("complaints:detail", args=[self.pk])


class SubmissionHit(models.Model):
    """One accepted public request, counted per client for the rate limit.

    Kept in the database rather than the cache: the limit must hold across every app process,
    and the default cache is per process. Only a keyed hash of the client address is stored.
    """

    bucket = models.CharField(max_length=20)
    client = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["bucket", "client", "at"])]

    def __str__(self) -> str:
        return f"{self.bucket} {self.client[:8]} {self.at:%Y-%m-%d %H:%M}"
