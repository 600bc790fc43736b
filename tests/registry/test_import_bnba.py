"""Column mapping with a preview and named profiles; the DTKS/DTSEN BNBA layout both ways (the built-in
``dtks`` profile reads what the BNBA export writes, with the national-program flags as enrollments)."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from pilar.identity.models import Person
from pilar.identity.nik import make_nik
from pilar.programs.models import Enrollment, EnrollmentEvent
from pilar.registry import bnba
from pilar.registry.import_models import ImportConflict, ImportProfile
from pilar.registry.importer import import_file
from pilar.registry.importer.mapping import preview, profile_named
from pilar.registry.models import (
    Household,
    HouseholdKk,
    HouseholdMember,
    ImportJob,
    PpksEvent,
    PpksRecord,
)

KK_A, KK_B = "3671011203150007", "3671011203150008"


def nik(serial: int, born: date, sex: str) -> str:
    return make_nik(kecamatan_code="367101", birth_date=born, sex=sex, serial=serial)


def dtks_sheet(path, people: list[list[object]], *, title_rows: bool = True):
    """A BNBA workbook as the ministry's extract looks: title rows, the DTKS columns, no PPKS category."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title_rows:
        sheet.append(["DATA TERPADU KESEJAHTERAAN SOSIAL (DTKS) — BY NAME BY ADDRESS"])
        sheet.append(["KOTA TANGERANG"])
        sheet.append([])
    sheet.append(
        [
            "NO",
            "IDDTKS",
            "NOKK",
            "NIK",
            "NAMA",
            "TGL LAHIR",
            "JENIS KELAMIN",
            "HUB KELUARGA",
            "ALAMAT",
            "RT",
            "RW",
            "DESA/KELURAHAN",
            "KECAMATAN",
            "PKH",
            "BPNT",
            "PBI",
        ]
    )
    for number, person in enumerate(people, start=1):
        sheet.append([number, *person])
    book.save(path)
    return path


HEAD = [
    "3671-0001",
    KK_A,
    nik(1, date(1960, 5, 1), "L"),
    "Ahmad Dahlan",
    "01-05-1960",
    "L",
    "Kepala Keluarga",
    "Jl. Kenanga 3",
    "1",
    "2",
    "Sukarasa",
    "Tangerang",
    "Ya",
    "Ya",
    "Tidak",
]
WIFE = [
    "3671-0002",
    KK_A,
    nik(2, date(1965, 8, 17), "P"),
    "Siti Dahlan",
    "17-08-1965",
    "P",
    "Istri",
    "Jl. Kenanga 3",
    "1",
    "2",
    "Sukarasa",
    "Tangerang",
    "Ya",
    "Ya",
    "Ya",
]
ALONE = [
    "3671-0003",
    KK_B,
    nik(3, date(1940, 1, 2), "P"),
    "Mbok Ijah",
    "02-01-1940",
    "P",
    "Kepala Keluarga",
    "Gg. Mawar",
    "3",
    "4",
    "Kel. Sukarasa",
    "Kec. Tangerang",
    "",
    "",
    "Y",
]


def test_the_dtks_profile_reads_the_bnba_layout_with_external_ids_and_program_flags(city, operator, tmp_path):
    job = import_file(dtks_sheet(tmp_path / "dtks.xlsx", [HEAD, WIFE, ALONE]), user=operator, profile="dtks")
    assert job.status == "selesai" and job.header_row == 4, job.message
    assert job.created_count == 3 and "kepesertaan program nasional" in job.message
    head = Person.objects.get(name="Ahmad Dahlan")
    assert (head.external_id, head.source_import, head.source_row) == ("3671-0001", job.pk, 5)
    assert set(PpksRecord.objects.values_list("category__code", flat=True)) == {"PPKS-24"}  # the profile's default
    taken = {
        (e.program.code, e.household.kk_number if e.household_id else e.person.name, e.status)
        for e in Enrollment.objects.select_related("program", "household", "person")
    }
    # Family programs once per household however many members carry the flag; PBI-JK as the pack defines it.
    assert ("pkh", KK_A, "disetujui") in taken and ("bpnt", KK_A, "disetujui") in taken
    assert ("pkh", KK_B, "disetujui") not in taken
    assert sum(1 for code, *_rest in taken if code == "pkh") == 1
    assert {code for code, *_rest in taken} == {"pkh", "bpnt", "pbi-jk"}
    assert EnrollmentEvent.objects.filter(action="imported").count() == len(taken)


