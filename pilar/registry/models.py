"""The social registry: households (KK), PPKS/PSKS categories and PPKS records with their verval workflow."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pilar.accounts.models import user_key
from pilar.core.models import ProtectedKey, StepEvent, TimeStampedModel
from pilar.identity.models import person_key
from pilar.regions.models import AreaScoped, region_key
from pilar.registry.job_models import WorkerJob
from pilar.registry.querysets import PpksQuerySet, ScopedByAreaQuerySet


class Category(models.Model):
    """Reference data (Permensos 08/2012): 26 PPKS and 12 PSKS kinds, plus RTLH houses; loaded by data migrations."""

    class Kind(models.TextChoices):
        PPKS = "ppks", _("PPKS")
        PSKS = "psks", _("PSKS")
        # Not a Permensos category but recorded and followed like one: the house a family lives in, until a
        # program (Bedah Rumah) renovates it and the record leaves the registry.
        RTLH = "rtlh", _("Rumah tidak layak huni (RTLH)")

    # The kinds a registry record can have (PSKS are the social workers' side, recorded elsewhere).
    RECORDED_KINDS = (Kind.PPKS, Kind.RTLH)

    class Subject(models.TextChoices):
        PERSON = "person", _("perorangan")
        FAMILY = "family", _("keluarga")
        COMMUNITY = "community", _("komunitas")

    kind = models.CharField(_("jenis"), max_length=4, choices=Kind.choices)
    code = models.CharField(_("kode"), max_length=10, unique=True)
    number = models.PositiveSmallIntegerField(_("nomor urut"))
    name = models.CharField(_("nama"), max_length=150)
    definition = models.TextField(_("definisi/kriteria"), blank=True)
    subject = models.CharField(_("subjek"), max_length=9, choices=Subject.choices, default=Subject.PERSON)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kind", "number"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="category_number_per_kind")]

    def __str__(self) -> str:
        return self.name


class Relationship(models.TextChoices):
    """Status hubungan dalam keluarga (SHDK) as printed on the KK."""

    HEAD = "kepala", _("Kepala keluarga")
    HUSBAND = "suami", _("Suami")
    WIFE = "istri", _("Istri")
    CHILD = "anak", _("Anak")
    CHILD_IN_LAW = "menantu", _("Menantu")
    GRANDCHILD = "cucu", _("Cucu")
    PARENT = "orang_tua", _("Orang tua")
    PARENT_IN_LAW = "mertua", _("Mertua")
    RELATIVE = "famili", _("Famili lain")
    HELPER = "pembantu", _("Pembantu")
    OTHER = "lainnya", _("Lainnya")


class Household(AreaScoped, TimeStampedModel):
    """A family as on its KK. The KK number changes when a family splits or moves; its history is kept."""

    kk_number = models.CharField(_("nomor KK"), max_length=16, unique=True, null=True, blank=True)
    head = models.ForeignKey(
        "identity.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kepala keluarga"),
    )
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    # Keys to regions that are never deleted: see PpksRecord for why they have no database constraint.
    kecamatan = region_key(db_constraint=False)
    # Indexed by (kelurahan, id) below; a second index on the column alone would only slow imports.
    kelurahan = region_key(db_index=False, db_constraint=False)

    objects = ScopedByAreaQuerySet.as_manager()
    # Not a column: today's members, set by the prefetch of ``selectors.households_visible_to``.
    current_members: list["HouseholdMember"]

    class Meta:
        verbose_name = _("keluarga (KK)")
        verbose_name_plural = _("keluarga (KK)")
        indexes = [models.Index(fields=["kelurahan", "id"])]

    def __str__(self) -> str:
        # Never the KK number: a household printed anywhere must not carry an identifier past the visibility table.
        return f"KK #{self.pk}"


# A record's key to a family it is about.
household_key: ProtectedKey[Household] = ProtectedKey("registry.Household")


class HouseholdKk(models.Model):
    """A KK number the household held, from when to when."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="kk_history")
    kk_number = models.CharField(_("nomor KK"), max_length=16, db_index=True)
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=200, blank=True)

    class Meta:
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return self.kk_number


