"""Whether a registry record qualifies for a program: every criterion checked, every failure explained.

The pages show the whole list (met and not met) before anyone proposes; the service refuses a proposal or an
approval with the messages of all the criteria that fail, not only the first.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from pilar.core.formatting import tanggal
from pilar.identity.models import Person
from pilar.programs.models import Program
from pilar.registry.models import PpksRecord, PpksStatus


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    message: str = ""  # why it fails, for the user


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def subject_person(record: PpksRecord) -> Person | None:
    """The person the age, sex and NIK criteria look at: the record's person, or the head of its household."""
    return record.person or (record.household.head if record.household is not None else None)


def _active(program: Program, on: date) -> Check:
    ok = (
        program.is_active and program.active_from <= on and (program.active_until is None or on <= program.active_until)
    )
    return Check(_("Program berlaku"), ok, "" if ok else _("Program tidak berlaku pada %(d)s.") % {"d": tanggal(on)})


def _subject(program: Program, record: PpksRecord) -> Check | None:
    if program.subject == Program.Subject.PERSON:
        ok = record.person_id is not None
        return Check(_("Sasaran perorangan"), ok, "" if ok else _("Program ini untuk perorangan, bukan keluarga (KK)."))
    if program.subject == Program.Subject.FAMILY:
        ok = record.household_id is not None
        return Check(_("Sasaran keluarga"), ok, "" if ok else _("Program ini untuk keluarga (KK), bukan perorangan."))
    return None


def _category(program: Program, record: PpksRecord) -> Check | None:
    allowed = list(program.categories.all())
    if not allowed:
        return None
    ok = record.category_id in {c.pk for c in allowed}
    names = ", ".join(c.name for c in allowed)
    message = _("Kategori %(c)s bukan sasaran program (sasaran: %(names)s).") % {
        "c": record.category.name,
        "names": names,
    }
    return Check(_("Kategori PPKS"), ok, "" if ok else message)


def _status(program: Program, record: PpksRecord) -> Check:
    if program.requires_validated:
        ok = record.status == PpksStatus.VALIDATED
        message = _("Data PPKS harus sudah ditetapkan (sekarang: %(s)s).") % {"s": record.get_status_display()}
        return Check(_("Data PPKS ditetapkan"), ok, "" if ok else message)
    ok = record.status not in (PpksStatus.REJECTED, PpksStatus.EXITED)
    message = _("Data PPKS berstatus %(s)s.") % {"s": record.get_status_display()}
    return Check(_("Data PPKS masih berlaku"), ok, "" if ok else message)


def _area(program: Program, record: PpksRecord) -> list[Check]:
    checks = []
    kecamatan = list(program.kecamatan_limits.all())
    if kecamatan:
        ok = record.kecamatan_id in {r.pk for r in kecamatan}
        names = ", ".join(r.name for r in kecamatan)
        checks.append(Check(_("Kecamatan"), ok, "" if ok else _("Hanya untuk warga Kecamatan %(n)s.") % {"n": names}))
    kelurahan = list(program.kelurahan_limits.all())
    if kelurahan:
        ok = record.kelurahan_id in {r.pk for r in kelurahan}
        names = ", ".join(r.name for r in kelurahan)
        checks.append(Check(_("Kelurahan"), ok, "" if ok else _("Hanya untuk warga Kelurahan %(n)s.") % {"n": names}))
    return checks


def _age(program: Program, person: Person | None, on: date) -> Check | None:
    if program.min_age is None and program.max_age is None:
        return None
    low, high = program.min_age, program.max_age
    wanted = (
        _("%(a)s–%(b)s tahun") % {"a": low, "b": high}
        if low is not None and high is not None
        else _("minimal %(a)s tahun") % {"a": low}
        if low is not None
        else _("paling tinggi %(b)s tahun") % {"b": high}
    )
    if person is None or person.birth_date is None:
        return Check(_("Usia"), False, _("Tanggal lahir tidak diketahui; usia harus %(w)s.") % {"w": wanted})
    age = age_on(person.birth_date, on)
    ok = (low is None or age >= low) and (high is None or age <= high)
    return Check(_("Usia"), ok, "" if ok else _("Usia %(age)s tahun; harus %(w)s.") % {"age": age, "w": wanted})


def _sex(program: Program, person: Person | None) -> Check | None:
    if not program.sex:
        return None
    ok = person is not None and person.sex == program.sex
    label = program.get_sex_display()
    return Check(_("Jenis kelamin"), ok, "" if ok else _("Program ini hanya untuk %(s)s.") % {"s": label.lower()})


def _nik(program: Program, person: Person | None) -> Check | None:
    if not program.requires_nik:
        return None
    ok = bool(person and person.nik)
    message = _("Wajib memiliki NIK (daftarkan ke Dukcapil terlebih dahulu).")
    return Check(_("NIK"), ok, "" if ok else message)


def evaluate(program: Program, record: PpksRecord, *, on: date) -> list[Check]:
    """Every criterion of ``program`` that applies, met or not, for ``record`` on the day ``on``."""
    person = subject_person(record)
    checks = [
        _active(program, on),
        _subject(program, record),
        _category(program, record),
        _status(program, record),
        *_area(program, record),
        _age(program, person, on),
        _sex(program, person),
        _nik(program, person),
    ]
    return [c for c in checks if c is not None]


def failures(program: Program, record: PpksRecord, *, on: date) -> list[str]:
    return [c.message for c in evaluate(program, record, on=on) if not c.ok]