def test_a_missing_required_column_under_a_profile_is_named(city, operator, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["NOKK", "NAMA", "JENIS KELAMIN", "DESA/KELURAHAN"])
    book.active.append([KK_A, "Ahmad", "L", "Sukarasa"])
    book.save(tmp_path / "kurang.xlsx")
    job = import_file(tmp_path / "kurang.xlsx", user=operator, profile="dtks")
    assert job.status == "ditolak" and "NIK" in job.message and "Tanggal Lahir" in job.message
    assert "profil dtks" in job.message and not PpksRecord.objects.exists()


def test_preview_shows_the_first_rows_as_read_and_guesses_each_column(city, tmp_path):
    path = dtks_sheet(tmp_path / "dtks.xlsx", [HEAD, WIFE])
    shown = preview(path)
    assert shown.header_row == 4 and shown.titles[1] == "IDDTKS"
    assert [number for number, _cells in shown.rows] == [5, 6]
    assert shown.rows[0][1][4] == "Ahmad Dahlan"
    assert shown.chosen[1] == "external_id" and shown.chosen[3] == "nik" and shown.chosen[13] == "program_pkh"
    assert "NO" in shown.unmapped
    assert preview(path, profile_named("dtks")).chosen[12] == "kecamatan"


def test_the_api_lists_the_built_in_profile_and_imports_with_it(
    city, operator, api_as, tmp_path, django_capture_on_commit_callbacks
):
    api = api_as(operator)
    listed = api.get("/api/v1/import-profiles/").json()
    dtks = next(p for p in listed if p["name"] == "dtks")
    assert dtks["builtin"] and dtks["mapping"]["nik"][0] == "NIK" and dtks["defaults"] == {"category": "PPKS-24"}
    body = dtks_sheet(tmp_path / "dtks.xlsx", [HEAD]).read_bytes()
    upload = SimpleUploadedFile("dtks.xlsx", body)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post("/api/v1/imports/", {"file": upload, "mode": "valid-rows", "profile": "dtks"})
    assert answer.status_code == 202 and answer.json()["profile"] == "dtks"
    assert ImportJob.objects.get().created_count == 1
    unknown = api.post("/api/v1/imports/", {"file": SimpleUploadedFile("x.csv", b"NIK\n"), "profile": "tidak-ada"})
    assert unknown.status_code == 400 and "Profil tidak-ada tidak ada" in unknown.json()["errors"]["profile"][0]


def test_the_cli_takes_a_profile_and_refuses_an_unknown_one(city, operator, tmp_path, capsys):
    path = dtks_sheet(tmp_path / "dtks.xlsx", [HEAD, WIFE])
    call_command("import_registry", str(path), "--profile", "dtks", "--user", operator.username)
    assert "baru: 2" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Profil impor tidak ditemukan"):
        call_command("import_registry", str(path), "--profile", "entah")


