"""Validated rows in batches, read and checked either in this process or in a forked helper.

Reading and checking a million rows costs about as much CPU as writing them, so for big files a
forked child parses and validates while this process writes the previous batch (2 cores: about
twice the speed). The child never touches the database: the validator, which needs the regions
and categories, is built before the fork and inherited. The child dies with this process and
closes the inherited database sockets first (:mod:`pilar.core.processes`), so killing the import
ends its transaction at once.
"""

import os
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from django.db import connections
from django.utils.translation import gettext as _

from pilar.core.processes import end_child, fork_child
from pilar.core.sheets import Problem
from pilar.registry.importer.layout import Layout, NumberedRow, RowKinds
from pilar.registry.importer.validate import Row, RowValidator

BATCH = 5000
PARALLEL_FROM = 50_000  # rows; below this a fork costs more than it saves
Skipped = tuple[int, int, str]  # first and last sheet row of a run of skipped rows, why
# valid rows, problems, skipped rows, data rows read so far, accepted warnings (rows imported all the same)
Batch = tuple[list[Row], list[Problem], list[Skipped], int, list[Problem]]


def validate(rows: Iterator[NumberedRow], validator: RowValidator, kinds: RowKinds) -> Iterator[Batch]:
    seen: dict[Any, int] = {}  # NIK (or name/birth/kelurahan) + category -> first row with it
    batch: list[Row] = []
    problems: list[Problem] = []
    skipped: list[Skipped] = []
    read = 0
    warned = validator.warnings  # filled by check() when warnings are accepted
    for read, (number, cells) in enumerate(rows, start=1):
        reason = kinds.skip_reason(cells)
        if reason is not None:
            if skipped and skipped[-1][2] == reason and skipped[-1][1] == number - 1:
                skipped[-1] = (skipped[-1][0], number, reason)
            else:
                skipped.append((number, number, reason))
            continue
        row, found = validator.check(number, cells)
        if row is not None:
            key = (row.nik or (row.name_normalized, row.birth_date, row.kelurahan_id), row.category_id)
            first = seen.setdefault(key, number)
            if first == number:
                batch.append(row)
                if len(batch) >= BATCH:
                    yield batch, problems, skipped, read, _taken(warned)
                    batch, problems, skipped = [], [], []
                continue
            message = _("Baris duplikat: orang dan kategori yang sama sudah ada di baris %(row)d.") % {"row": first}
            found = [(number, validator.titles["nik"], "NIK", row.name, row.nik or "", message)]
        problems.extend(found)
        if len(problems) >= BATCH:
            yield batch, problems, skipped, read, _taken(warned)
            batch, problems, skipped = [], [], []
    yield batch, problems, skipped, read, _taken(warned)


def _taken(warned: list[Problem]) -> list[Problem]:
    """The accepted warnings so far, emptying the validator's list (it is reused for the next batch)."""
    taken = list(warned)
    warned.clear()
    return taken


def batches(
    rows: Iterator[NumberedRow], layout: Layout, *, expected_rows: int, accept_warnings: bool = False
) -> Iterator[Batch]:
    validator = RowValidator(
        layout.columns,
        titles={key: layout.title(key) for key in layout.columns},
        defaults=layout.defaults,
        accept_warnings=accept_warnings,
    )
    kinds = RowKinds(layout)
    if expected_rows < PARALLEL_FROM or not hasattr(os, "fork"):
        return validate(rows, validator, kinds)
    return _forked(rows, validator, kinds)


def _child(send: Connection, rows: Iterator[NumberedRow], validator: RowValidator, kinds: RowKinds) -> None:
    try:
        for batch in validate(rows, validator, kinds):
            send.send(("batch", batch))  # BrokenPipeError once the parent is gone: the child ends
        send.send(("end", None))
    except BrokenPipeError:
        raise
    except BaseException as exc:  # reported to the parent, which rolls the import back
        send.send(("error", repr(exc)))
    finally:
        send.close()


def _forked(rows: Iterator[NumberedRow], validator: RowValidator, kinds: RowKinds) -> Iterator[Batch]:
    # See pilar.core.processes: the child dies with this process and holds none of its connections.
    pid, receive = fork_child(lambda send: _child(send, rows, validator, kinds), database_files=_database_files())
    try:
        while True:
            kind, payload = receive.recv()  # EOFError if the child died: the import fails and rolls back
            if kind == "error":
                raise RuntimeError(f"validation process failed: {payload}")
            if kind == "end":
                return
            yield payload
    finally:
        receive.close()
        end_child(pid)


def _database_files() -> list[str]:
    return [str(c.settings_dict["NAME"]) for c in connections.all() if c.vendor == "sqlite"]
