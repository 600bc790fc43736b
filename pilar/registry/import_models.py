"""What an import keeps besides its job: the data conflicts it held for review, and the saved column mappings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.core.models import TimeStampedModel
from pilar.identity.models import person_key


class ImportConflict(TimeStampedModel):
    """A row whose NIK (or KK) is already in the registry with other data: held, never silently attached.

    ``values`` keeps the row as read (ISO dates, region and category ids), so that resolving it later writes
    exactly what the file said; ``fields`` lists the disagreements as ``{field, label, row, stored}``.
    """

    class Kind(models.TextChoices):
        NIK = "nik", _("NIK sama, data berbeda")
        KK = "kk", _("No KK milik keluarga lain")

    class Status(models.TextChoices):
        OPEN = "terbuka", _("Belum diselesaikan")
        SAME = "orang_sama", _("Orang yang sama")
        DIFFERENT = "orang_lain", _("Orang yang berbeda")

    job = models.ForeignKey("registry.ImportJob", on_delete=models.CASCADE, related_name="conflicts")
    row = models.PositiveIntegerField(_("baris"))
    kind = models.CharField(_("jenis"), max_length=3, choices=Kind.choices)
    person = person_key(_("orang tercatat"))
    values = models.JSONField(default=dict)
    fields = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = user_key(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    choices = models.JSONField(default=dict, blank=True)  # field -> "keep" | "take" (same person)
    new_person = person_key(null=True, blank=True)  # different person: the row's person, without NIK
    record = models.ForeignKey(
        "registry.PpksRecord", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["job", "row", "id"]
        verbose_name = _("konflik data impor")
        verbose_name_plural = _("konflik data impor")
        indexes = [models.Index(fields=["status", "job"])]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row}"


class ImportProfile(TimeStampedModel):
    """A named column mapping (Pilar field -> the sheet's column title) for the next file of the same shape."""

    name = models.SlugField(_("nama profil"), max_length=50, unique=True)
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    mapping = models.JSONField(default=dict)
    created_by = user_key(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("profil impor")
        verbose_name_plural = _("profil impor")

    def __str__(self) -> str:
        return self.name
