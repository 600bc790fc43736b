"""Turning validated rows into persons, households, PPKS records and their events, in bulk.

Idempotent on NIK + category: a person already known by NIK is reused (without a NIK: by
normalised name, birth date and kelurahan), and an open record of that person in that category
is left as it is and counted as unchanged.

A row whose NIK is known (in the registry, or from an earlier row of the file) but whose name, sex or
birth date disagree, or whose person already belongs to a household with another KK number, is not
attached: it is held as an :class:`ImportConflict` for an operator to resolve. To notice that without
keeping a million names in memory, each NIK's person id carries a 31-bit digest of the values first seen
for it (:func:`_pack`); the stored values are read back only for the few rows that disagree.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils.translation import gettext as _

from pilar.identity.models import Person
from pilar.regions.models import Region
from pilar.registry.import_models import ImportConflict
from pilar.registry.importer.bulk import BulkSink
from pilar.registry.importer.hooks import program_flags
from pilar.registry.importer.pipeline import InsertPipeline
from pilar.registry.importer.validate import Row
from pilar.registry.models import (
    Category,
    Household,
    HouseholdKk,
    HouseholdMember,
    ImportJob,
    PpksEvent,
    PpksRecord,
    Relationship,
)

PERSON, HOUSEHOLD = Person._meta.db_table, Household._meta.db_table
KK_HISTORY, MEMBER = HouseholdKk._meta.db_table, HouseholdMember._meta.db_table
RECORD, EVENT = PpksRecord._meta.db_table, PpksEvent._meta.db_table
CONFLICT = ImportConflict._meta.db_table
# From this size, and when it is at least half the size of what is there, rebuilding indexes beats updating them.
BIG_IMPORT = 50_000
OPEN = ("diusulkan", "perlu_perbaikan", "diverifikasi", "ditetapkan")

PERSON_COLS = (
    "id",
    "created_at",
    "updated_at",
    "nik",
    "name",
    "name_normalized",
    "sex",
    "birth_place",
    "birth_date",
    "address",
    "rt",
    "rw",
    "village_id",
    "phone",
    "education",
    "is_rt_rw_head",
    "dukcapil_status",
    "source_import",
    "source_row",
    "external_id",
)
HOUSEHOLD_COLS = (
    "id",
    "created_at",
    "updated_at",
    "kk_number",
    "head_id",
    "address",
    "rt",
    "rw",
    "kecamatan_id",
    "kelurahan_id",
)
KK_COLS = ("household_id", "kk_number", "valid_from", "valid_until", "reason")
MEMBER_COLS = ("created_at", "updated_at", "household_id", "person_id", "relationship", "since", "until")
RECORD_COLS = (
    "id",
    "created_at",
    "updated_at",
    "person_id",
    "household_id",
    "category_id",
    "kecamatan_id",
    "kelurahan_id",
    "rt",
    "rw",
    "address",
    "notes",
    "source",
    "status",
    "reported_by_id",
    "proposed_at",
    "field_result",
    "exit_reason",
    "import_job_id",
    "source_row",
)
# As Django's JSONField stores ``values`` and ``fields`` (json.dumps); the names are quoted by the sinks.
CONFLICT_COLS = (
    "created_at",
    "updated_at",
    "job_id",
    "row",
    "kind",
    "person_id",
    "values",
    "fields",
    "status",
    "choices",
    "resolved_by_id",
    "resolved_at",
    "new_person_id",
    "record_id",
)
OPEN_CONFLICT = str(ImportConflict.Status.OPEN)
EVENT_COLS = ("record_id", "action", "from_status", "to_status", "actor_id", "at", "reason", "field_result")


@dataclass
class Counts:
    created: int = 0  # new PPKS records
    unchanged: int = 0  # rows whose person already had an open record in that category
    persons: int = 0
    households: int = 0
    conflicts: int = 0  # rows held for review (ImportConflict)
    enrollments: int = 0  # national-program enrollments from BNBA flags


@dataclass
class ImportWriter:
    sink: BulkSink
    actor_id: int | None
    job_id: int | None
    now: datetime
    expected_rows: int = 0
    counts: Counts = field(default_factory=Counts)

    def __post_init__(self) -> None:
        self.stamp = self.sink.timestamp(self.now)
        self.today = self.sink.day(self.now.date())
        self.person_ids: dict[Any, int] = {}  # NIK (or name/birth/kelurahan key) -> person id
        self.households: dict[str, list[Any]] = {}  # KK -> [id, head id, inserted?] of households this import adds
        self.new_households: list[tuple[str, int, Row]] = []  # to insert before this chunk's members
        self.head_updates: list[tuple[int, int]] = []
        self.known_households: dict[str, int | None] = {}  # KK -> id of a household already in the database
        self.members: dict[int, str] = {}  # person id -> KK of the household this import gave them
        # Household id -> (its head's person id, sheet row or None when registered) and (kelurahan id, first row):
        # a second head or another kelurahan under one KK is noted for the report (see notes()).
        self.heads: dict[int, tuple[int, int | None]] = {}
        self.villages: dict[int, tuple[int, int | None]] = {}
        self.noted: list[tuple[Row, str, int | None]] = []  # (row, "head" | "village", the other row)
        self.household_ids: list[int] = []  # pre-allocated, so that new households cost no query each
        # Ids written into keys that have no database constraint (the registry models' db_constraint=False
        # keys), checked once in finish().
        self.references: dict[type[Model], set[int]] = {Region: set(), Category: set()}
        self.references[get_user_model()] = {actor_id} if (actor_id := self.actor_id) else set()
        self.references[ImportJob] = {self.job_id} if self.job_id else set()
        # On an empty registry (first load, benchmark) the per-chunk look-ups would find nothing.
        self.sink.cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {PERSON})")  # noqa: S608
        self.registry_empty = not self.sink.cursor.fetchone()[0]
        # Suspending keys and indexes locks the tables against readers on PostgreSQL: only for a first load.
        if self.expected_rows >= BIG_IMPORT and (self.registry_empty or self.sink.SUSPEND_BESIDE_READERS):
            self.sink.cursor.execute(f"SELECT COUNT(*) FROM {RECORD}")  # noqa: S608
            if self.expected_rows * 2 >= self.sink.cursor.fetchone()[0]:
                tables = [PERSON, HOUSEHOLD, KK_HISTORY, MEMBER, RECORD, EVENT]
                self.sink.suspend_indexes(tables, empty=self.registry_empty)
        self.id_pools: dict[str, list[int]] = {}
        # (row, the stored person it disagrees with) of the last batch: stored at the next batch's start, when
        # the insert thread has written the persons and members they are compared with (memory: one batch).
        self.conflicts: list[tuple[Row, int]] = []
        self.flagged: list[tuple[Any, ...]] = []  # rows with national-program flags (BNBA), see _enroll_flagged
        self.pipeline = InsertPipeline(self.sink)

    def write(self, rows: list[Row]) -> None:
        regions = self.references[Region]
        regions.update({row.kelurahan_id for row in rows})
        regions.update({row.kecamatan_id for row in rows})
        self.references[Category].update({row.category_id for row in rows})
        # Every look-up comes before this batch's first queued insert: they must see all rows written so far,
        # and nothing may read through the connection while the insert thread writes through it.
        if not self.registry_empty or self.conflicts:
            self.pipeline.drain()
            self._insert_conflicts()
        existing = self._existing_persons(rows)
        old_ids = {packed & PK_MASK for packed in existing.values()}
        open_records = self._open_records(old_ids)
        in_db_household = self._current_members(old_ids)  # person id -> their household's KK
        self._households_for(rows)
        known = self.person_ids
        new_rows = [row for row in rows if (k := _person_key(row)) not in known and k not in existing]
        self._insert_persons(new_rows)
        self.person_ids.update(existing)
        in_household = self.members  # grows as this import adds members
        members: list[tuple[Any, ...]] = []
        records: list[tuple[Row, int, int | None, int | None]] = []
        conflicts = self.conflicts
        for row in rows:
            packed = self.person_ids[_person_key(row)]
            person_id = packed & PK_MASK
            if row.nik and packed >> SHIFT != _digest(row, packed >> SHIFT):
                conflicts.append((row, person_id))
                continue
            if row.kk and in_db_household.get(person_id) not in (None, row.kk):
                conflicts.append((row, person_id))
                continue
            if row.kk and in_household.get(person_id, row.kk) != row.kk:  # under another KK earlier in this file
                conflicts.append((row, person_id))
                continue
            joins = row.kk and person_id not in in_household and person_id not in in_db_household
            household_id = self._household_id(row, person_id) if joins or (row.kk and row.for_family) else None
            if joins:
                relationship = self._member_checked(row, household_id, person_id)  # type: ignore[arg-type]
                members.append((self.stamp, self.stamp, household_id, person_id, relationship, None, None))
                in_household[person_id] = row.kk  # type: ignore[assignment]
            # Duplicates within the file were refused before this point; only the database can hold one.
            if (person_id, row.category_id) in open_records:
                self.counts.unchanged += 1
                continue
            records.append((row, person_id, household_id if row.for_family else None, household_id))
        self._insert_households()
        self.pipeline.insert(MEMBER, MEMBER_COLS, members)
        self._insert_records(records)

    def finish(self) -> None:
        self.pipeline.drain()
        self.pipeline.close()
        self._insert_conflicts()
        self._enroll_flagged()
        if self.head_updates:  # a head listed in a later chunk than the household's first member
            sql = f"UPDATE {HOUSEHOLD} SET head_id = %s WHERE id = %s AND head_id IS NULL"  # noqa: S608
            self.sink.cursor.executemany(sql, self.head_updates)
        self.sink.lock_references(self.references)
        self.sink.restore_indexes()

    def close(self) -> None:
        """Stop the insert thread (also after a failure), before the transaction ends."""
        self.pipeline.close()

    def _ids(self, table: str, count: int) -> list[int]:
        """``count`` fresh ids, from a pool refilled in large steps: allocating reads the database, which
        first has to wait for the queued inserts."""
        pool = self.id_pools.setdefault(table, [])
        if len(pool) < count:
            self.pipeline.drain()
            pool.extend(self.sink.allocate(table, max(count - len(pool), min(self.expected_rows, 50_000))))
        taken, self.id_pools[table] = pool[:count], pool[count:]
        return taken

    def _insert_households(self) -> None:
        """Parents before children: SQLite re-checks every deferred foreign key on each parent insert otherwise."""
        rows = [
            (
                hid,
                self.stamp,
                self.stamp,
                kk,
                self.households[kk][1],
                row.address,
                row.rt,
                row.rw,
                row.kecamatan_id,
                row.kelurahan_id,
            )
            for kk, hid, row in self.new_households
        ]
        self.pipeline.insert(HOUSEHOLD, HOUSEHOLD_COLS, rows)
        history = [(hid, kk, self.today, None, "") for kk, hid, _row in self.new_households]
        self.pipeline.insert(KK_HISTORY, KK_COLS, history)
        self.counts.households += len(rows)
        for kk, _hid, _row in self.new_households:
            self.households[kk][2] = True
        self.new_households = []

    def _existing_persons(self, rows: list[Row]) -> dict[Any, int]:
        if self.registry_empty:
            return {}
        niks = sorted({row.nik for row in rows if row.nik and row.nik not in self.person_ids})
        found: dict[Any, int] = {}
        sql = f"SELECT nik, id, name_normalized, sex, birth_date FROM {PERSON} WHERE nik IN ({{in}})"  # noqa: S608
        for nik, pk, name, sex, born in self.sink.fetch_in(sql, niks):
            born = date.fromisoformat(born) if isinstance(born, str) else born
            found[nik] = _pack(pk, name, sex, born)
        names = sorted({row.name_normalized for row in rows if not row.nik})
        sql = f"SELECT name_normalized, birth_date, village_id, id FROM {PERSON} WHERE nik IS NULL AND name_normalized IN ({{in}})"  # noqa: S608,E501
        for name, born, village, pk in self.sink.fetch_in(sql, names):
            born = date.fromisoformat(born) if isinstance(born, str) else born
            found.setdefault((name, born, village), pk)
        return found

    def _insert_persons(self, rows: list[Row]) -> None:
        fresh: dict[Any, Row] = {}
        for row in rows:
            fresh.setdefault(_person_key(row), row)  # one person for two categories in one file
        ids = self._ids(PERSON, len(fresh))
        stamp, day = self.stamp, self.sink.day
        values = []
        job = self.job_id
        for pk, (key, row) in zip(ids, fresh.items(), strict=True):
            self.person_ids[key] = _pack(pk, row.name_normalized, row.sex, row.birth_date) if row.nik else pk
            values.append(
                (
                    pk,
                    stamp,
                    stamp,
                    row.nik,
                    row.name,
                    row.name_normalized,
                    row.sex,
                    row.birth_place,
                    day(row.birth_date),
                    row.address,
                    row.rt,
                    row.rw,
                    row.kelurahan_id,
                    "",
                    "",
                    False,
                    "belum",
                    job,
                    row.number,
                    row.external_id,
                )
            )
        self.pipeline.insert(PERSON, PERSON_COLS, values)
        self.counts.persons += len(values)

    def _open_records(self, person_ids: set[int]) -> set[tuple[int, int]]:
        if not person_ids:
            return set()
        statuses = ", ".join(f"'{status}'" for status in OPEN)
        sql = f"SELECT person_id, category_id FROM {RECORD} WHERE status IN ({statuses}) AND person_id IN ({{in}})"  # noqa: S608,E501
        return {(p, c) for p, c in self.sink.fetch_in(sql, sorted(person_ids))}

    def _current_members(self, person_ids: set[int]) -> dict[int, str | None]:
        if not person_ids:
            return {}
        sql = (
            f"SELECT m.person_id, h.kk_number FROM {MEMBER} m JOIN {HOUSEHOLD} h ON h.id = m.household_id "  # noqa: S608
            f"WHERE m.until IS NULL AND m.person_id IN ({{in}})"
        )
        return dict(self.sink.fetch_in(sql, sorted(person_ids)))

    def _households_for(self, rows: list[Row]) -> None:
        """Look up, once, the KK numbers of this chunk that may already be in the database."""
        if self.registry_empty:
            return
        seen = self.households.keys() | self.known_households.keys()
        unknown = sorted({r.kk for r in rows if r.kk and r.kk not in seen})
        sql = f"SELECT kk_number, id, head_id, kelurahan_id FROM {HOUSEHOLD} WHERE kk_number IN ({{in}})"  # noqa: S608
        found = {}
        for kk, pk, head, village in self.sink.fetch_in(sql, unknown):
            found[kk] = pk
            self.villages[pk] = (village, None)
            if head is not None:
                self.heads[pk] = (head, None)
        self.known_households.update({kk: found.get(kk) for kk in unknown})

    def _member_checked(self, row: Row, household_id: int, person_id: int) -> str:
        """The SHDK the row's person joins with: a second head of one KK joins with an unknown relationship
        (one of the two rows is wrong; someone decides later), and both that and a member in another kelurahan
        than the household's are noted for the report."""
        village, first = self.villages.setdefault(household_id, (row.kelurahan_id, row.number))
        if village != row.kelurahan_id:
            self.noted.append((row, "village", first))
        if row.relationship != Relationship.HEAD:
            return row.relationship
        head, first = self.heads.setdefault(household_id, (person_id, row.number))
        if head == person_id:
            return row.relationship
        self.noted.append((row, "head", first))
        return ""

    def notes(self) -> list[tuple[Row, str]]:
        """What the report says about rows imported beside another row of their KK (after :meth:`finish`)."""
        names = dict(
            Region.objects.filter(pk__in={row.kelurahan_id for row, _kind, _other in self.noted}).values_list(
                "pk", "name"
            )
        )
        out = []
        for row, kind, other in self.noted:
            where = _("baris %(row)d") % {"row": other} if other else _("data tercatat di registri")
            if kind == "head":
                message = _(
                    "Peringatan: No KK %(kk)s sudah punya kepala keluarga (%(where)s); hubungan keluarga "
                    "baris ini dicatat belum diketahui. Perbaiki di halaman KK bila perlu."
                )
            else:
                message = _(
                    "Peringatan: No KK %(kk)s tercatat di kelurahan lain (%(where)s), baris ini di "
                    "Kelurahan %(village)s: periksa No KK-nya; orangnya tetap masuk KK itu."
                )
            out.append((row, message % {"kk": row.kk, "where": where, "village": names.get(row.kelurahan_id, "")}))
        return out

    def _household_id(self, row: Row, person_id: int) -> int:
        kk = row.kk or ""  # only rows with a KK get here
        known = self.known_households.get(kk)
        if known is not None:
            return known
        entry = self.households.get(kk)
        if entry is None:
            if not self.household_ids:
                self.household_ids = self._ids(HOUSEHOLD, 5000)[::-1]
            entry = self.households[kk] = [self.household_ids.pop(), None, False]
            self.new_households.append((kk, entry[0], row))
            self.villages[entry[0]] = (row.kelurahan_id, row.number)
        if entry[1] is None and row.relationship == Relationship.HEAD:
            entry[1] = person_id
            if entry[2]:
                self.head_updates.append((person_id, entry[0]))
        return entry[0]

    def _insert_records(self, rows: list[tuple[Row, int, int | None, int | None]]) -> None:
        ids = self._ids(RECORD, len(rows))
        stamp, actor, job = self.stamp, self.actor_id, self.job_id
        records, events = [], []
        for pk, (row, person_id, household_id, joined) in zip(ids, rows, strict=True):
            if row.programs:
                self.flagged.append(
                    (pk, person_id, joined, row.kecamatan_id, row.kelurahan_id, row.number, row.programs)
                )
            records.append(
                (
                    pk,
                    stamp,
                    stamp,
                    person_id,
                    household_id,
                    row.category_id,
                    row.kecamatan_id,
                    row.kelurahan_id,
                    row.rt,
                    row.rw,
                    row.address,
                    row.notes,
                    "impor",
                    "diusulkan",
                    actor,
                    stamp,
                    "",
                    "",
                    job,
                    row.number,
                )
            )
            events.append((pk, "proposed", "", "diusulkan", actor, stamp, "", ""))
        self.pipeline.insert(RECORD, RECORD_COLS, records)
        self.pipeline.insert(EVENT, EVENT_COLS, events)
        self.counts.created += len(records)

    def _enroll_flagged(self) -> None:
        """PKH/BPNT/PBI flags as enrollments, in this transaction, by the programs app (see ``hooks``)."""
        if not self.flagged or self.job_id is None:
            return
        job = ImportJob.objects.get(pk=self.job_id)
        self.counts.enrollments = program_flags(self.flagged, actor_id=self.actor_id, job=job)

    def _insert_conflicts(self) -> None:
        """The held rows of the last batch, each beside the stored values it disagrees with (read now, after a
        drain: the stored person may have been written by this import), written as the other rows are (COPY on
        PostgreSQL, executemany on SQLite), so that half a million held rows cost no more memory than a batch."""
        held, self.conflicts = self.conflicts, []
        if not held:
            return
        self.counts.conflicts += len(held)
        ids = sorted({person_id for _row, person_id in held})
        stored: dict[int, dict[str, Any]] = {}
        sql = f"SELECT id, name, name_normalized, sex, birth_date FROM {PERSON} WHERE id IN ({{in}})"  # noqa: S608
        for pk, name, normalized, sex, born in self.sink.fetch_in(sql, ids):
            born = date.fromisoformat(born) if isinstance(born, str) else born
            stored[pk] = {"name": name, "name_normalized": normalized, "sex": sex, "birth_date": born}
        kks = self._current_members(set(ids))
        stamp, job, dumps = self.stamp, self.job_id, json.dumps
        values = []
        for row, person_id in held:
            fields = conflict_fields(row, stored[person_id], kks.get(person_id))
            kind = ImportConflict.Kind.NIK if any(f["field"] != "kk" for f in fields) else ImportConflict.Kind.KK
            values.append(
                (
                    stamp,
                    stamp,
                    job,
                    row.number,
                    str(kind),
                    person_id,
                    dumps(row_values(row)),
                    dumps(fields),
                    OPEN_CONFLICT,
                    "{}",
                    None,
                    None,
                    None,
                    None,
                )
            )
        self.sink.insert(CONFLICT, CONFLICT_COLS, values)  # the insert thread is idle here (drained)


