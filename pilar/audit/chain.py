"""The hash chain of the audit trail and the personal-data access log.

Each new row takes the next number of its chain and ``row_hash = SHA-256(prev_hash | canonical JSON of the
row)``. Rows are linked while the chain's head is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
writers are serialised by its write lock), so concurrent writers form one line in commit order and a rolled
back transaction leaves no gap. ``verify()`` recomputes every link and names the first that does not hold.

Which heads a writer locks: a transaction that may write to both chains takes the heads in one order, audit
before access, so that two such transactions cannot deadlock. An audit entry locks only the audit head (a
later access row in the same transaction then takes the access head, in that order). An access row written
in a transaction of its own (``alone``: a page or API read, nothing else in it) locks only the access head:
it holds nothing while it waits, so it cannot close a cycle either. An access row inside a longer transaction
locks both, audit first, since that transaction may still write an audit entry. So a read of personal data
never waits for a long transaction that writes audit entries (an import's commit), only for other reads'
few-millisecond access rows.
"""

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from pilar.audit.models import AuditEntry, ChainedRow, ChainHead, PersonalDataAccess

# The fields each chain hashes, besides seq and prev_hash.
CHAINS: dict[str, tuple[type[ChainedRow], tuple[str, ...]]] = {
    "audit": (
        AuditEntry,
        ("created_at", "actor_id", "action", "content_type_id", "object_id", "object_repr", "changes", "data"),
    ),
    "access": (
        PersonalDataAccess,
        (
            "created_at",
            "user_id",
            "channel",
            "content_type_id",
            "object_id",
            "subject_count",
            "unmasked",
            "path",
            "query",
            "ip_address",
        ),
    ),
}
CHAIN_OF = {model: name for name, (model, _fields) in CHAINS.items()}


def _plain(value: Any) -> Any:
    if hasattr(value, "astimezone"):
        return value.astimezone(UTC).isoformat()
    return value


def row_digest(prev_hash: str, seq: int, row: ChainedRow, fields: Sequence[str]) -> str:
    content = {name: _plain(getattr(row, name)) for name in fields}
    # Through JSON and back first: the values as the database will give them back (lists, string keys).
    content = json.loads(json.dumps(content, default=str))
    text = json.dumps([seq, prev_hash, content], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _head_table() -> str:
    return connection.ops.quote_name(ChainHead._meta.db_table)


# The order in which a transaction takes the heads (module docstring): never access, then audit.
LOCK_ORDER = ("audit", "access")


def _locked_heads(names: Sequence[str]) -> dict[str, ChainHead]:
    """The heads ``names``, locked in ``LOCK_ORDER`` (one query; "audit" sorts after "access", hence -name)."""
    wanted = [name for name in LOCK_ORDER if name in names]
    # Plain SQL, as the head's update in link(): every read of personal data links an access row, and building
    # these ORM queries cost more CPU than the database's answer (bench/request_cpu.py). The same statement as
    # ChainHead.objects.select_for_update().filter(name__in=wanted).order_by("-name"); only the table's own
    # name and placeholders go into the text.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    marks = ", ".join(["%s"] * len(wanted))
    sql = f"SELECT name, seq, last_hash FROM {_head_table()} WHERE name IN ({marks}) ORDER BY name DESC{lock}"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, wanted)
        heads = {name: ChainHead(name=name, seq=seq, last_hash=last_hash) for name, seq, last_hash in cursor}
    if len(heads) < len(wanted):  # a fresh or flushed database: create the missing heads once
        for name in wanted:
            if name not in heads:
                try:
                    with transaction.atomic():
                        ChainHead.objects.create(name=name)
                except IntegrityError:
                    pass  # another writer created it meanwhile
        return _locked_heads(names)
    return heads


def link(rows: Sequence[ChainedRow], *, alone: bool = False) -> None:
    """Give ``rows`` (unsaved, of one chain) their numbers and hashes; the caller saves them in this transaction.

    ``alone``: the transaction writes these rows and nothing else (only its own chain's head is locked)."""
    if not rows:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("chain.link() must run inside the transaction that saves the rows")
    name = CHAIN_OF[type(rows[0])]
    fields = CHAINS[name][1]
    # Every head up to this chain's in LOCK_ORDER, unless the transaction writes only this chain.
    locked = [name] if alone else list(LOCK_ORDER[: LOCK_ORDER.index(name) + 1])
    head = _locked_heads(locked)[name]
    now = timezone.now()
    for row in rows:
        row.created_at = row.created_at or now
        row.seq = head.seq + 1
        row.prev_hash = head.last_hash
        row.row_hash = row_digest(row.prev_hash, row.seq, row, fields)
        head.seq, head.last_hash = row.seq, row.row_hash
    with connection.cursor() as cursor:  # head.save(update_fields=["seq", "last_hash"]) without the ORM
        cursor.execute(
            f"UPDATE {_head_table()} SET seq = %s, last_hash = %s WHERE name = %s",  # noqa: S608  # nosec B608
            [head.seq, head.last_hash, head.name],
        )


@dataclass
class Break:
    chain: str
    seq: int | None
    row_id: int | None
    reason: str


@dataclass
class Report:
    counts: dict[str, int]
    heads: dict[str, str]
    broken: Break | None


def _rows(model: type[ChainedRow]) -> Iterator[ChainedRow]:
    return model._default_manager.order_by("seq").iterator(chunk_size=5000)


def verify_chain(name: str) -> tuple[int, str, Break | None]:
    model, fields = CHAINS[name]
    prev, count = "", 0
    for row in _rows(model):
        count += 1
        if row.seq is None or row.seq != count:
            return count, prev, Break(name, row.seq, row.pk, f"nomor urut {row.seq}, seharusnya {count}")
        if row.prev_hash != prev:
            return count, prev, Break(name, row.seq, row.pk, "tautan ke baris sebelumnya tidak cocok")
        if row.row_hash != row_digest(prev, row.seq, row, fields):
            return count, prev, Break(name, row.seq, row.pk, "isi baris berubah setelah dicatat")
        prev = row.row_hash
    head = ChainHead.objects.filter(name=name).first()
    if head is not None and (head.seq, head.last_hash) != (count, prev):
        return count, prev, Break(name, head.seq, None, f"kepala rantai #{head.seq}, baris terakhir #{count}")
    return count, prev, None


def verify() -> Report:
    counts, heads = {}, {}
    for name in CHAINS:
        counts[name], heads[name], broken = verify_chain(name)
        if broken is not None:
            return Report(counts, heads, broken)
    return Report(counts, heads, None)
