"""What happened in a case, in order: workflow events, notes, home visits and documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import user_key
from pilar.core.models import StepEvent


class CaseEvent(StepEvent):
    """A workflow step (opened, stage change, assignment, transfer, plan decision, close, reopen): the same
    history as every other record's, its statuses being the case's stages."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="events")
    # A case's step codes are longer ("transfer_requested"), a step that changes no stage has no stage to go to,
    # and nothing lists events by user (``related_name="+"``).
    action = models.CharField(_("tindakan"), max_length=30)
    to_status = models.CharField(max_length=10, blank=True)
    actor = user_key(null=True, blank=True)

    class Meta(StepEvent.Meta):
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class CaseNote(models.Model):
    """A worker's note. A confidential one is shown only to the assigned workers and their supervisors."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    author = user_key()
    at = models.DateTimeField(_("waktu"))
    text = models.TextField(_("catatan"))
    confidential = models.BooleanField(_("rahasia"), default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("catatan kasus")
        verbose_name_plural = _("catatan kasus")

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d}"


class HomeVisit(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="visits")
    visit_date = models.DateField(_("tanggal kunjungan"))
    recorded_by = user_key()
    recorded_at = models.DateTimeField()
    # Who went: workers and others (the RT head, a relative, an agency officer), as written by the worker.
    visitors = models.CharField(_("yang berkunjung"), max_length=250)
    findings = models.TextField(_("temuan"))

    class Meta:
        ordering = ["visit_date", "id"]
        verbose_name = _("kunjungan rumah")
        verbose_name_plural = _("kunjungan rumah")

    def __str__(self) -> str:
        return f"{self.case_id} {self.visit_date}"


class CaseDocument(models.Model):
    """A photo or document; its type is detected from the file's bytes (``pilar.core.uploads``)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("berkas"), upload_to="cases/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    caption = models.CharField(_("keterangan"), max_length=250, blank=True)
    uploaded_by = user_key()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("dokumen kasus")
        verbose_name_plural = _("dokumen kasus")

    def __str__(self) -> str:
        return self.caption or self.file.name or ""

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