def conflict_fields(row: Row, stored: dict[str, Any], stored_kk: str | None) -> list[dict[str, Any]]:
    """The fields on which ``row`` disagrees with the stored person: ``{field, label, row, stored}``."""
    fields = []
    if row.name_normalized != stored["name_normalized"]:
        fields.append({"field": "name", "label": _("Nama"), "row": row.name, "stored": stored["name"]})
    if row.sex != stored["sex"]:
        fields.append({"field": "sex", "label": _("Jenis Kelamin"), "row": row.sex, "stored": stored["sex"]})
    if stored["birth_date"] is not None and row.birth_date != stored["birth_date"]:
        fields.append(
            {
                "field": "birth_date",
                "label": _("Tanggal Lahir"),
                "row": _iso(row.birth_date),
                "stored": _iso(stored["birth_date"]),
            }
        )
    if row.kk and stored_kk and row.kk != stored_kk:
        fields.append({"field": "kk", "label": _("No KK"), "row": row.kk, "stored": stored_kk})
    return fields


def row_values(row: Row) -> dict[str, Any]:
    """The row as JSON (the conflict keeps it to write it exactly when resolved)."""
    values = row._asdict()
    values["birth_date"] = _iso(row.birth_date)
    return values


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


# A NIK's entry in ``person_ids``: the person id in the low bits, above it a digest of (name, sex, birth date)
# as first seen, with a bit telling whether the birth date was known (an unknown one disagrees with nothing).
SHIFT = 40
PK_MASK = (1 << SHIFT) - 1
_BORN = 1 << 31


def _pack(pk: int, name: str, sex: str, born: date | None) -> int:
    digest = (hash((name, sex, born)) & (_BORN - 1)) | (_BORN if born is not None else 0)
    return pk | (digest << SHIFT)


def _digest(row: Row, stored: int) -> int:
    """``row``'s digest, comparable with the stored one (without the birth date when that was unknown)."""
    if stored & _BORN:
        return (hash((row.name_normalized, row.sex, row.birth_date)) & (_BORN - 1)) | _BORN
    return hash((row.name_normalized, row.sex, None)) & (_BORN - 1)


def _person_key(row: Row) -> Any:
    return row.nik or (row.name_normalized, row.birth_date, row.kelurahan_id)
