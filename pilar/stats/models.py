"""Summary tables behind the dashboard: the registry's counts kept current, so that no page counts a million rows.

``PpksTally`` holds today's count of records per kecamatan × kelurahan × category × status; ``PpksMonth`` how
many records entered the registry (were validated) and left it (exited) in each month. Both are kept current
from the registry's verval events (``pilar.stats.tally``): every service writes one event per status change,
the dashboard applies the new ones before it reads, and the task worker rebuilds both tables from the records
every few minutes. The area keys are the record's own kecamatan and kelurahan, so that a user's scope filters
the tallies exactly as ``PpksRecord.objects.visible_to`` filters the records.
"""

from typing import Any

from django.db import models

# Keys to reference rows that are never deleted (regions, categories), without a database constraint: the
# rebuild inserts thousands of rows at once and needs no check per row (as the registry's reference keys).
KEY: dict[str, Any] = {"on_delete": models.DO_NOTHING, "db_constraint": False, "related_name": "+"}


class PpksTally(models.Model):
    kecamatan = models.ForeignKey("regions.Region", db_index=False, **KEY)
    kelurahan = models.ForeignKey("regions.Region", db_index=False, **KEY)
    category = models.ForeignKey("registry.Category", db_index=False, **KEY)
    status = models.CharField(max_length=15)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "kelurahan", "category", "status"], name="ppks_tally_key"),
        ]
        indexes = [models.Index(fields=["kelurahan", "category"], name="ppks_tally_kelurahan")]

    def __str__(self) -> str:
        return f"{self.kelurahan_id}/{self.category_id}/{self.status}: {self.count}"


class PpksMonth(models.Model):
    month = models.DateField()  # the first day of the month, in Asia/Jakarta
    kecamatan = models.ForeignKey("regions.Region", db_index=False, **KEY)
    kelurahan = models.ForeignKey("regions.Region", db_index=False, **KEY)
    category = models.ForeignKey("registry.Category", db_index=False, **KEY)
    entered = models.IntegerField(default=0)  # validated (ditetapkan) in this month
    exited = models.IntegerField(default=0)  # left the registry (keluar) in this month

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "kecamatan", "kelurahan", "category"], name="ppks_month_key"),
        ]
        indexes = [models.Index(fields=["kelurahan", "month"], name="ppks_month_kelurahan")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kelurahan_id}/{self.category_id}: +{self.entered} -{self.exited}"


class TallyState(models.Model):
    """One row: the last verval event the tables include, and when they were last rebuilt from the records."""

    last_event_id = models.BigIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"event {self.last_event_id}, rebuilt {self.rebuilt_at}"


class Boundary(models.Model):
    """A kelurahan's or kecamatan's outline for the dashboard map: rings of [longitude, latitude] points."""

    code = models.CharField(max_length=13, unique=True)  # Kemendagri code, as regions.Region.code
    name = models.CharField(max_length=120)
    rings = models.JSONField()  # [[[lng, lat], ...], ...]: the outer ring(s) of its polygon(s)
    label = models.JSONField(default=list, blank=True)  # [lng, lat] where its name goes, if the source has one

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class QualityTally(models.Model):
    """The data-quality page's counts (``pilar.stats.quality``): records per area × reporter × status and the
    three facts the page measures (about a person, the person has a NIK, the record has evidence)."""

    kecamatan = models.ForeignKey("regions.Region", db_index=False, **KEY)
    kelurahan = models.ForeignKey("regions.Region", db_index=False, **KEY)
    reporter = models.ForeignKey("accounts.User", null=True, db_index=False, **KEY)
    status = models.CharField(max_length=15)
    has_person = models.BooleanField()
    has_nik = models.BooleanField()
    has_evidence = models.BooleanField()
    count = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["kelurahan"], name="quality_tally_kelurahan")]

    def __str__(self) -> str:
        return f"{self.kelurahan_id}/{self.reporter_id}/{self.status}: {self.count}"


class QualityDays(models.Model):
    """How many validated records took ``days`` whole days from proposal to validation, per area × reporter:
    the median per group is read from this histogram instead of from the records."""

    kecamatan = models.ForeignKey("regions.Region", db_index=False, **KEY)
    kelurahan = models.ForeignKey("regions.Region", db_index=False, **KEY)
    reporter = models.ForeignKey("accounts.User", null=True, db_index=False, **KEY)
    days = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["kelurahan"], name="quality_days_kelurahan")]

    def __str__(self) -> str:
        return f"{self.kelurahan_id}/{self.reporter_id}: {self.days} d × {self.count}"


class QualityState(models.Model):
    """One row: the last verval event the quality tables include, and when they were last rebuilt."""

    last_event_id = models.BigIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"event {self.last_event_id}, rebuilt {self.rebuilt_at}"
