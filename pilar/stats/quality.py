"""The registry's data-quality indicators per kecamatan, kelurahan or PSM, read from summary tables.

The page never counts the registry: ``QualityTally`` holds the number of records per kecamatan × kelurahan ×
reporter × status × (about a person, the person has a NIK, the record has evidence), ``QualityDays`` a
histogram of whole days from proposal to validation per kecamatan × kelurahan × reporter. They are kept as the
dashboard's tallies are (``pilar.stats.tally``): the verval events written since the last read are applied
before every page (a record that changes status moves from one row to another), and the task worker rebuilds
both tables from the records every ``PILAR_STATS_REBUILD_MINUTES``. What no event tells (a NIK filled in later,
evidence uploaded, a record's area corrected) shows at the next rebuild; the page says when that ran. Past
``CATCH_UP_LIMIT`` new events (a big import) the page does not catch up in the request: it shows the tables as
they are until the worker's rebuild, so the page stays fast during and after an import.

Scope: the tables are filtered with the registry's area rule (``_where``, as the dashboard does), and the
records of restricted persons (UU PDP) are read live and taken away for users who do not see them.

Definitions (shown on the page as well):
* share with NIK: of the records about a person, those whose person has a NIK (validated on entry);
* share verified: records at diverifikasi or later (ditetapkan, keluar);
* median days: from proposal to validation, over the records ditetapkan or keluar, in whole days;
* without evidence: records with no Evidence row.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Sum

from pilar.accounts.permissions import Access, access_for
from pilar.identity.restriction import sees_restricted
from pilar.stats.models import QualityDays, QualityState, QualityTally
from pilar.stats.tally import Upkeep, add_to

STATUSES = ("diusulkan", "perlu_perbaikan", "diverifikasi", "ditolak", "ditetapkan", "keluar")
VERIFIED_OR_LATER = ("diverifikasi", "ditetapkan", "keluar")
VALIDATED = ("ditetapkan", "keluar")
# The record fields (and two derived facts) a contribution depends on.
AREA = ("kecamatan_id", "kelurahan_id", "reporter_id")
FLAGS = ("has_person", "has_nik", "has_evidence")

Key = tuple  # ("t", kecamatan, kelurahan, reporter, status, has_person, has_nik, has_evidence)
#            | ("d", kecamatan, kelurahan, reporter, days)


# ---------------------------------------------------------------------------------------------------- upkeep


def _records() -> Any:
    """The registry's records with the fields of ``contributions`` (``reporter_id`` = ``reported_by_id``)."""
    from pilar.registry.models import Evidence, PpksRecord

    def flag(condition: Any) -> ExpressionWrapper:
        return ExpressionWrapper(condition, output_field=BooleanField())

    return PpksRecord.objects.order_by().annotate(
        has_person=flag(Q(person__isnull=False)),
        has_nik=flag(Q(person__nik__isnull=False)),
        has_evidence=flag(Exists(Evidence.objects.filter(record=OuterRef("pk")))),
    )


def _record_values(qs: Any) -> Any:
    return qs.values(
        "id", "kecamatan_id", "kelurahan_id", "reported_by_id", "proposed_at", "validated_at", "status", *FLAGS
    )