def test_the_preview_page_maps_columns_saves_a_profile_and_nothing_is_written_before(
    city, operator, client, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    body = dtks_sheet(tmp_path / "kantor.xlsx", [HEAD, ALONE]).read_bytes()
    answer = client.post(
        "/registri/impor/", {"file": SimpleUploadedFile("kantor.xlsx", body), "mode": "valid-rows", "preview": "on"}
    )
    job = ImportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/registri/impor/{job.pk}/pemetaan/")
    assert job.status == "pratinjau" and not Person.objects.exists()
    page = client.get(f"/registri/impor/{job.pk}/pemetaan/").content.decode()
    assert "Baris judul kolom: baris 4" in page and "Ahmad Dahlan" in page and "Kolom yang tidak dipakai" in page
    form = {f"col_{i}": field for i, field in preview(tmp_path / "kantor.xlsx").chosen.items()}
    refused = client.post(f"/registri/impor/{job.pk}/pemetaan/", {**form, "confirm": "1"})
    assert refused.status_code == 400 and "Kategori PPKS" in refused.content.decode()  # no category, no profile
    form["col_0"] = "notes"  # the NO column kept as a note, just to change one mapping
    form["col_13"] = ""  # PKH not used
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/registri/impor/{job.pk}/pemetaan/?profile=dtks",
            {**form, "confirm": "1", "profile": "dtks", "profile_name": "BNBA Kelurahan"},
        )
    assert done.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created_count, job.columns["notes"]) == ("selesai", 2, 0), job.message
    assert not Enrollment.objects.filter(program__code="pkh").exists()
    saved = ImportProfile.objects.get(name="bnba-kelurahan")
    assert saved.mapping["notes"] == ["NO"] and "program_pkh" not in saved.mapping
    assert profile_named("bnba-kelurahan").mapping["nik"] == ["NIK"]


def _wipe_registry() -> None:
    EnrollmentEvent.objects.all().delete()
    Enrollment.objects.all().delete()
    ImportConflict.objects.all().delete()
    PpksEvent.objects.all().delete()
    PpksRecord.objects.all().delete()
    HouseholdKk.objects.all().delete()
    HouseholdMember.objects.all().delete()
    Household.objects.all().delete()
    Person.objects.all().delete()


def _state() -> dict[str, set]:
    members = HouseholdMember.objects.filter(until__isnull=True)
    return {
        "persons": set(Person.objects.values_list("nik", "name", "sex", "birth_date", "external_id")),
        "households": {
            (m.household.kk_number, m.person.nik, m.relationship) for m in members.select_related("household", "person")
        },
        "categories": set(PpksRecord.objects.values_list("person__nik", "category__code", "kelurahan__code")),
        "programs": {
            (e.program.code, e.household.kk_number if e.household_id else e.person.nik)
            for e in Enrollment.objects.select_related("program", "household", "person")
        },
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_filtered_bnba_export_imports_into_an_empty_registry_as_the_same_data(kind, city, operator, client, tmp_path):
    lansia = [
        "3671-0004",
        KK_B,
        nik(4, date(1938, 3, 3), "L"),
        "Pak Tua",
        "03-03-1938",
        "L",
        "Suami",
        "Gg. Mawar",
        "3",
        "4",
        "Sukarasa",
        "Tangerang",
        "",
        "",
        "",
    ]
    job = import_file(dtks_sheet(tmp_path / "dtks.xlsx", [HEAD, WIFE, ALONE, lansia]), user=operator, profile="dtks")
    # One more category on one person, from the template layout: kept through the JENIS PPKS column.
    extra = tmp_path / "lansia.csv"
    extra.write_text(
        "NIK,No KK,Nama Lengkap,Jenis Kelamin,Tanggal Lahir,Kode Kelurahan,Kategori PPKS\n"
        f"{lansia[2]},{KK_B},Pak Tua,L,03-03-1938,36.71.01.1001,PPKS-08\n"
    )
    assert import_file(extra, user=operator).created_count == 1 and job.created_count == 4
    before = _state()
    client.force_login(operator)
    answer = client.get(f"/registri/ekspor/?format={kind}&layout=dtks&kelurahan=36.71.01.1001")
    assert answer.status_code == 200
    body = b"".join(answer.streaming_content)
    if kind == "csv":
        header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert header == bnba.TITLES  # every column: an operator sees them all
    exported = tmp_path / f"bnba.{kind}"
    exported.write_bytes(body)
    _wipe_registry()
    again = import_file(exported, user=operator, profile="dtks", mode="valid-rows")
    assert again.status == "selesai" and again.error_count == 0, again.message
    after = _state()
    for key in before:
        assert after[key] == before[key], key
    assert len(before["programs"]) >= 3 and len(before["categories"]) == 5


def test_an_unknown_export_layout_is_refused_in_indonesian(city, operator, client):
    client.force_login(operator)
    answer = client.get("/registri/ekspor/?format=csv&layout=bps")
    assert answer.status_code == 400 and "tidak dikenal" in answer.content.decode()
