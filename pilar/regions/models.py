"""Kemendagri administrative regions: provinsi > kabupaten/kota > kecamatan > kelurahan/desa."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    def kecamatan(self) -> "RegionQuerySet":
        return self.filter(level=Region.Level.KECAMATAN)

    def villages(self) -> "RegionQuerySet":
        """Kelurahan and desa: the lowest level, where PSM serve."""
        return self.filter(level__in=Region.VILLAGE_LEVELS)

    def within(self, code: str) -> "RegionQuerySet":
        """The region with this code and everything below it."""
        return self.filter(models.Q(code=code) | models.Q(code__startswith=code + "."))


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Desa")

    VILLAGE_LEVELS = (Level.KELURAHAN, Level.DESA)

    code = models.CharField(_("kode"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.name

    @property
    def is_village(self) -> bool:
        return self.level in self.VILLAGE_LEVELS

    @property
    def digits(self) -> str:
        """The code without dots, as used in user names (``psm.3671011001.1``)."""
        return self.code.replace(".", "")
