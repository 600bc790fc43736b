"""Summary tables behind the dashboard: the registry's counts kept current, so that no page counts a million rows.

``PpksTally`` holds today's count of records per kecamatan × kelurahan × category × status; ``PpksMonth`` how
many records entered the registry (were validated) and left it (exited) in each month. Both are kept current
from the registry's verval events (``pilar.stats.tally``): every service writes one event per status change,
the dashboard applies the new ones before it reads, and the task worker rebuilds both tables from the records
every few minutes. The area keys are the record's own kecamatan and kelurahan, so that a user's scope filters
the tallies exactly as ``PpksRecord.objects.visible_to`` filters the records.
"""

from django.db import models


class AreaKeys(models.Model):
    """The record's own kecamatan and kelurahan (below: its category, or who reported it): keys to reference rows
    that are never deleted (regions, categories), with neither a database constraint nor an index of their own,
    because the rebuild inserts thousands of rows at once and needs no check per row (as the registry's reference
    keys); each table indexes what it is read by."""

    kecamatan = models.ForeignKey(
        "regions.Region", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    kelurahan = models.ForeignKey(
        "regions.Region", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )

    class Meta:
        abstract = True


class CategoryKeys(AreaKeys):
    category = models.ForeignKey(
        "registry.Category", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )

    class Meta:
        abstract = True


class ReporterKeys(AreaKeys):
    reporter = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )

    class Meta:
        abstract = True


class BuildState(models.Model):
    """One row: the last verval event its tables include, and when they were last rebuilt from the records."""

    last_event_id = models.BigIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"event {self.last_event_id}, rebuilt {self.rebuilt_at}"


class PpksTally(CategoryKeys):
    status = models.CharField(max_length=15)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "kelurahan", "category", "status"], name="ppks_tally_key"),
        ]
        indexes = [models.Index(fields=["kelurahan", "category"], name="ppks_tally_kelurahan")]

    def __str__(self) -> str:
        return f"{self.kelurahan_id}/{self.category_id}/{self.status}: {self.count}"


class PpksMonth(CategoryKeys):
    month = models.DateField()  # the first day of the month, in Asia/Jakarta
    entered = models.IntegerField(default=0)  # validated (ditetapkan) in this month
    exited = models.IntegerField(default=0)  # left the registry (keluar) in this month

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "kecamatan", "kelurahan", "category"], name="ppks_month_key"),
        ]
        indexes = [models.Index(fields=["kelurahan", "month"], name="ppks_month_kelurahan")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kelurahan_id}/{self.category_id}: +{self.entered} -{self.exited}"


class TallyState(BuildState):
    """The state of ``PpksTally`` and ``PpksMonth``."""


class Boundary(models.Model):
    """A kelurahan's or kecamatan's outline for the dashboard map: rings of [longitude, latitude] points."""

    code = models.CharField(max_length=13, unique=True)  # Kemendagri code, as regions.Region.code
    name = models.CharField(max_length=120)
    rings = models.JSONField()  # [[[lng, lat], ...], ...]: the outer ring(s) of its polygon(s)
    label = models.JSONField(default=list, blank=True)  # [lng, lat] where its name goes, if the source has one

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class QualityTally(ReporterKeys):
    """The data-quality page's counts (``pilar.stats.quality``): records per area × reporter × status and the
    three facts the page measures (about a person, the person has a NIK, the record has evidence)."""

    status = models.CharField(max_length=15)
    has_person = models.BooleanField()
    has_nik = models.BooleanField()
    has_evidence = models.BooleanField()
    count = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["kelurahan"], name="quality_tally_kelurahan")]

    def __str__(self) -> str:
        return f"{self.kelurahan_id}/{self.reporter_id}/{self.status}: {self.count}"


class QualityDays(ReporterKeys):
    """How many validated records took ``days`` whole days from proposal to validation, per area × reporter:
    the median per group is read from this histogram instead of from the records."""

    days = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["kelurahan"], name="quality_days_kelurahan")]

    def __str__(self) -> str:
        return f"{self.kelurahan_id}/{self.reporter_id}: {self.days} d × {self.count}"


class QualityState(BuildState):
    """The state of ``QualityTally`` and ``QualityDays``."""
