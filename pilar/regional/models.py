"""Which region data pack was loaded into this installation, and when (loaded once; the office edits afterwards)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PackLoad(models.Model):
    region = models.CharField(_("kode wilayah"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    source = models.CharField(_("sumber"), max_length=300)
    loaded_at = models.DateTimeField(_("dimuat"), auto_now=True)
    counts = models.JSONField(_("jumlah dibuat"), default=dict)

    class Meta:
        verbose_name = _("paket data daerah")
        verbose_name_plural = _("paket data daerah")

    def __str__(self) -> str:
        return f"{self.region} {self.name}"