class HouseholdMember(TimeStampedModel):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = person_key(related_name="memberships")
    # Blank: unknown. An office list often has the KK number but no SHDK column; the member is recorded
    # and the relationship waits for someone to fill it in.
    relationship = models.CharField(_("hubungan (SHDK)"), max_length=10, choices=Relationship.choices, blank=True)
    since = models.DateField(_("sejak"), null=True, blank=True)
    until = models.DateField(_("sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("anggota keluarga")
        verbose_name_plural = _("anggota keluarga")
        constraints = [
            # A person belongs to one household at a time.
            models.UniqueConstraint(fields=["person"], condition=Q(until__isnull=True), name="one_current_household"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class PpksStatus(models.TextChoices):
    PROPOSED = "diusulkan", _("Diusulkan")
    NEEDS_FIX = "perlu_perbaikan", _("Perlu perbaikan")
    VERIFIED = "diverifikasi", _("Diverifikasi")
    REJECTED = "ditolak", _("Ditolak")
    VALIDATED = "ditetapkan", _("Ditetapkan")
    EXITED = "keluar", _("Keluar")


class FieldResult(models.TextChoices):
    FOUND = "ditemukan", _("Ditemukan")
    NOT_FOUND = "tidak_ditemukan", _("Tidak ditemukan")
    MOVED = "pindah", _("Pindah")
    DIED = "meninggal", _("Meninggal")


class Source(models.TextChoices):
    PSM = "psm", _("Temuan lapangan PSM")
    RESIDENT = "warga", _("Usulan warga")
    COMPLAINT = "pengaduan", _("Pengaduan masyarakat")
    OPERATOR = "operator", _("Input operator Dinsos")
    IMPORT = "impor", _("Impor berkas")


class ExitReason(models.TextChoices):
    GRADUATED = "graduasi", _("Graduasi (sudah mandiri)")
    DIED = "meninggal", _("Meninggal")
    MOVED = "pindah", _("Pindah")
    INELIGIBLE = "tidak_layak", _("Tidak lagi memenuhi kriteria")
    HANDLED = "ditangani", _("Tertangani oleh program")  # e.g. the house renovated by Bedah Rumah


class PpksRecord(AreaScoped, TimeStampedModel):
    """A person or household × a PPKS category, with who reported, verified and validated it, and when."""

    # Every index here is paid for by each imported row; the composite indexes in Meta lead with person,
    # kecamatan and kelurahan, so those keys get no index of their own, and the keys that are mostly empty
    # (household, verifier, validator, duplicate) get partial indexes over their filled rows only.
    # Keys to reference rows that are never deleted (regions, categories, users, import jobs) are reference
    # keys (``db_constraint=False``, also on Address): no database constraint, because PostgreSQL checks each
    # one with a query per inserted row (about 6 µs: 45 s of a million-row import); Django still enforces
    # on_delete, forms and the importer only take ids from those tables, and the importer re-checks the rows
    # it wrote with one anti-join per key.
    person = person_key(null=True, blank=True, related_name="ppks_records", db_index=False)
    household = household_key(null=True, blank=True, related_name="ppks_records", db_index=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("kategori"), db_constraint=False)
    kecamatan = region_key(db_index=False, db_constraint=False)
    kelurahan = region_key(db_index=False, db_constraint=False)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.TextField(_("keterangan"), blank=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=15, choices=PpksStatus.choices, default=PpksStatus.PROPOSED)
    reported_by = user_key(_("pelapor"), null=True, blank=True, db_constraint=False)
    proposed_at = models.DateTimeField(_("diusulkan pada"))
    verified_by = user_key(_("pemverifikasi"), null=True, blank=True, db_index=False, db_constraint=False)
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    field_result = models.CharField(_("hasil lapangan"), max_length=15, choices=FieldResult.choices, blank=True)
    validated_by = user_key(_("penetap"), null=True, blank=True, db_index=False, db_constraint=False)
    validated_at = models.DateTimeField(_("ditetapkan pada"), null=True, blank=True)
    exit_date = models.DateField(_("tanggal keluar"), null=True, blank=True)
    exit_reason = models.CharField(_("alasan keluar"), max_length=12, choices=ExitReason.choices, blank=True)
    # Set when the same subject was already recorded under this category: flagged, not refused.
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    import_job = models.ForeignKey(
        "registry.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        db_constraint=False,
    )
    source_row = models.PositiveIntegerField(_("baris asal"), null=True, blank=True)  # the import sheet's row

    objects = PpksQuerySet.as_manager()

    class Meta:
        verbose_name = _("data PPKS")
        verbose_name_plural = _("data PPKS")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(household__isnull=False), name="ppks_has_a_subject"
            ),
        ]
        indexes = [
            models.Index(fields=["kelurahan", "category", "id"]),
            models.Index(fields=["kecamatan", "status", "id"]),
            # A kecamatan's list, newest first (an operator's filter, a TKSK's area): read from this index alone,
            # the restricted-person filters included, instead of walking the whole registry's ids backwards
            # (a page at offset 5,550 in a kecamatan of 80,000 records: 66 ms on three processes -> 0.7 ms).
            models.Index(fields=["kecamatan", "id"], include=["person", "household"], name="ppks_kecamatan_newest"),
            # The same for a kelurahan (a PSM's list: the first page of a kelurahan of 10,000 records walked
            # 2,500 of the registry's newest ids, 5.5 ms).
            models.Index(fields=["kelurahan", "id"], include=["person", "household"], name="ppks_kelurahan_newest"),
            models.Index(fields=["person", "category"]),
            models.Index(fields=["status", "id"]),
            models.Index(fields=["household"], condition=Q(household__isnull=False), name="ppks_household_set"),
            models.Index(fields=["verified_by"], condition=Q(verified_by__isnull=False), name="ppks_verifier_set"),
            models.Index(fields=["validated_by"], condition=Q(validated_by__isnull=False), name="ppks_validator_set"),
            models.Index(fields=["duplicate_of"], condition=Q(duplicate_of__isnull=False), name="ppks_duplicate_set"),
        ]

    def __str__(self) -> str:
        subject = self.person or self.household
        return f"{self.category} — {subject}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:ppks_detail", args=[self.pk])


class PpksEvent(StepEvent):
    """One step of a record's verval: who, when, from which status to which, and why."""

    record = models.ForeignKey(PpksRecord, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=15, blank=True)
    to_status = models.CharField(max_length=15)
    # No index on the actor: nothing lists events by user, and users are deactivated, not deleted (a delete
    # would scan the events once to honour PROTECT).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, db_index=False, db_constraint=False
    )
    field_result = models.CharField(max_length=15, choices=FieldResult.choices, blank=True)

    class Meta(StepEvent.Meta):
        verbose_name = _("riwayat verval")
        verbose_name_plural = _("riwayat verval")


