"""Data-quality indicators of the registry per kecamatan, per kelurahan and per PSM (the reporter).

Every figure is one grouped aggregate query over the user's scope (``visible_to``), so the page costs
a handful of queries whatever the registry's size. Only the median needs the values themselves: it is
taken in Python over ``values_list`` of the validated records' two timestamps.

Definitions (shown on the page as well):
* share with NIK: of the records about a person, those whose person has a NIK (validated on entry);
* share verified: records at diverifikasi or later (ditetapkan, keluar);
* median days: from proposal to validation (ditetapkan), over the records validated;
* without evidence: records with no Evidence row.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from pilar.registry.models import DuplicateCandidate, Evidence, PpksRecord, PpksStatus

VERIFIED_OR_LATER = (PpksStatus.VERIFIED, PpksStatus.VALIDATED, PpksStatus.EXITED)


@dataclass(frozen=True)
class Grouping:
    key: str  # the PpksRecord field grouped on
    labels: tuple[str, ...]  # fields shown for a group: name, then its parent's
    candidate_key: str | None  # the same grouping on DuplicateCandidate (None: no such field)


GROUPINGS = {
    "kecamatan": Grouping("kecamatan_id", ("kecamatan__name",), "kecamatan_id"),
    "kelurahan": Grouping("kelurahan_id", ("kelurahan__name", "kecamatan__name"), "kelurahan_id"),
    "psm": Grouping("reported_by_id", ("reported_by__full_name", "reported_by__username"), None),
}


@dataclass
class QualityRow:
    key: int | None
    labels: tuple[str, ...]
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    person_records: int = 0
    with_nik: int = 0
    verified: int = 0
    without_evidence: int = 0
    median_days: float | None = None
    open_duplicates: int = 0

    @property
    def name(self) -> str:
        """The group's name (a PSM without a full name shows the username)."""
        return next((str(label) for label in self.labels if label), "–")

    @property
    def parent(self) -> str:
        """The kecamatan of a kelurahan row; empty otherwise."""
        return str(self.labels[1] or "") if len(self.labels) > 1 and self.labels[0] else ""

    @property
    def nik_share(self) -> float | None:
        return self.with_nik / self.person_records if self.person_records else None

    @property
    def verified_share(self) -> float | None:
        return self.verified / self.total if self.total else None


def quality_rows(user: Any, by: str) -> list[QualityRow]:
    """One row per group in the user's area, ordered by name; unknown ``by`` raises KeyError."""
    grouping = GROUPINGS[by]
    records = PpksRecord.objects.visible_to(user).order_by()
    rows = {row.key: row for row in _counts(records, grouping)}
    for key, days in _median_days(records, grouping.key).items():
        if key in rows:
            rows[key].median_days = days
    for key, count in _open_duplicates(user, grouping).items():
        if key in rows:
            rows[key].open_duplicates = count
    return sorted(rows.values(), key=lambda r: tuple(str(x or "") for x in r.labels))


def _counts(records: QuerySet[PpksRecord], grouping: Grouping) -> list[QualityRow]:
    no_evidence = ~Exists(Evidence.objects.filter(record=OuterRef("pk")))
    per_status = {f"s_{s}": Count("id", filter=Q(status=s)) for s in PpksStatus.values}
    qs = records.values(grouping.key, *grouping.labels).annotate(
        total=Count("id"),
        person_records=Count("id", filter=Q(person__isnull=False)),
        with_nik=Count("id", filter=Q(person__nik__isnull=False)),
        verified=Count("id", filter=Q(status__in=VERIFIED_OR_LATER)),
        without_evidence=Count("id", filter=no_evidence),
        **per_status,
    )
    return [
        QualityRow(
            key=r[grouping.key], labels=tuple(r[f] for f in grouping.labels), total=r["total"],
            by_status={s: r[f"s_{s}"] for s in PpksStatus.values}, person_records=r["person_records"],
            with_nik=r["with_nik"], verified=r["verified"], without_evidence=r["without_evidence"],
        )
        for r in qs
    ]  # fmt: skip


def _median_days(records: QuerySet[PpksRecord], key: str) -> dict[Any, float]:
    durations: dict[Any, list[float]] = defaultdict(list)
    validated = records.filter(validated_at__isnull=False).values_list(key, "proposed_at", "validated_at")
    for group, proposed, validated_at in validated.iterator(chunk_size=10_000):
        durations[group].append((validated_at - proposed).total_seconds() / 86400)
    return {group: round(median(days), 1) for group, days in durations.items()}


def _open_duplicates(user: Any, grouping: Grouping) -> dict[Any, int]:
    candidates = DuplicateCandidate.objects.visible_to(user).filter(status=DuplicateCandidate.Status.OPEN).order_by()
    if grouping.candidate_key is not None:
        counts = candidates.values(grouping.candidate_key).annotate(n=Count("id"))
        return {r[grouping.candidate_key]: r["n"] for r in counts}
    # Per PSM: the open pairs touching a person the PSM reported, each pair counted once per PSM.
    pairs: set[tuple[int, int]] = set()
    for side in ("person_a", "person_b"):
        reporter = f"{side}__ppks_records__reported_by_id"
        pairs.update(candidates.filter(**{f"{reporter}__isnull": False}).values_list(reporter, "id").distinct())
    counts: dict[Any, int] = defaultdict(int)
    for psm, _pk in pairs:
        counts[psm] += 1
    return counts


def totals(rows: list[QualityRow]) -> QualityRow:
    """The sum of the rows (the median of medians would mislead, so the total row has none)."""
    total = QualityRow(key=None, labels=("",))
    for row in rows:
        total.total += row.total
        total.person_records += row.person_records
        total.with_nik += row.with_nik
        total.verified += row.verified
        total.without_evidence += row.without_evidence
        total.open_duplicates += row.open_duplicates
        for status, n in row.by_status.items():
            total.by_status[status] = total.by_status.get(status, 0) + n
    return total


def open_conflict_count() -> int:
    """Rows that imports hold for review (NIK or KK already recorded with other data), not yet resolved."""
    from pilar.registry.import_models import ImportConflict

    return ImportConflict.objects.filter(status=ImportConflict.Status.OPEN).count()
