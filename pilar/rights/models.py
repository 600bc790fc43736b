"""UU PDP data-subject rights: the requests register, and retention rules kept as data with their runs."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.identity.models import person_key

FIRST_ANSWER = timedelta(hours=3 * 24)  # the office's policy: a first answer within 3×24 hours


class RequestKind(models.TextChoices):
    ACCESS = "akses", _("Akses (salinan data)")
    CORRECTION = "perbaikan", _("Perbaikan data")
    ERASURE = "penghapusan", _("Penghapusan/anonimisasi")
    RESTRICTION = "pembatasan", _("Pembatasan pemrosesan")
    OBJECTION = "keberatan", _("Keberatan atas pemrosesan")


class RequestState(models.TextChoices):
    RECEIVED = "diterima", _("Diterima")
    IN_PROGRESS = "diproses", _("Diproses")
    ANSWERED = "dijawab", _("Dijawab")
    REFUSED = "ditolak", _("Ditolak (dengan alasan)")


class DataRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DataRequestQuerySet":
        from pilar.accounts.permissions import Perm, access_for

        # Handled by Dinsos city-wide; nobody else sees the register.
        access = access_for(user)
        return self.all() if Perm.RIGHTS_MANAGE in access.perms and access.city_wide else self.none()

    def open(self) -> "DataRequestQuerySet":
        return self.filter(state__in=[RequestState.RECEIVED, RequestState.IN_PROGRESS])

    def overdue(self, now=None) -> "DataRequestQuerySet":
        return self.open().filter(first_answer_at__isnull=True, due_at__lt=now or timezone.now())


class DataRequest(models.Model):
    """A person's request under UU PDP, from receipt to answer."""

    kind = models.CharField(_("jenis permintaan"), max_length=12, choices=RequestKind.choices)
    person = person_key(_("orang di registri"), null=True, blank=True)
    requester_name = models.CharField(_("nama pemohon"), max_length=150)
    requester_contact = models.CharField(_("kontak pemohon"), max_length=150, blank=True)
    details = models.TextField(_("isi permintaan"))
    received_at = models.DateTimeField(_("diterima pada"))
    due_at = models.DateTimeField(_("tenggat jawaban pertama"))
    identity_checked_by = user_key(_("identitas diperiksa oleh"), null=True, blank=True)
    identity_checked_at = models.DateTimeField(_("identitas diperiksa pada"), null=True, blank=True)
    identity_document = models.CharField(_("dokumen identitas yang diperiksa"), max_length=150, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=RequestState.choices, default=RequestState.RECEIVED)
    first_answer_at = models.DateTimeField(_("jawaban pertama"), null=True, blank=True)
    answer = models.TextField(_("jawaban"), blank=True)
    answered_by = user_key(_("dijawab oleh"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    created_by = user_key(_("dicatat oleh"))

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("permintaan subjek data")
        verbose_name_plural = _("permintaan subjek data")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.requester_name}"

    @property
    def overdue(self) -> bool:
        return (
            self.first_answer_at is None
            and self.state in (RequestState.RECEIVED, RequestState.IN_PROGRESS)
            and self.due_at < timezone.now()
        )


class RetentionRule(models.Model):
    """How long one kind of personal data is kept; run nightly by the scheduler (job ``retention``)."""

    class Kind(models.TextChoices):
        COMPLAINT_CONTACTS = "kontak_pengaduan", _("Kontak pelapor dan foto pengaduan yang sudah ditinjau")
        EXITED_PPKS = "ppks_keluar", _("Orang yang seluruh data PPKS-nya sudah keluar (dianonimkan)")

    kind = models.CharField(_("data"), max_length=20, choices=Kind.choices, unique=True)
    days = models.PositiveIntegerField(_("disimpan (hari)"))
    active = models.BooleanField(_("aktif"), default=True)
    legal_basis = models.CharField(_("dasar"), max_length=250, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("aturan retensi")
        verbose_name_plural = _("aturan retensi")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days} hari"


class RetentionRun(models.Model):
    rule = models.ForeignKey(RetentionRule, on_delete=models.CASCADE, related_name="runs")
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    affected = models.PositiveIntegerField(_("jumlah"), default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("jalannya retensi")
        verbose_name_plural = _("jalannya retensi")

    def __str__(self) -> str:
        return f"{self.rule} @ {self.at:%Y-%m-%d %H:%M}"
