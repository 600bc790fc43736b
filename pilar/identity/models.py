"""A person as the office knows them: shared by the workforce and (later) the social registry."""

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pilar.core.models import ProtectedKey, TimeStampedModel
from pilar.identity.names import normalize_name
from pilar.identity.nik import mask_nik
from pilar.regions.models import region_key


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("Tidak/belum sekolah")
    SD = "sd", _("SD/sederajat")
    SMP = "smp", _("SMP/sederajat")
    SMA = "sma", _("SMA/SMK/sederajat")
    D1_D3 = "diploma", _("Diploma (D1–D3)")
    S1 = "s1", _("D4/S1")
    S2 = "s2", _("S2")
    S3 = "s3", _("S3")


class DukcapilStatus(models.TextChoices):
    """Whether the NIK was matched against the civil registry (Dukcapil)."""

    UNCHECKED = "belum", _("Belum dicek")
    MATCHED = "padan", _("Padan")
    UNMATCHED = "tidak_padan", _("Tidak padan")


class Person(TimeStampedModel):
    # One NIK is one person; persons without a NIK (homeless, abandoned babies…) keep it empty.
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    name = models.CharField(_("nama"), max_length=150)
    name_normalized = models.CharField(max_length=150, db_index=True, editable=False)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    # A reference key without a database constraint, as the registry's keys to regions (see PpksRecord).
    village = region_key(_("kelurahan (alamat KTP)"), db_constraint=False, null=True, blank=True)
    phone = models.CharField(_("telepon"), max_length=16, blank=True)
    education = models.CharField(_("pendidikan"), max_length=15, choices=Education.choices, blank=True)
    is_rt_rw_head = models.BooleanField(_("menjabat ketua RT/RW"), default=False)
    dukcapil_status = models.CharField(
        _("status padan Dukcapil"), max_length=11, choices=DukcapilStatus.choices, default=DukcapilStatus.UNCHECKED
    )
    # UU PDP restriction of processing: hidden from every list, search, export and report except to Dinsos
    # admins (pilar.identity.restriction); set and lifted only by pilar.rights.services.
    restricted_at = models.DateTimeField(_("pemrosesan dibatasi sejak"), null=True, blank=True)
    # db_default: the importer's COPY names its columns and leaves this one to the database.
    restriction_reason = models.CharField(_("alasan pembatasan"), max_length=300, blank=True, default="", db_default="")
    anonymised_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True)
    # The national registry's own id (ID DTKS/DTSEN), kept so that data handed back to the province matches.
    external_id = models.CharField(_("ID DTKS/DTSEN"), max_length=40, blank=True, default="", db_default="")
    # Provenance: the import (registry.ImportJob id, a plain number: identity imports nothing of the registry)
    # and the sheet row that created or last changed this person.
    source_import = models.PositiveIntegerField(_("impor asal"), null=True, blank=True)
    source_row = models.PositiveIntegerField(_("baris asal"), null=True, blank=True)

    class Meta:
        ordering = ["name_normalized", "id"]
        indexes = [
            models.Index(fields=["birth_date", "sex"]),
            # Every scoped list excludes the (few) restricted persons: this keeps that subquery a tiny index read.
            models.Index(fields=["restricted_at"], name="person_restricted", condition=Q(restricted_at__isnull=False)),
        ]
        verbose_name = _("orang")
        verbose_name_plural = _("orang")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived search key, kept in step with the name (not a business rule).
        self.name_normalized = normalize_name(self.name)
        if kwargs.get("update_fields") and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_normalized"}
        super().save(*args, **kwargs)

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)


# A record's key to a person it is about (the person is anonymised on request, not deleted).
person_key: ProtectedKey[Person] = ProtectedKey("identity.Person")


class Match(models.Lookup):
    """``column MATCH phrase``: SQLite FTS5's full-text condition (``search_entry__name_normalized__match``)."""

    lookup_name = "match"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", (*lhs_params, *rhs_params)


class SearchText(models.TextField):  # type: ignore[type-arg]  # a column of the FTS5 table, read as text
    pass


SearchText.register_lookup(Match)


class PersonSearch(models.Model):
    """SQLite's FTS5 trigram index of the normalised names (migration ``identity.0006``, absent on PostgreSQL), as
    a table a query can join: its rowid is the person's id. Joined, the index hands out its matches one by one, so
    a count that stops at 1,000 or a newest-first page stops reading them early; ``id IN (SELECT rowid … MATCH)``
    first builds the list of every match (58,000 for "muhammad" among a million persons). Used by
    ``pilar.identity.search`` on SQLite only; Django never creates, writes or flushes it (``managed = False``)."""

    person = models.OneToOneField(
        Person,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="search_entry",
    )
    name_normalized = SearchText()

    class Meta:
        managed = False
        db_table = "identity_person_search"

    def __str__(self) -> str:
        return f"search entry of person {self.pk}"
