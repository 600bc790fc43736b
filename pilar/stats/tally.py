"""Keeping the summary tables current: applying new verval events, and rebuilding from the records.

A record counts in the tables through its *contributions* (``contributions``): one to today's tally of its
status, one ``entered`` in the month it was validated once it is ``ditetapkan`` or ``keluar``, and one
``exited`` in the month it left once it is ``keluar``. A verval event moves a record from one status to
another, so applying it is taking away the contributions of its old status and adding those of its new one.
Every state change of the registry (its services, merges, imports, the demo) writes such an event, so the
tables follow every path without a hook in each of them.

Two things the events cannot see are repaired by ``rebuild`` (run by the task worker every
``PILAR_STATS_REBUILD_MINUTES``): an event committed after a later one was already applied (concurrent
transactions), and records changed or deleted without an event. The dashboard shows when that last ran.
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, F, Max
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from pilar.stats.models import PpksMonth, PpksTally, TallyState

log = logging.getLogger(__name__)

VALIDATED, EXITED = "ditetapkan", "keluar"
# The record fields a contribution depends on (read together for a batch of events).
RECORD_FIELDS = (
    "id",
    "kecamatan_id",
    "kelurahan_id",
    "category_id",
    "validated_at",
    "proposed_at",
    "exit_date",
    "updated_at",
)
# Past this many new events the tables are rebuilt instead (a big import): one GROUP BY beats reading them all.
CATCH_UP_LIMIT = 5000

Key = tuple  # ("t", kecamatan, kelurahan, category, status) | ("e"|"x", month, kecamatan, kelurahan, category)


def month_of(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.replace(day=1)


def contributions(record: dict[str, Any], status: str) -> list[Key]:
    """What ``record`` adds to the tables while it has ``status`` (``record``: a dict of ``RECORD_FIELDS``)."""
    area = (record["kecamatan_id"], record["kelurahan_id"], record["category_id"])
    keys: list[Key] = [("t", *area, status)]
    if status in (VALIDATED, EXITED):
        keys.append(("e", month_of(record["validated_at"] or record["proposed_at"]), *area))
    if status == EXITED:
        keys.append(("x", month_of(record["exit_date"] or record["updated_at"]), *area))
    return keys


@dataclass(frozen=True)
class Upkeep:
    """How one set of summary tables (the dashboard's here, the data-quality page's in ``pilar.stats.quality``)
    follows the verval events between rebuilds, and is rebuilt from the records."""

    name: str  # for the log
    state: Any  # its ``BuildState`` model: the last event applied, the last rebuild
    tables: tuple[Any, ...]
    count: Callable[[], tuple[list[Any], ...]]  # each table's rows (in ``tables``' order), from the records
    records_of: Callable[[set[int]], dict[int, dict[str, Any]]]  # the contribution fields of records by id
    contributions: Callable[[dict[str, Any], str], list[Key]]  # the keys one record adds in one status
    apply: Callable[[Counter], None]  # deltas by key into the tables
    rebuild_far_behind: bool  # past CATCH_UP_LIMIT new events: rebuild now, or leave it to the worker's rebuild

    def current(self) -> Any:
        found, _ = self.state.objects.get_or_create(pk=1)
        return found

    def catch_up(self) -> Any:
        """Apply the verval events written since the last read (before every page); build the tables if never
        built."""
        current, latest = self.current(), latest_event_id()
        if current.rebuilt_at is None:
            return self.rebuilt_by_someone()
        if latest <= current.last_event_id:
            return current
        if latest - current.last_event_id > CATCH_UP_LIMIT:
            return self.rebuilt_by_someone() if self.rebuild_far_behind else current
        try:
            self.apply_events(current.last_event_id, latest)
        except OperationalError:  # SQLite: another process holds the write lock; the next read applies them
            log.warning("%s not caught up: database busy", self.name)
        return self.current()

    @transaction.atomic
    def apply_events(self, after: int, upto: int) -> None:
        deltas = claimed_deltas(self.state, after, upto, self.records_of, self.contributions)
        if deltas is not None:
            self.apply(deltas)

    def rebuilt_by_someone(self) -> Any:
        """A page's rebuild, when another request may be rebuilding at the same moment (the first pages after an
        install or a restore ask for the tables together). On PostgreSQL the later of two snapshots cannot write
        over the earlier one's rows ("could not serialize access"), or meets them as duplicate keys where its older
        snapshot saw empty tables; on SQLite it finds the database locked. Then the other rebuild has done the work
        (the state says it was rebuilt meanwhile), and its tables are read. Anything else still fails."""
        before = self.current().rebuilt_at
        try:
            return self.rebuild()
        except (OperationalError, IntegrityError):
            found = self.current()
            if found.rebuilt_at is None or found.rebuilt_at == before:
                raise
            log.info("%s rebuilt by a concurrent request", self.name)
            return found

    def rebuild(self) -> Any:
        """Every table again from the records, in one snapshot of the database (the task worker's periodic job)."""
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                # The counts and the last event id must come from one snapshot, or an event would count twice.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            latest = latest_event_id()
            rows = self.count()
            for table in self.tables:
                table.objects.all().delete()
            for table, table_rows in zip(self.tables, rows, strict=True):
                table.objects.bulk_create(table_rows, batch_size=2000)
            now = timezone.now()
            self.state.objects.update_or_create(
                pk=1, defaults={"last_event_id": latest, "rebuilt_at": now, "updated_at": now}
            )
        return self.current()


def latest_event_id() -> int:
    from pilar.registry.models import PpksEvent

    return PpksEvent.objects.aggregate(top=Max("id"))["top"] or 0


def catch_up() -> TallyState:
    return TALLY.catch_up()


def rebuild() -> TallyState:
    return TALLY.rebuild()


def _records_of(ids: set[int]) -> dict[int, dict[str, Any]]:
    from pilar.registry.models import PpksRecord

    return {r["id"]: r for r in PpksRecord.objects.filter(pk__in=ids).values(*RECORD_FIELDS)}


def claimed_deltas(state: Any, after: int, upto: int, records_of: Any, contributions_of: Any) -> Counter | None:
    """The changes the verval events ``after < id <= upto`` make to a set of summary tables, once the range is
    claimed on ``state``'s row (None: another process claimed it at the same time and applies them).

    ``records_of(ids)`` gives the records' contribution fields by id; ``contributions_of(record, status)`` the
    keys one record adds to the tables in one status. Shared by the dashboard's and the data-quality tables."""
    from pilar.registry.models import PpksEvent

    claimed = state.objects.filter(pk=1, last_event_id=after).update(last_event_id=upto, updated_at=timezone.now())
    if not claimed:
        return None
    events = list(
        PpksEvent.objects.filter(id__gt=after, id__lte=upto).values_list("record_id", "from_status", "to_status")
    )
    records = records_of({e[0] for e in events})
    deltas: Counter = Counter()
    for record_id, old, new in events:
        record = records.get(record_id)
        if record is None or old == new:
            continue
        if old:
            deltas.subtract(contributions_of(record, old))
        deltas.update(contributions_of(record, new))
    return deltas


def apply(deltas: Counter) -> None:
    for key, delta in deltas.items():
        if not delta:
            continue
        if key[0] == "t":
            add_to(
                PpksTally,
                {"kecamatan_id": key[1], "kelurahan_id": key[2], "category_id": key[3], "status": key[4]},
                "count",
                delta,
            )
        else:
            where = {"month": key[1], "kecamatan_id": key[2], "kelurahan_id": key[3], "category_id": key[4]}
            add_to(PpksMonth, where, "entered" if key[0] == "e" else "exited", delta)


def add_to(model: Any, where: dict[str, Any], field: str, delta: int) -> None:
    """Add ``delta`` to one summary row's ``field``, creating the row when it is not there yet."""
    if not model.objects.filter(**where).update(**{field: F(field) + delta}):
        model.objects.create(**where, **{field: delta})


def _count_records() -> tuple[list[PpksTally], list[PpksMonth]]:
    from pilar.registry.models import PpksRecord

    area = ("kecamatan_id", "kelurahan_id", "category_id")
    tallies = [
        PpksTally(
            kecamatan_id=r["kecamatan_id"],
            kelurahan_id=r["kelurahan_id"],
            category_id=r["category_id"],
            status=r["status"],
            count=r["n"],
        )
        for r in PpksRecord.objects.order_by().values(*area, "status").annotate(n=Count("id"))
    ]
    zone = timezone.get_current_timezone()
    moved: Counter = Counter()
    entered = (
        PpksRecord.objects.filter(status__in=(VALIDATED, EXITED))
        .order_by()
        .annotate(m=TruncMonth(Coalesce("validated_at", "proposed_at"), tzinfo=zone))
    )
    for r in entered.values("m", *area).annotate(n=Count("id")):
        moved[("e", month_of(r["m"]), r["kecamatan_id"], r["kelurahan_id"], r["category_id"])] += r["n"]
    exited = PpksRecord.objects.filter(status=EXITED).order_by()
    dated = exited.filter(exit_date__isnull=False).annotate(m=TruncMonth("exit_date"))
    undated = exited.filter(exit_date__isnull=True).annotate(m=TruncMonth("updated_at", tzinfo=zone))
    for qs in (dated, undated):
        for r in qs.values("m", *area).annotate(n=Count("id")):
            moved[("x", month_of(r["m"]), r["kecamatan_id"], r["kelurahan_id"], r["category_id"])] += r["n"]
    return tallies, list(_months(moved))


def _months(moved: Counter) -> Iterable[PpksMonth]:
    rows: dict[tuple, PpksMonth] = {}
    for (kind, month, kecamatan, kelurahan, category), n in moved.items():
        key = (month, kecamatan, kelurahan, category)
        row = rows.setdefault(
            key, PpksMonth(month=month, kecamatan_id=kecamatan, kelurahan_id=kelurahan, category_id=category)
        )
        if kind == "e":
            row.entered += n
        else:
            row.exited += n
    return rows.values()


def refresh_interval() -> int:
    return int(getattr(settings, "PILAR_STATS_REBUILD_MINUTES", 5))


TALLY = Upkeep(
    name="dashboard tallies",
    state=TallyState,
    tables=(PpksTally, PpksMonth),
    count=_count_records,
    records_of=_records_of,
    contributions=contributions,
    apply=apply,
    rebuild_far_behind=True,
)