class Evidence(TimeStampedModel):
    """A photo or document backing a record (size and type checked on upload)."""

    record = models.ForeignKey(PpksRecord, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("berkas"), upload_to="ppks/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    note = models.CharField(_("keterangan"), max_length=250, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")

    def __str__(self) -> str:
        return str(self.file)  # the stored name


class ImportJob(WorkerJob):
    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all-or-nothing", _("Semua atau tidak sama sekali")
        VALID_ROWS = "valid-rows", _("Impor baris yang valid, laporkan sisanya")

    class Status(models.TextChoices):
        DRAFT = "pratinjau", _("Pratinjau: pemetaan kolom belum dikonfirmasi")
        QUEUED = "antre", _("Menunggu")
        RUNNING = "berjalan", _("Berjalan")
        DONE = "selesai", pgettext_lazy("import status", "Selesai")
        REJECTED = "ditolak", _("Ditolak (ada kesalahan)")
        FAILED = "gagal", _("Gagal")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    file = models.FileField(upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("nama berkas"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    mode = models.CharField(_("mode"), max_length=14, choices=Mode.choices)
    dry_run = models.BooleanField(_("uji coba"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    error_file = models.FileField(upload_to="imports/errors/%Y/%m/", blank=True)
    retry_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="retries")
    # How the sheet was read: the (last) row of column titles, and the rows that are not people, skipped.
    header_row = models.PositiveIntegerField(null=True, blank=True)
    skipped_rows = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True)  # [[first row, last row, reason], ...], the first 500 runs
    warning_count = models.PositiveIntegerField(default=0)
    conflict_count = models.PositiveIntegerField(default=0)
    # How the sheet's columns are read: a profile by name, or the mapping chosen in the preview (field -> column
    # index, which wins); neither: guessed from the titles.
    profile = models.CharField(_("profil impor"), max_length=50, blank=True)
    columns = models.JSONField(default=dict, blank=True)
    # Rows whose category does not fit the person (pilar.registry.plausibility): imported only when chosen.
    accept_warnings = models.BooleanField(_("impor juga baris dengan peringatan"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor")
        verbose_name_plural = _("impor")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class DuplicateCandidate(AreaScoped, TimeStampedModel):
    """A pair of person records that may be one person, with its score and the reviewer's decision."""

    class Status(models.TextChoices):
        OPEN = "terbuka", _("Perlu ditinjau")
        MERGED = "digabung", _("Digabung")
        DISTINCT = "bukan_duplikat", _("Bukan duplikat")

    person_a = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=4, decimal_places=3)
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.OPEN, db_index=True)
    kelurahan = region_key(null=True)
    kecamatan = region_key(null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedByAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("kandidat duplikat")
        verbose_name_plural = _("kandidat duplikat")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(person_a__lt=models.F("person_b")), name="duplicate_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.score})"


from pilar.registry.export_models import ExportJob  # noqa: E402,F401  (registered with the app)
from pilar.registry.import_models import ImportConflict, ImportProfile  # noqa: E402,F401  (registered with the app)
from pilar.registry.request_models import RegistrationRequest  # noqa: E402,F401  (registered with the app)