def days_between(proposed: datetime | None, validated: datetime | None) -> int | None:
    if proposed is None or validated is None:
        return None
    return max(0, int((validated - proposed).total_seconds() // 86400))


def contributions(record: dict[str, Any], status: str) -> list[Key]:
    """What ``record`` (a dict of ``_record_values``) adds to the tables while it has ``status``."""
    area = (record["kecamatan_id"], record["kelurahan_id"], record["reported_by_id"])
    keys: list[Key] = [("t", *area, status, *(bool(record[f]) for f in FLAGS))]
    days = days_between(record["proposed_at"], record["validated_at"])
    if status in VALIDATED and days is not None:
        keys.append(("d", *area, days))
    return keys


def catch_up() -> QualityState:
    return QUALITY.catch_up()


def rebuild() -> QualityState:
    return QUALITY.rebuild()


def _records_of(ids: set[int]) -> dict[int, dict[str, Any]]:
    return {r["id"]: r for r in _record_values(_records().filter(pk__in=ids))}


def _apply(deltas: Counter) -> None:
    for key, delta in deltas.items():
        if not delta:
            continue
        if key[0] == "t":
            add_to(QualityTally, dict(zip((*AREA, "status", *FLAGS), key[1:], strict=True)), "count", delta)
        else:
            add_to(QualityDays, dict(zip((*AREA, "days"), key[1:], strict=True)), "count", delta)


def _count_tallies() -> list[QualityTally]:
    grouped = _records().values("kecamatan_id", "kelurahan_id", "reported_by_id", "status", *FLAGS)
    return [
        QualityTally(
            kecamatan_id=r["kecamatan_id"],
            kelurahan_id=r["kelurahan_id"],
            reporter_id=r["reported_by_id"],
            status=r["status"],
            count=r["n"],
            **{f: bool(r[f]) for f in FLAGS},
        )
        for r in grouped.annotate(n=Count("id"))
    ]


def _count_days() -> list[QualityDays]:
    from pilar.registry.models import PpksRecord

    validated = PpksRecord.objects.order_by().filter(status__in=VALIDATED, validated_at__isnull=False)
    histogram: Counter = Counter()
    rows = validated.values_list("kecamatan_id", "kelurahan_id", "reported_by_id", "proposed_at", "validated_at")
    for kecamatan, kelurahan, reporter, proposed, validated_at in rows.iterator(chunk_size=20_000):
        histogram[(kecamatan, kelurahan, reporter, days_between(proposed, validated_at))] += 1
    return [
        QualityDays(kecamatan_id=kec, kelurahan_id=kel, reporter_id=rep, days=days, count=n)
        for (kec, kel, rep, days), n in histogram.items()
    ]


# A big import is not caught up in the request: the page shows the tables as they are until the worker's rebuild.
QUALITY = Upkeep(
    name="quality tallies",
    state=QualityState,
    tables=(QualityTally, QualityDays),
    count=lambda: (_count_tallies(), _count_days()),
    records_of=_records_of,
    contributions=contributions,
    apply=_apply,
    rebuild_far_behind=False,
)


# ------------------------------------------------------------------------------------------------------ read


@dataclass(frozen=True)
class Grouping:
    key: str  # the tables' field grouped on
    candidate_key: str | None  # the same grouping on DuplicateCandidate (None: no such field)


GROUPINGS = {
    "kecamatan": Grouping("kecamatan_id", "kecamatan_id"),
    "kelurahan": Grouping("kelurahan_id", "kelurahan_id"),
    "psm": Grouping("reporter_id", None),
}


@dataclass
class QualityRow:
    key: int | None
    labels: tuple[str, ...] = ("",)  # the group's name, then its parent's (a kelurahan's kecamatan)
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
    def status_counts(self) -> list[tuple[Any, int | str]]:
        """(label, count) for each registry status in ``PpksStatus`` order, "" where there is none: the data
        quality page's columns, without the template searching every row's statuses for each column."""
        from pilar.registry.models import PpksStatus

        return [(label, self.by_status.get(value, "")) for value, label in PpksStatus.choices]

    @property
    def nik_share(self) -> float | None:
        return self.with_nik / self.person_records if self.person_records else None

    @property
    def verified_share(self) -> float | None:
        return self.verified / self.total if self.total else None

    def count(self, status: str, has_person: bool, has_nik: bool, has_evidence: bool, n: int) -> None:
        self.total += n
        self.by_status[status] = self.by_status.get(status, 0) + n
        self.person_records += n if has_person else 0
        self.with_nik += n if has_nik else 0
        self.verified += n if status in VERIFIED_OR_LATER else 0
        self.without_evidence += 0 if has_evidence else n


@dataclass
class Quality:
    rows: list[QualityRow]
    total: QualityRow
    rebuilt_at: datetime | None


def quality(user: Any, by: str) -> Quality:
    """The page's rows for ``user``'s area, ordered by name; unknown ``by`` raises KeyError."""
    grouping = GROUPINGS[by]
    current = catch_up()
    access = access_for(user)
    where = _where(access)
    position = AREA.index(grouping.key)
    hidden = _hidden(user, where)
    rows: dict[Any, QualityRow] = {}
    tallies = QualityTally.objects.filter(where).values(grouping.key, "status", *FLAGS).annotate(n=Sum("count"))
    for r in tallies:
        _row(rows, r[grouping.key]).count(r["status"], r["has_person"], r["has_nik"], r["has_evidence"], r["n"])
    histograms: dict[Any, Counter] = defaultdict(Counter)
    for group, days, n in (
        QualityDays.objects.filter(where).values_list(grouping.key, "days").annotate(n=Sum("count")).order_by()
    ):
        histograms[group][days] += n
    for record in hidden:
        for key in contributions(record, record["status"]):
            if key[0] == "t":
                status, has_person, has_nik, has_evidence = key[4:]
                _row(rows, key[1 + position]).count(status, has_person, has_nik, has_evidence, -1)
            else:
                histograms[key[1 + position]][key[4]] -= 1
    for group, histogram in histograms.items():
        if group in rows:
            rows[group].median_days = median_of(histogram)
    for group, count in _open_duplicates(user, grouping).items():
        if group in rows:
            rows[group].open_duplicates = count
    found = [row for row in rows.values() if row.total]
    _label(found, by)
    found.sort(key=lambda r: tuple(str(x or "") for x in r.labels))
    return Quality(found, totals(found), current.rebuilt_at)


def quality_rows(user: Any, by: str) -> list[QualityRow]:
    return quality(user, by).rows


def _row(rows: dict[Any, QualityRow], key: Any) -> QualityRow:
    if key not in rows:
        rows[key] = QualityRow(key=key)
    return rows[key]


def median_of(histogram: Counter) -> float | None:
    """The median of the values counted in ``histogram`` (value -> how many), as ``statistics.median``."""
    values = sorted((v, n) for v, n in histogram.items() if n > 0)
    size = sum(n for _v, n in values)
    if not size:
        return None
    middle = ((size - 1) // 2, size // 2)  # the positions of the middle value(s), from 0
    found: list[int] = []
    seen = 0
    for value, n in values:
        found += [value for position in middle if seen <= position < seen + n]
        seen += n
    return round(sum(found) / 2, 1)


def _where(access: Access) -> Q:
    """The registry's area rule (``ScopedByAreaQuerySet.visible_to``) on the tables' two area keys."""
    if access.city_wide:
        return Q()
    return Q(kecamatan_id__in=access.kecamatan_ids) | Q(kelurahan_id__in=access.village_ids)


def _hidden(user: Any, where: Q) -> list[dict[str, Any]]:
    """The records in the tables that ``user`` does not see in the registry: those of restricted persons and of the
    families they head."""
    if sees_restricted(user):
        return []
    # The area rule names the record's own kecamatan_id and kelurahan_id, as the tables' keys.
    return list(_record_values(_records().of_restricted_persons().filter(where)))


def _open_duplicates(user: Any, grouping: Grouping) -> dict[Any, int]:
    from pilar.registry.models import DuplicateCandidate

    candidates = DuplicateCandidate.objects.visible_to(user).filter(status=DuplicateCandidate.Status.OPEN).order_by()
    if grouping.candidate_key is not None:
        grouped = candidates.values(grouping.candidate_key).annotate(n=Count("id"))
        return {r[grouping.candidate_key]: r["n"] for r in grouped}
    # Per PSM: the open pairs touching a person the PSM reported, each pair counted once per PSM.
    pairs: set[tuple[int, int]] = set()
    for side in ("person_a", "person_b"):
        reporter = f"{side}__ppks_records__reported_by_id"
        pairs.update(candidates.filter(**{f"{reporter}__isnull": False}).values_list(reporter, "id").distinct())
    counts: dict[Any, int] = defaultdict(int)
    for psm, _pk in pairs:
        counts[psm] += 1
    return counts


def _label(rows: list[QualityRow], by: str) -> None:
    """Names for the groups: one query for the regions (with their kecamatan) or the users."""
    keys = [row.key for row in rows if row.key is not None]
    if by == "psm":
        from pilar.accounts.models import User

        found = User.objects.filter(pk__in=keys).only("full_name", "username")
        users: dict[Any, tuple[str, ...]] = {u.pk: (u.full_name, u.username) for u in found}
        for row in rows:
            row.labels = users.get(row.key, ("",))
        return
    from pilar.regions.models import Region

    regions = Region.objects.filter(pk__in=keys).select_related("parent").only("name", "parent__name")
    names: dict[Any, tuple[str, ...]] = {
        r.pk: (r.name, r.parent.name if r.parent else "") if by == "kelurahan" else (r.name,) for r in regions
    }
    for row in rows:
        row.labels = names.get(row.key, ("",))


def totals(rows: list[QualityRow]) -> QualityRow:
    """The sum of the rows (the median of medians would mislead, so the total row has none)."""
    total = QualityRow(key=None)
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
