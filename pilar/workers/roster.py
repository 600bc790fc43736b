"""Importing a PSM/TKSK roster (CSV or XLSX): the sheet reader and error file of ``core.sheets``, and for
each row the same form and service as registering one worker on the page.

Columns: the form's field names or their labels, in any order (``nik``/"NIK", ``name``/"Nama lengkap",
``role``/"Peran", ``kelurahan``/"Kelurahan tugas (PSM)", ``start_date``/"Mulai bertugas", ...). Each row is
saved on its own: a bad row goes to the error file (row, column, value, message) and does not stop the others.
A re-run is safe: a worker already registered is refused as such and nothing is saved twice.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pilar.accounts.models import User
from pilar.core.sheets import ErrorLog, FileError, check_file, iter_rows
from pilar.workers import services
from pilar.workers.forms import WorkerCreateForm

MAX_ROWS = 5000  # a city's workforce is about a thousand; a bigger file is a mistake


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _columns(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Cell index → form field, and the header cells that match no field."""
    form = WorkerCreateForm()
    known = {_key(name): name for name in form.fields} | {_key(str(f.label)): name for name, f in form.fields.items()}
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for i, cell in enumerate(header):
        name = known.get(_key(cell))
        if name:
            mapping[i] = name
        elif cell:
            unknown.append(cell)
    return mapping, unknown


@dataclass
class RosterResult:
    created: int = 0
    errors: ErrorLog = field(default_factory=ErrorLog)


def roster_import(*, path: Path, actor: User) -> RosterResult:
    """Register every valid row; problems go to ``result.errors`` (the error file's content)."""
    result = RosterResult()
    try:
        rows = iter_rows(path, check_file(path))
        header = next(rows, [])
    except FileError as exc:
        result.errors.add((0, "", "", "", "", exc.message))
        return result
    mapping, unknown = _columns(header)
    labels = {name: str(WorkerCreateForm.base_fields[name].label) for name in mapping.values()}
    titles = {name: str(header[i]) for i, name in mapping.items()}

    def problem(number: int, data: dict, name: str, message: str) -> tuple:
        # The same six columns as the registry import's error file: the sheet's title, Pilar's label, whose row.
        return (
            number,
            titles.get(name, name),
            labels.get(name, name),
            data.get("name", ""),
            data.get(name, ""),
            message,
        )

    for cell in unknown:
        result.errors.add((1, cell, "", "", "", _("Kolom tidak dikenal; diabaikan.")))
    for number, cells in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            message = _("Lebih dari %(n)d baris: sisanya tidak dibaca.") % {"n": MAX_ROWS}
            result.errors.add((number, "", "", "", "", message))
            break
        if not any(cells):
            continue
        data = {name: cells[i] for i, name in mapping.items() if i < len(cells)}
        data.setdefault("confirm_address", "on")  # the roster's office vouches for the address, as on the page
        form = WorkerCreateForm(data)
        if not form.is_valid():
            for name, refused in form.errors.items():
                for text in refused:
                    result.errors.add(problem(number, data, name, str(text)))
            continue
        try:
            services.worker_create(actor=actor, **form.service_kwargs())
        except ValidationError as exc:
            aliases = form.service_field_aliases
            for key, texts in exc.message_dict.items():
                for text in texts:
                    result.errors.add(problem(number, data, aliases.get(key, key), text))
            continue
        result.created += 1
    return result
