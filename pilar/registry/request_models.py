"""A registration routed to Dinsos: someone tried to register a person (NIK) or a family (KK) that the registry
already holds outside their area. Saying "already registered" would tell a field user whether any NIK exists
anywhere in the city; instead the attempt waits here for an operator, who moves the person or family into
the requester's area or refuses with a reason. Only Dinsos (city-wide) sees these rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.core.models import TimeStampedModel
from pilar.identity.models import person_key
from pilar.regions.models import region_key
from pilar.registry.models import household_key


class RegistrationRequest(TimeStampedModel):
    class Kind(models.TextChoices):
        PERSON = "orang", _("Orang (NIK)")
        HOUSEHOLD = "keluarga", _("Keluarga (No. KK)")

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu")
        MOVED = "dipindahkan", _("Dipindahkan ke wilayah pemohon")
        REFUSED = "ditolak", _("Ditolak")

    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=11, choices=Status.choices, default=Status.PENDING)
    requested_by = user_key(_("pemohon"))
    # Where the requester wanted to record them (their own area).
    kelurahan = region_key(_("kelurahan pemohon"))
    person = person_key(_("orang yang sudah terdaftar"), null=True, blank=True)
    household = household_key(_("keluarga yang sudah terdaftar"), null=True, blank=True)
    # What the requester typed (name, birth date, address…), for the operator to compare.
    submitted = models.JSONField(_("data yang diajukan"), default=dict)
    decided_by = user_key(_("diputuskan oleh"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    note = models.TextField(_("catatan keputusan"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("permintaan pendaftaran")
        verbose_name_plural = _("permintaan pendaftaran")
        indexes = [models.Index(fields=["status", "id"]), models.Index(fields=["requested_by", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="orang", person__isnull=False, household__isnull=True)
                | models.Q(kind="keluarga", household__isnull=False, person__isnull=True),
                name="registration_request_names_its_subject",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:request_detail", args=[self.pk])

    def scope_area(self) -> tuple[int | None, int | None]:
        return self.kelurahan.parent_id, self.kelurahan_id
