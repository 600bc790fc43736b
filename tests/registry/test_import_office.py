"""Workbooks as offices keep them: title rows, a two-row header, a numbering row, a JUMLAH footer and a
signature block, formatted blank rows, NIKs as numbers, text and scientific notation, every date form,
kelurahan by name with prefixes, every category alias, no SHDK. Built with openpyxl as Excel saves them."""

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from openpyxl.styles import Border, PatternFill, Side

from pilar.identity.models import Person
from pilar.identity.nik import make_nik
from pilar.registry.importer import import_file
from pilar.registry.importer.categories import alias_rows, category_key
from pilar.registry.models import Category, HouseholdMember, ImportJob, PpksRecord

AON, VALID = ImportJob.Mode.ALL_OR_NOTHING, ImportJob.Mode.VALID_ROWS
KK = "3671011203150007"


def nik(serial: int, born: date, sex: str = "L") -> str:
    return make_nik(kecamatan_code="367101", birth_date=born, sex=sex, serial=serial)


def office_workbook(path: Path, people: list[list[object]], *, footer: bool = True) -> Path:
    """Letterhead and title rows, a header over rows 6–7 (ALAMAT merged over JALAN/RT/RW), a numbering row 8,
    people from row 9, then a blank formatted row, JUMLAH, a signature block and more formatted rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "PEMERINTAH KOTA TANGERANG"
    sheet["A2"] = "DINAS SOSIAL"
    sheet["A3"] = "DAFTAR PENERIMA BANTUAN SOSIAL KELURAHAN SUKARASA TAHUN 2025"
    for row in (1, 2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=12)
    top = [
        "NO",
        "NIK",
        "NO. KK",
        "NAMA LENGKAP",
        "L/P",
        "TEMPAT LAHIR",
        "TGL LAHIR",
        "ALAMAT",
        None,
        None,
        "DESA/KELURAHAN",
        "JENIS PPKS",
    ]
    bottom = [None, None, None, None, None, None, None, "JALAN", "RT", "RW", None, None]
    for column, (upper, lower) in enumerate(zip(top, bottom, strict=True), start=1):
        sheet.cell(6, column, upper)
        sheet.cell(7, column, lower)
        if upper and not lower:
            sheet.merge_cells(start_row=6, start_column=column, end_row=7, end_column=column)
    sheet.merge_cells("H6:J6")
    for column in range(1, 13):
        sheet.cell(8, column, column)  # the numbering row
    line = Side(style="thin")
    for offset, person in enumerate(people):
        for column, value in enumerate([offset + 1, *person], start=1):
            cell = sheet.cell(9 + offset, column, value)
            cell.border = Border(left=line, right=line, top=line, bottom=line)
    end = 9 + len(people)
    for column in range(1, 13):  # a blank row that only carries formatting
        sheet.cell(end, column).fill = PatternFill("solid", fgColor="FFFF00")
    if footer:
        sheet.cell(end + 1, 1, "JUMLAH")
        sheet.cell(end + 1, 4, f"{len(people)} orang")
        sheet.cell(end + 3, 9, "Tangerang, 12 Januari 2025")
        sheet.cell(end + 4, 9, "Mengetahui,")
        sheet.cell(end + 5, 9, "Lurah Sukarasa")
        sheet.cell(end + 8, 9, "H. AHMAD SUBAGJA, S.Sos")
        sheet.cell(end + 9, 9, "NIP. 197001012000031001")
        for column in range(1, 13):
            sheet.cell(end + 12, column).border = Border(bottom=line)
    book.save(path)
    return path


BORN = date(1950, 3, 4)
DATE_FORMS = [  # (how the cell holds it, the date)
    (datetime(1950, 3, 4), BORN),  # a real Excel date
    ("04-03-1950", BORN),
    ("04/03/1950", BORN),
    ("4 Maret 1950", BORN),
    ("04 Mar 1950", BORN),
    ("1950-03-04", BORN),
]


def person(
    serial: int,
    *,
    nik_value: object = None,
    born: object = BORN,
    sex: str = "L",
    kk: object = KK,
    village: str = "Kel. Sukarasa",
    category: str = "Lansia Terlantar",
    name: str = "",
) -> list[object]:
    when = born
    true_born = born if isinstance(born, date) else BORN
    female = sex in ("P", "p", "Perempuan", "PR", "2", "Wanita")
    value = nik_value if nik_value is not None else int(nik(serial, true_born, "P" if female else "L"))
    return [
        value,
        kk,
        name or f"Warga Kantor {serial}",
        sex,
        "Tangerang",
        when,
        "Jl. Melati",
        "001",
        "002",
        village,
        category,
    ]


def errors_of(job: ImportJob) -> list[dict[str, str]]:
    if not job.error_file:
        return []
    with job.error_file.open("rb") as fh:
        return list(csv.DictReader(io.StringIO(fh.read().decode("utf-8-sig"))))


def test_an_office_workbook_is_read_from_its_header_with_footers_skipped_and_every_value_form(
    city, operator, tmp_path, client
):
    people = [person(i + 1, born=form) for i, (form, _day) in enumerate(DATE_FORMS)]
    people.append(person(7, nik_value=f"'{nik(7, BORN)}"))  # text with Excel's leading apostrophe
    people.append(person(8, nik_value=" ".join([nik(8, BORN)[:4], nik(8, BORN)[4:8], nik(8, BORN)[8:]])))
    people.append(person(9, village="KELURAHAN  sukarasa", sex="Laki-laki"))
    people.append(person(10, village="36.71.01.1001", sex="1"))
    people.append(person(11, village="kel.Sukarasa", sex="LK", category="Lanjut Usia Telantar"))
    people.append(person(12, sex="P", category="Fakir Miskin", kk=""))  # no KK, a family category: kept on the person
    job = import_file(office_workbook(tmp_path / "bnba.xlsx", people), user=operator, mode=AON)
    assert errors_of(job) == [] and job.status == "selesai", job.message
    assert (job.header_row, job.created_count, job.total_rows) == (7, 12, 12)
    reasons = {(first, last): reason for first, last, reason in job.skipped}
    assert reasons[(21, 21)] == "baris kosong" and reasons[(22, 22)] == "baris jumlah/total"
    assert "blok tanda tangan atau keterangan" in reasons.values()
    assert job.skipped_rows == 10, job.skipped  # rows 21–30; the border-only rows below are outside the data
    assert set(Person.objects.values_list("birth_date", flat=True)) == {BORN, date(1950, 3, 4)}
    assert PpksRecord.objects.filter(category__code="PPKS-08").count() == 11
    assert PpksRecord.objects.filter(kelurahan__code="36.71.01.1001").count() == 12
    members = HouseholdMember.objects.filter(household__kk_number=KK)
    assert members.count() == 11 and set(members.values_list("relationship", flat=True)) == {""}  # SHDK unknown
    poor = PpksRecord.objects.get(category__code="PPKS-24")
    assert poor.household is None and not HouseholdMember.objects.filter(person=poor.person).exists()
    client.force_login(operator)
    assert "KK belum diketahui" in client.get(reverse("registry:ppks_detail", args=[poor.pk])).content.decode()


def test_only_truly_bad_rows_are_reported_with_the_sheet_row_column_title_and_name(city, operator, tmp_path):
    people = [
        person(1),
        person(2, nik_value="3.67101E+15", name="Siti Aminah"),
        person(3, born="31-02-1950"),
        person(4, category="Lansia Terlantarr"),
        person(5),
    ]
    path = office_workbook(tmp_path / "bnba.xlsx", people)
    job = import_file(path, user=operator, mode=VALID)
    assert (job.status, job.created_count, job.error_count) == ("selesai", 2, 3)
    found = {row["Baris"]: row for row in errors_of(job)}
    assert set(found) == {"10", "11", "12"}  # the sheet's own rows: people start at row 9
    assert found["10"]["Pesan"] == "NIK tertulis 3.67101E+15: format sel Excel mengubahnya; ubah kolom ke Teks"
    assert (found["10"]["Kolom"], found["10"]["Kolom Pilar"], found["10"]["Nama"]) == ("NIK", "NIK", "Siti Aminah")
    assert found["11"]["Kolom"] == "TGL LAHIR" and found["11"]["Kolom Pilar"] == "Tanggal Lahir"
    assert "Lanjut Usia Telantar" in found["12"]["Pesan"]  # the closest known category is suggested
    assert job.skipped_rows > 0 and "dilewati" in job.message
    # All-or-nothing: a truly bad row stops everything, footers and blank rows never do.
    before = PpksRecord.objects.count()
    rejected = import_file(path, user=operator, mode=AON)
    assert rejected.status == "ditolak" and PpksRecord.objects.count() == before
    clean = import_file(office_workbook(tmp_path / "bersih.xlsx", [person(20), person(21)]), user=operator, mode=AON)
    assert (clean.status, clean.created_count) == ("selesai", 2)


@pytest.mark.parametrize(
    "raw", ["1", "L", "l", "Laki-laki", "LAKI-LAKI", "LK", "Lk.", "Pria"], ids=lambda r: f"sex-{r}"
)
def test_sex_forms_for_men(raw, city, operator, tmp_path):
    job = import_file(office_workbook(tmp_path / "a.xlsx", [person(1, sex=raw)]), user=operator, mode=AON)
    assert job.status == "selesai" and Person.objects.get().sex == "L"


def test_every_category_alias_is_recognised(city, operator, tmp_path):
    """One person per alias (and per code form) of every category, all in one workbook."""
    spellings = [(code, alias) for code, alias in alias_rows()]
    for category in Category.objects.filter(kind__in=Category.RECORDED_KINDS):
        spellings += [
            (category.code, category.name),
            (category.code, category.name.upper()),
            (category.code, category.code.replace("-", " ")),
        ]
        spellings += [(category.code, category.code.replace("PPKS", "PMKS"))] if category.kind == "ppks" else []
        spellings += (
            [(category.code, category.name.replace("Telantar", "Terlantar"))] if "Telantar" in category.name else []
        )
    people = []
    for index, (_code, spelling) in enumerate(spellings):
        born = date(1940 + index % 60, 1 + index % 12, 1 + index % 28)
        people.append(person(index + 1, born=born, category=spelling, kk=f"36710112031500{index % 90 + 10:02d}"))
    # Every category on people of every age: plausibility warnings are accepted, the aliases are under test.
    job = import_file(office_workbook(tmp_path / "alias.xlsx", people), user=operator, mode=VALID, accept_warnings=True)
    assert job.error_count == 0 and job.created_count == len(spellings)
    assert all(e["Pesan"].startswith("Peringatan: ") for e in errors_of(job))
    got = dict(PpksRecord.objects.values_list("person__name", "category__code"))
    for index, (code, spelling) in enumerate(spellings):
        assert got[f"Warga Kantor {index + 1}"] == code, spelling


def test_category_names_are_compared_without_case_punctuation_and_spelling_variants():
    assert category_key("Lanjut Usia Terlantar") == category_key("LANSIA TELANTAR")
    assert category_key("Anak Jalanan (Anjal)") == category_key("anak jalanan")
    assert category_key("Anak yang Berhadapan dengan Hukum") == category_key("Anak Berhadapan dengan Hukum")


def test_a_sheet_without_a_recognisable_header_is_refused_with_a_clear_message(city, operator, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["DAFTAR NAMA"])
    book.active.append(["Budi", "Siti"])
    book.save(tmp_path / "x.xlsx")
    job = import_file(tmp_path / "x.xlsx", user=operator)
    assert job.status == "ditolak" and "judul kolom tidak ditemukan" in job.message
    assert PpksRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("29221", date(1980, 1, 1)),
        ("12.01.1980", date(1980, 1, 12)),
        ("12 Agustus 1980", date(1980, 8, 12)),
        ("12-Jan-1980", date(1980, 1, 12)),
        ("1980-01-12 00:00:00", date(1980, 1, 12)),
        ("1970", None),
        ("31-02-1990", None),
        ("12 Smarch 1980", None),
    ],
)
def test_date_forms(raw, expected):
    from pilar.registry.importer.values import parse_date

    assert parse_date(raw, date(2026, 1, 1)) == expected


def test_a_birth_year_without_day_and_month_is_kept_as_the_first_of_january(city, operator, tmp_path):
    people = [person(1, born="00-00-1950", nik_value=""), person(2, born="1950", nik_value="")]
    people[0][2], people[1][2] = "Tanpa NIK Satu", "Tanpa NIK Dua"
    job = import_file(office_workbook(tmp_path / "tahun.xlsx", people), user=operator, mode=AON)
    assert job.status == "selesai", errors_of(job)
    assert set(Person.objects.values_list("birth_date", flat=True)) == {date(1950, 1, 1)}


def test_a_jumlah_row_written_in_the_nik_column_is_skipped_not_refused(city, operator, tmp_path):
    path = tmp_path / "nik-pertama.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["NIK", "NAMA", "L/P", "TGL LAHIR", "KELURAHAN", "JENIS PPKS"])
        out.writerows([[nik(i, BORN), f"Warga {i}", "L", "04-03-1950", "Sukarasa", "Lansia"] for i in (1, 2)])
        out.writerow(["JUMLAH", "2 orang", "", "", "", ""])
    job = import_file(path, user=operator, mode=AON)
    assert (job.status, job.created_count, job.error_count) == ("selesai", 2, 0), job.message
    assert job.skipped == [[4, 4, "baris jumlah/total"]]


def test_a_birth_date_with_day_and_month_swapped_against_its_nik_is_named_as_such(city, operator, tmp_path):
    people = [person(1, born="03-04-1950"), person(2, born="05-04-1950")]  # the NIKs say 4 March 1950
    job = import_file(office_workbook(tmp_path / "tertukar.xlsx", people), user=operator, mode=VALID)
    swapped, other = errors_of(job)
    assert (swapped["Baris"], swapped["Kolom"], swapped["Nama"]) == ("9", "TGL LAHIR", "Warga Kantor 1")
    assert "NIK menunjukkan" in swapped["Pesan"] and "tampaknya tertukar" in swapped["Pesan"]
    assert other["Baris"] == "10" and "tertukar" not in other["Pesan"]
