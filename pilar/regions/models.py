"""Kemendagri administrative regions: provinsi > kabupaten/kota > kecamatan > kelurahan/desa."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pilar.core.models import ProtectedKey


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


# A record's key to a region: where it lies, or the area it was made for.
region_key: ProtectedKey[Region] = ProtectedKey("regions.Region")


class AreaScoped:
    """A record that lies in a kecamatan and (below it) a kelurahan: permissions check the user's area against
    ``scope_area()`` (``pilar.accounts.permissions.can``), lists filter on the same two columns."""

    kecamatan_id: int | None
    kelurahan_id: int | None

    def scope_area(self) -> tuple[int | None, int | None]:
        return self.kecamatan_id, self.kelurahan_id


class InArea(AreaScoped, models.Model):
    """The two area columns as most records have them. A record whose columns were made otherwise (without an
    index or a foreign-key constraint) redeclares the one that differs, or declares both and takes
    ``AreaScoped`` alone, so that its table stays as it is."""

    kecamatan = region_key()
    kelurahan = region_key()

    class Meta:
        abstract = True


class Office(models.Model):
    """This installation's office: the letterhead and the head of office on every document Pilar prints.

    One row (``pilar.regions.office.current_office``), edited by the Admin Dinsos on the office settings page;
    until then the region's name and the ``PILAR_HEAD_OF_OFFICE_*`` settings stand in."""

    government = models.CharField(
        _("pemerintah daerah"),
        max_length=150,
        blank=True,
        help_text=_("Baris pertama kop surat, mis. Pemerintah Kota Tangerang."),
    )
    name = models.CharField(_("nama kantor"), max_length=150, default="Dinas Sosial")
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=60, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    website = models.CharField(_("situs web"), max_length=150, blank=True)
    logo = models.FileField(_("logo"), upload_to="kantor/", blank=True)
    head_name = models.CharField(_("nama kepala dinas"), max_length=150, blank=True)
    head_position = models.CharField(_("jabatan kepala dinas"), max_length=150, default="Kepala Dinas Sosial")
    head_nip = models.CharField(_("NIP kepala dinas"), max_length=30, blank=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("kantor")
        verbose_name_plural = _("kantor")

    def __str__(self) -> str:
        return self.name


class Signatory(models.Model):
    """Who signs one kind of document, when it is not the head of office (e.g. the Sekretaris for payroll)."""

    class Document(models.TextChoices):
        PAYROLL = "insentif", _("Rekapitulasi insentif PSM")
        CERTIFICATE = "sertifikat", _("Sertifikat pelatihan")
        REPORT = "laporan", _("Laporan resmi (rekapitulasi PPKS, PSM/TKSK, program, kasus)")

    document = models.CharField(_("dokumen"), max_length=20, choices=Document.choices, unique=True)
    name = models.CharField(_("nama"), max_length=150, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("penandatangan")
        verbose_name_plural = _("penandatangan")

    def __str__(self) -> str:
        return f"{self.get_document_display()}: {self.name}"
