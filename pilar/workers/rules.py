"""The workforce rules of Permensos 10/2019 (PSM) and 28/2018 (TKSK), as checks that return messages.

Each check returns ``{field: [message, ...]}`` so that services can report every problem at
once and pages and the API can show each message next to its input.
"""

from datetime import date

from django.utils.translation import gettext as _

from pilar.identity.nik import check_nik_consistency
from pilar.regions.models import Region
from pilar.workers.models import Worker, WorkerRole, WorkerStatus

MIN_AGE = 18

Errors = dict[str, list[str]]


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def check_identity(errors: Errors, *, nik: str, birth_date: date | None, sex: str) -> None:
    for field, message in check_nik_consistency(nik, birth_date=birth_date, sex=sex):
        add(errors, field, message)


def check_age(errors: Errors, *, birth_date: date | None, on: date) -> None:
    if birth_date is None:
        add(errors, "birth_date", _("Tanggal lahir wajib diisi."))
    elif birth_date > on:
        add(errors, "birth_date", _("Tanggal lahir tidak boleh setelah tanggal mulai bertugas."))
    elif age_on(birth_date, on) < MIN_AGE:
        add(
            errors,
            "birth_date",
            _("Usia minimal %(age)s tahun pada tanggal mulai bertugas.") % {"age": MIN_AGE},
        )


def check_area(errors: Errors, *, role: str, region: Region | None, city_code: str) -> None:
    if region is None:
        add(errors, "region", _("Wilayah tugas wajib diisi."))
        return
    if not region.code.startswith(city_code + "."):
        add(errors, "region", _("Wilayah tugas harus berada di wilayah kota/kabupaten ini."))
    elif role == WorkerRole.PSM and not region.is_village:
        add(errors, "region", _("PSM ditugaskan di satu kelurahan/desa."))
    elif role == WorkerRole.TKSK and region.level != Region.Level.KECAMATAN:
        add(errors, "region", _("TKSK ditugaskan di satu kecamatan."))


def check_not_rt_rw_head(errors: Errors, *, role: str, is_rt_rw_head: bool) -> None:
    if role == WorkerRole.PSM and is_rt_rw_head:
        add(errors, "is_rt_rw_head", _("Ketua RT/RW tidak boleh menjadi PSM (Permensos 10/2019)."))


def check_single_tksk(errors: Errors, *, kecamatan: Region, exclude: Worker | None = None) -> None:
    others = Worker.objects.tksk().filter(kecamatan=kecamatan, status=WorkerStatus.ACTIVE)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    holder = others.select_related("person").first()
    if holder is not None:
        add(
            errors,
            "region",
            _("Kecamatan %(kec)s sudah memiliki TKSK aktif (%(name)s). Satu kecamatan hanya satu TKSK.")
            % {"kec": kecamatan.name, "name": holder.person.name},
        )


def address_warning(*, role: str, region: Region | None, home_village: Region | None) -> str | None:
    """A PSM should hold a KTP of the kelurahan served; the operator may confirm an exception."""
    if role != WorkerRole.PSM or region is None or home_village is None or region == home_village:
        return None
    return _(
        "Alamat KTP berada di Kelurahan %(home)s, sedangkan wilayah tugas Kelurahan %(served)s. "
        "Permensos 10/2019 mensyaratkan KTP kelurahan yang dilayani; centang konfirmasi bila tetap disimpan."
    ) % {"home": home_village.name, "served": region.name}
