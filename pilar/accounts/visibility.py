"""What each role may see of a person: one table, read by pages, API, exports and PDFs alike (UU PDP).

``TABLE[subject][role][field]`` is the level at which a field is shown: whole, partly (a masked NIK, an age
instead of a birth date, initials instead of the name) or not at all.
Every surface asks :func:`visibility_for` for a :class:`Visibility` and shows values through it; nothing
decides "masked or not" on its own. ``docs/privacy.md`` is this table rendered (``render_markdown``), and
``records()`` gives it to the record of processing activities, one row per field with its purpose.

A masked NIK must not be rebuilt from what else is shown: its hidden middle is the kecamatan of first
registration and the birth date (day + 40 for women). So a role that sees a masked NIK never sees the whole
birth date (``_check`` refuses such a table at import time); it gets an age in years at most.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilar.accounts.models import Role
from pilar.core.formatting import tanggal
from pilar.identity.kk import mask_account, mask_kk
from pilar.identity.names import mask_name
from pilar.identity.nik import mask_nik


class Level(StrEnum):
    FULL = "utuh"
    MASKED = "samar"  # identifiers: first and last four digits ("3671********0001"); accounts: last four
    AGE = "umur"  # a birth date shown as an age in whole years
    INITIALS = "inisial"  # a name shown as "S*** R***"
    HIDDEN = "tidak"


RANK = {Level.HIDDEN: 0, Level.MASKED: 1, Level.AGE: 1, Level.INITIALS: 1, Level.FULL: 2}


class Subject(StrEnum):
    PPKS = "ppks"  # registry persons and households: PPKS records, KK members, case subjects, beneficiaries
    WORKER = "pekerja"  # PSM and TKSK in the workforce registry
    COMPLAINT = "pengaduan"  # a public complaint: the person reported, the resident's words, the reporter


CASE_WORKER = "petugas"  # not a role: the workers assigned to a case, on that case only
OUTSIDE = "luar_wilayah"  # not a role: a TKSK or PSM on a record outside its area (reached by assignment)


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise
    levels: tuple[Level, ...]  # the levels this field can take, most shown first
    purpose: Promise  # why the office processes it (for the record of processing activities)
    specific: bool = False  # specific personal data (UU 27/2022 art. 4(2): health, children, criminal records…)


F, M, A, IN, H = Level.FULL, Level.MASKED, Level.AGE, Level.INITIALS, Level.HIDDEN
FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field(
            "name",
            gettext_lazy("Nama"),
            (F, IN, H),
            gettext_lazy("Mengenali orang yang dilayani, diusulkan, dirujuk atau dibayar."),
        ),
        Field(
            "nik",
            gettext_lazy("NIK"),
            (F, M, H),
            gettext_lazy("Padan data Dukcapil, satu NIK satu orang, usulan DTKS/DTSEN."),
        ),
        Field(
            "kk_number",
            gettext_lazy("Nomor KK"),
            (F, M, H),
            gettext_lazy("Menyusun keluarga sesuai KK untuk kategori keluarga dan program."),
        ),
        Field(
            "birth_date",
            gettext_lazy("Tempat dan tanggal lahir"),
            (F, A, H),
            gettext_lazy("Kriteria umur kategori (balita, anak, lanjut usia) dan pencocokan duplikat."),
        ),
        Field(
            "address",
            gettext_lazy("Alamat, RT/RW, titik lokasi"),
            (F, H),
            gettext_lazy("Kunjungan rumah, verifikasi lapangan dan penyaluran bantuan."),
        ),
        Field(
            "phone",
            gettext_lazy("Nomor telepon"),
            (F, H),
            gettext_lazy("Menghubungi orang untuk kunjungan, program atau tindak lanjut."),
        ),
        Field(
            "bank_account",
            gettext_lazy("Rekening bank"),
            (F, M, H),
            gettext_lazy("Pembayaran insentif PSM lewat bank."),
        ),
        Field(
            "notes",
            gettext_lazy("Keterangan, uraian dan bukti"),
            (F, H),
            gettext_lazy("Dasar verifikasi dan penanganan: apa yang ditemukan di lapangan."),
        ),
        Field(
            "specific_notes",
            gettext_lazy("Keterangan dan bukti kategori data spesifik"),
            (F, H),
            gettext_lazy("Dasar verifikasi kategori kesehatan, anak, korban dan catatan pidana."),
            specific=True,
        ),
    )
}

# PPKS categories whose details are specific personal data under UU PDP: children (PPKS-01…07), health and
# disability (09, 16, 17), sexual life (10), criminal records (15) and victims (18, 19).
SPECIFIC_CATEGORIES = frozenset(
    {
        "PPKS-01",
        "PPKS-02",
        "PPKS-03",
        "PPKS-04",
        "PPKS-05",
        "PPKS-06",
        "PPKS-07",
        "PPKS-09",
        "PPKS-10",
        "PPKS-15",
        "PPKS-16",
        "PPKS-17",
        "PPKS-18",
        "PPKS-19",
    }
)

_NOTHING = dict.fromkeys(FIELDS, H)
# The fields each kind of subject has (the others stay hidden in every row).
SUBJECT_FIELDS = {
    Subject.PPKS: ("name", "nik", "kk_number", "birth_date", "address", "phone", "notes", "specific_notes"),
    Subject.WORKER: ("name", "nik", "birth_date", "address", "phone", "bank_account"),
    Subject.COMPLAINT: ("name", "address", "phone", "notes"),
}


def _row(**levels: Level) -> dict[str, Level]:
    return _NOTHING | levels


def _all(subject: Subject) -> dict[str, Level]:
    return _row(**dict.fromkeys(SUBJECT_FIELDS[subject], F))


TABLE: dict[Subject, dict[str, dict[str, Level]]] = {
    Subject.PPKS: {
        Role.ADMIN: _all(Subject.PPKS),
        Role.OPERATOR: _all(Subject.PPKS),
        # Reads the registry to lead the office: who is counted where, not who they are.
        Role.PIMPINAN: _row(name=IN, nik=M, kk_number=M),
        Role.KEUANGAN: _NOTHING,
        # Verifies proposals in the field against the KTP/KK and the house: whole identifiers and address.
        Role.TKSK: _all(Subject.PPKS),
        # A volunteer of the kelurahan: visits, proposes and corrects, so sees where and how to reach people,
        # but never holds identifiers an impostor could use, nor the details of specific-data categories.
        Role.PSM: _row(name=F, nik=M, kk_number=M, birth_date=A, address=F, phone=F, notes=F),
        # Only the name, kelurahan and category of what is addressed to the agency.
        Role.OPD: _row(name=F, nik=M),
        OUTSIDE: _row(name=F),
        # The worker who visits the person for this case (on that case only).
        CASE_WORKER: _row(name=F, address=F, phone=F, notes=F, specific_notes=F),
    },
    Subject.WORKER: {
        Role.ADMIN: _all(Subject.WORKER),
        Role.OPERATOR: _all(Subject.WORKER),
        Role.PIMPINAN: _row(name=F, nik=M, phone=F, bank_account=M),
        # Checks the payroll against the accounts the bank file pays into.
        Role.KEUANGAN: _row(name=F, nik=M, phone=F, bank_account=F),
        Role.TKSK: _row(name=F, nik=M, phone=F, bank_account=M),
        Role.PSM: _row(name=F, nik=M, phone=F, bank_account=M),
        Role.OPD: _NOTHING,
        OUTSIDE: _row(name=F),
    },
    Subject.COMPLAINT: {
        Role.ADMIN: _all(Subject.COMPLAINT),
        Role.OPERATOR: _all(Subject.COMPLAINT),
        Role.PIMPINAN: _row(name=IN),
        Role.KEUANGAN: _NOTHING,
        # Those who go and find the person the resident described, and may call the resident back.
        Role.TKSK: _all(Subject.COMPLAINT),
        Role.PSM: _all(Subject.COMPLAINT),
        Role.OPD: _NOTHING,
        OUTSIDE: _row(name=F),
    },
}


def _check(table: dict[Subject, dict[str, dict[str, Level]]]) -> None:
    """Refuse a table that shows a level a field cannot take, or lets a masked NIK be rebuilt."""
    for subject, rows in table.items():
        for role, row in rows.items():
            for key, level in row.items():
                if level != H and key not in SUBJECT_FIELDS[subject]:
                    raise ValueError(f"{subject}/{role}: {subject} has no {key}")
                if level not in FIELDS[key].levels:
                    raise ValueError(f"{subject}/{role}: {key} cannot be {level}")
            if row["nik"] == M and row["birth_date"] == F:
                raise ValueError(f"{subject}/{role}: a masked NIK with the whole birth date can be rebuilt")


_check(TABLE)


def _merge(rows: Iterable[dict[str, Level]]) -> dict[str, Level]:
    """Field by field, the most any of the rows shows (a user's roles add up, as their permissions do)."""
    merged = dict(_NOTHING)
    for row in rows:
        merged = {key: max(merged[key], level, key=RANK.__getitem__) for key, level in row.items()}
    return merged


@dataclass(frozen=True)
class Visibility:
    """One user's view of one subject: every personal value goes through here before it is shown."""

    levels: dict[str, Level]

    def level(self, key: str) -> Level:
        return self.levels[key]

    def shows(self, key: str) -> bool:
        return self.levels[key] != H

    @property
    def unmasked(self) -> bool:
        """Whether identifiers are shown whole (what the personal-data access log records)."""
        return self.levels["nik"] == F or self.levels["kk_number"] == F or self.levels["bank_account"] == F

    def name(self, value: str | None) -> str:
        level = self.levels["name"]
        return (value or "") if level == F else mask_name(value or "") if level == IN else ""

    def nik(self, value: str | None) -> str | None:
        return _identifier(value, self.levels["nik"], mask_nik)

    def kk(self, value: str | None) -> str | None:
        return _identifier(value, self.levels["kk_number"], mask_kk)

    def bank_account(self, value: str | None) -> str | None:
        return _identifier(value, self.levels["bank_account"], mask_account)

    def birth_date(self, value: date | None) -> date | None:
        return value if self.levels["birth_date"] == F else None

    def birth_place(self, value: str | None) -> str:
        return (value or "") if self.levels["birth_date"] == F else ""

    def age(self, value: date | None, today: date | None = None) -> int | None:
        if value is None or self.levels["birth_date"] == H:
            return None
        today = today or date.today()
        return today.year - value.year - ((today.month, today.day) < (value.month, value.day))

    def address(self, value: str | None) -> str:
        return (value or "") if self.levels["address"] == F else ""

    def rt_rw(self, value: str | None) -> str:
        return (value or "") if self.levels["address"] == F else ""

    def place(self, address: str | None, rt: str | None = "", rw: str | None = "") -> str:
        """ "Jl. Mawar 1, RT 001/RW 002", or "" when the address is hidden."""
        neighbourhood = ""
        if self.rt_rw(rt or rw):
            neighbourhood = _("RT %(rt)s/RW %(rw)s") % {"rt": rt or "–", "rw": rw or "–"}
        return ", ".join(part for part in (self.address(address), neighbourhood) if part)

    def location(self, value: Any) -> Any:
        """Coordinates pin a house exactly: shown only with the whole address."""
        return value if self.levels["address"] == F else None

    def phone(self, value: str | None) -> str:
        return (value or "") if self.levels["phone"] == F else ""

    def notes_of(self, category_code: str | None) -> bool:
        """Whether notes and evidence of a record in this category may be shown."""
        key = "specific_notes" if category_code in SPECIFIC_CATEGORIES else "notes"
        return self.levels[key] == F

    def notes(self, value: str | None, category_code: str | None = None) -> str:
        return (value or "") if self.notes_of(category_code) else ""

    def display(self, key: str, value: Any, *, category: str | None = None) -> str:
        """A value as text for a page or a PDF; "" when hidden, so the caller leaves the line out."""
        if key == "birth_date":
            if self.levels["birth_date"] == F:
                return tanggal(value) if value else ""
            age = self.age(value)
            return _("%(age)s tahun") % {"age": age} if age is not None else ""
        if key in ("rt", "rw"):
            return self.rt_rw(value)
        if key == "place":
            return self.place(*value)
        if key == "notes":
            return self.notes(value, category)
        shown = getattr(self, {"kk_number": "kk"}.get(key, key))(value)
        return str(shown or "")

    def show(self, *, category: str | None = None, **values: Any) -> dict[str, str]:
        """Several values at once for a template: ``view.show(name=p.name, nik=p.nik, address=...)``."""
        return {key: self.display(key, value, category=category) for key, value in values.items()}


def _identifier(value: str | None, level: Level, mask: Any) -> str | None:
    if not value or level == H:
        return None
    return value if level == F else mask(value)


def visibility_for(
    user: Any,
    obj: Any = None,
    *,
    subject: Subject = Subject.PPKS,
    assigned: bool = False,
    area: tuple[int | None, int | None] | None = None,
) -> Visibility:
    """What ``user`` may see of a person of ``subject`` kind, on ``obj`` (a record with ``scope_area()``).

    A role bound to an area (TKSK: kecamatan, PSM: kelurahan) gives its levels only for records inside that
    area; without ``obj`` (a list's columns, a person reached through the user's scope) every role counts.
    ``assigned``: the user is one of the case's workers, who visit the person. ``area``: the record's
    ``(kecamatan_id, kelurahan_id)`` when there is no object at hand (exports read plain rows).
    """
    from pilar.accounts.permissions import access_for  # permissions may come to read this table

    access = access_for(user)
    roles = set(access.roles)
    if area is None and obj is not None and hasattr(obj, "scope_area"):
        area = obj.scope_area()
    if area is not None:
        kecamatan_id, village_id = area
        outside = {Role.TKSK} if kecamatan_id not in access.kecamatan_ids else set()
        outside |= {Role.PSM} if village_id not in access.village_ids else set()
        if roles & outside:
            roles = (roles - outside) | {OUTSIDE}
    if assigned:
        roles.add(CASE_WORKER)
    rows = TABLE[subject]
    return Visibility(_merge(rows[role] for role in roles if role in rows))


def records() -> list[dict[str, Any]]:
    """The table as plain rows, one per subject and field, for the record of processing activities."""
    return [
        {
            "subject": str(subject),
            "field": key,
            "label": str(field.label),
            "purpose": str(field.purpose),
            "specific": field.specific,
            "levels": {str(role): str(row[key]) for role, row in rows.items()},
        }
        for subject, rows in TABLE.items()
        for key, field in FIELDS.items()
        if key in SUBJECT_FIELDS[subject]
    ]


LEVEL_LABELS = {
    F: gettext_lazy("utuh"),
    M: gettext_lazy("disamarkan"),
    A: gettext_lazy("umur saja"),
    IN: gettext_lazy("inisial"),
    H: "–",
}
PSEUDO_ROLES = {CASE_WORKER: gettext_lazy("Petugas kasus itu"), OUTSIDE: gettext_lazy("TKSK/PSM di luar wilayahnya")}
SUBJECT_LABELS = {
    Subject.PPKS: gettext_lazy("Orang dan keluarga di registri (PPKS, KK, kasus, penerima program)"),
    Subject.WORKER: gettext_lazy("PSM dan TKSK"),
    Subject.COMPLAINT: gettext_lazy("Pengaduan masyarakat (orang yang dilaporkan dan pelapor)"),
}


def render_markdown() -> str:
    """The table for humans (``docs/privacy.md`` carries it between its markers; a test keeps them equal)."""
    lines = []
    for subject, rows in TABLE.items():
        keys = SUBJECT_FIELDS[subject]
        names = [str(Role(role).label) if role in Role.values else str(PSEUDO_ROLES[role]) for role in rows]
        lines += [
            f"### {SUBJECT_LABELS[subject]}",
            "",
            "| " + " | ".join([_("Data"), *names]) + " |",
            "|" + "---|" * (len(names) + 1),
        ]
        for key in keys:
            cells = [str(LEVEL_LABELS[row[key]]) for row in rows.values()]
            lines.append("| " + " | ".join([str(FIELDS[key].label), *cells]) + " |")
        lines.append("")
    return "\n".join(lines)
