"""The ministry's BNBA layout ("by name by address", the DTKS/SIKS-NG column set) for exports.

One place for these column titles, so that the importer can recognise a BNBA file by the very titles
Pilar writes. Personal columns follow the field-visibility table exactly as Pilar's own layout does:
a column the user may not see is left out, a masked value stays masked.
"""

from typing import Any

from django.conf import settings

from pilar.accounts.visibility import Level, Visibility

# Column titles as the ministry's BNBA sheets write them (upper case), in their order.
PROVINCE, CITY, DISTRICT, VILLAGE = "PROVINSI", "KABUPATEN/KOTA", "KECAMATAN", "DESA/KELURAHAN"
ADDRESS, RT, RW = "ALAMAT", "RT", "RW"
KK, NIK, NAME, SEX = "NO KK", "NIK", "NAMA", "JENIS KELAMIN"
BIRTH_PLACE, BIRTH_DATE, AGE = "TEMPAT LAHIR", "TANGGAL LAHIR", "UMUR"
CATEGORY_CODE, CATEGORY, STATUS = "KODE PPKS", "JENIS PPKS", "STATUS"
BNBA_COLUMNS = (PROVINCE, CITY, DISTRICT, VILLAGE, ADDRESS, RT, RW, KK, NIK, NAME, SEX, BIRTH_PLACE, BIRTH_DATE,
                AGE, CATEGORY_CODE, CATEGORY, STATUS)  # fmt: skip


def _birth_date(row: Any, view: Visibility) -> str:
    born = view.birth_date(row.born)
    return born.isoformat() if born else ""


def _province_and_city(region_code: str) -> tuple[str, str]:
    # One query per export file (not per row): the names head every row of the sheet.
    from pilar.regions.models import Region

    city = Region.objects.filter(code=region_code).select_related("parent").first()
    if city is None:
        return "", ""
    return (city.parent.name if city.parent is not None else ""), city.name


def dtks_columns(view: Visibility) -> list[tuple[str, Any]]:
    """``(title, cell)`` per BNBA column the user may see; cells take an export ``Row`` and its row's view."""
    from pilar.registry.exports import STATUS_LABELS

    province, city = _province_and_city(settings.PILAR_REGION)
    statuses = {key: str(label) for key, label in STATUS_LABELS.items()}
    born = view.level("birth_date")
    wanted: list[tuple[bool, str, Any]] = [
        (True, PROVINCE, lambda r, v: province),
        (True, CITY, lambda r, v: city),
        (True, DISTRICT, lambda r, v: r.kecamatan or ""),
        (True, VILLAGE, lambda r, v: r.kelurahan or ""),
        (view.level("address") == Level.FULL, ADDRESS, lambda r, v: v.address(r.address)),
        (view.shows("address"), RT, lambda r, v: v.rt_rw(r.rt)),
        (view.shows("address"), RW, lambda r, v: v.rt_rw(r.rw)),
        (view.shows("kk_number"), KK, lambda r, v: v.kk(r.kk) or ""),
        (view.shows("nik"), NIK, lambda r, v: v.nik(r.nik) or ""),
        (view.shows("name"), NAME, lambda r, v: v.name(r.name)),
        (True, SEX, lambda r, v: r.sex or ""),
        (born == Level.FULL, BIRTH_PLACE, lambda r, v: v.birth_place(r.birth_place)),  # one field with the date
        (born == Level.FULL, BIRTH_DATE, _birth_date),
        (born == Level.AGE, AGE, lambda r, v: "" if v.age(r.born) is None else str(v.age(r.born))),
        (True, CATEGORY_CODE, lambda r, v: r.code),
        (True, CATEGORY, lambda r, v: r.category),
        (True, STATUS, lambda r, v: statuses.get(r.status, r.status)),
    ]  # fmt: skip
    return [(title, cell) for shown, title, cell in wanted if shown]
