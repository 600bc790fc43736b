"""Importing PPKS data: every bad file gives a clear Indonesian message and saves nothing unintended."""

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from pilar.audit.models import AuditEntry
from pilar.core import sheets as readers
from pilar.identity.models import Person
from pilar.identity.nik import make_nik
from pilar.regions.models import Region
from pilar.registry.importer import bulk, import_file
from pilar.registry.importer.template import template_csv, template_xlsx
from pilar.registry.importer.writer import ImportWriter
from pilar.registry.models import Category, Household, HouseholdKk, HouseholdMember, ImportJob, PpksEvent, PpksRecord
from pilar.registry.tasks import import_start

HEADER = [
    "NIK",
    "No KK",
    "Nama Lengkap",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Kode Kelurahan",
    "RT",
    "RW",
    "Alamat",
    "Hubungan Keluarga",
    "Kategori PPKS",
]
KK = "3671011203150007"
AON, VALID = ImportJob.Mode.ALL_OR_NOTHING, ImportJob.Mode.VALID_ROWS


def person_row(
    serial: int,
    *,
    sex: str = "L",
    born: str = "1950-03-04",
    category: str = "PPKS-08",
    relationship: str = "Kepala Keluarga",
    kk: str = KK,
) -> list[str]:
    nik = make_nik(kecamatan_code="367101", birth_date=date.fromisoformat(born), sex=sex, serial=serial)
    return [
        nik,
        kk,
        f"Warga Nomor {serial}",
        sex,
        born,
        "36.71.01.1001",
        "1",
        "2",
        "Jl. Mawar No. 1",
        relationship,
        category,
    ]


FAMILY = [  # the head (lansia), his wife and a child; the family is fakir miskin
    person_row(1, sex="L", born="1950-03-04", category="PPKS-08", relationship="Kepala Keluarga"),
    person_row(2, sex="P", born="1955-07-21", category="PPKS-24", relationship="Istri"),
    person_row(3, sex="P", born="2010-12-01", category="PPKS-24", relationship="Anak"),
]


@pytest.fixture
def write_csv(tmp_path):
    def write(
        rows: list[list[str]], *, header: list[str] | None = None, name: str = "data.csv", delimiter: str = ","
    ) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter=delimiter)
            writer.writerow(header or HEADER)
            writer.writerows(rows)
        return path

    return write


def saved() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Person, Household, HouseholdKk, HouseholdMember, PpksRecord, PpksEvent))


def problems(job: ImportJob) -> list[dict[str, str]]:
    with job.error_file.open("rb") as fh:
        text = fh.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_valid_file_creates_persons_household_records_events_and_one_audit_entry(city, operator, write_csv):
    job = import_file(write_csv(FAMILY), user=operator, mode=AON)
    assert (job.status, job.created_count, job.error_count, job.total_rows) == ("selesai", 3, 0, 3)
    assert len(job.checksum) == 64 and job.file_name == "data.csv" and job.finished_at
    assert saved() == (3, 1, 1, 3, 3, 3)
    household = Household.objects.get()
    assert household.kk_number == KK and household.head.name == "Warga Nomor 1"
    assert household.kelurahan.code == "36.71.01.1001" and household.kecamatan.code == "36.71.01"
    record = PpksRecord.objects.get(category__code="PPKS-08")
    assert (record.status, record.source, record.reported_by, record.import_job) == (
        "diusulkan",
        "impor",
        operator,
        job,
    )
    assert record.person.name_normalized == "warga nomor 1" and record.household is None and record.rt == "001"
    assert PpksRecord.objects.filter(category__code="PPKS-24", household=household).count() == 2
    assert set(PpksEvent.objects.values_list("action", "to_status", "actor")) == {
        ("proposed", "diusulkan", operator.pk)
    }
    assert AuditEntry.objects.filter(action="registry.import.completed").count() == 1


def test_importing_the_same_file_again_changes_nothing(city, operator, write_csv):
    path = write_csv(FAMILY)
    import_file(path, user=operator)
    before = saved()
    again = import_file(path, user=operator)
    assert (again.status, again.created_count, again.unchanged_count) == ("selesai", 0, 3)
    assert saved() == before


def test_a_known_person_in_a_new_category_gets_only_a_new_record(city, operator, write_csv):
    import_file(write_csv(FAMILY[:1]), user=operator)
    row = person_row(1, category="PPKS-09")  # the same NIK, now as penyandang disabilitas
    job = import_file(write_csv([row], name="lagi.csv"), user=operator)
    assert job.created_count == 1 and Person.objects.count() == 1 and HouseholdMember.objects.count() == 1


def test_wrong_columns_are_rejected_naming_the_missing_ones(city, operator, write_csv):
    job = import_file(write_csv([["1", "Budi"]], header=["Nomor", "Nama"]), user=operator)
    assert job.status == "ditolak" and "Kolom wajib tidak ditemukan" in job.message and "NIK" in job.message
    assert saved() == (0, 0, 0, 0, 0, 0)


def test_bad_nik_rejects_the_whole_file_in_all_or_nothing_mode(city, operator, write_csv):
    bad = person_row(4)
    bad[0] = "1234"
    job = import_file(write_csv([*FAMILY, bad]), user=operator, mode=AON)
    assert job.status == "ditolak" and job.created_count == 0 and job.error_count == 1
    assert saved() == (0, 0, 0, 0, 0, 0)
    [problem] = problems(job)
    assert problem == {
        "Baris": "5",
        "Kolom": "NIK",
        "Kolom Pilar": "NIK",
        "Nama": "Warga Nomor 4",
        "Nilai": "1234",
        "Pesan": "NIK harus 16 digit angka.",
    }


def test_valid_rows_mode_imports_the_good_rows_and_reports_the_rest(city, operator, write_csv):
    bad = person_row(4, born="1990-02-28")
    bad[4] = "31-02-1990"
    job = import_file(write_csv([*FAMILY, bad]), user=operator, mode=VALID)
    assert (job.status, job.created_count, job.error_count) == ("selesai", 3, 1)
    assert "1 baris bermasalah" in job.message and PpksRecord.objects.count() == 3
    assert problems(job)[0]["Pesan"].startswith("Tanggal lahir tidak valid")


def test_nik_that_contradicts_birth_date_and_sex_is_reported(city, operator, write_csv):
    row = person_row(5, sex="L", born="1960-01-01")
    row[3], row[4] = "P", "02/01/1960"
    job = import_file(write_csv([row]), user=operator, mode=VALID)
    messages = {p["Kolom"]: p["Pesan"] for p in problems(job)}
    assert job.status == "ditolak" and "tidak sesuai dengan NIK" in messages["Tanggal Lahir"]
    assert "tidak sesuai dengan NIK" in messages["Jenis Kelamin"] and saved()[0] == 0


def test_empty_file_and_header_only_file_are_rejected(city, operator, tmp_path, write_csv):
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    assert import_file(empty, user=operator).message == "Berkas kosong."
    header_only = import_file(write_csv([]), user=operator)
    assert header_only.status == "ditolak" and header_only.message == "Berkas tidak berisi baris data."


def test_binary_renamed_to_xlsx_is_rejected(city, operator, tmp_path):
    fake = tmp_path / "data.xlsx"
    fake.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(200))
    job = import_file(fake, user=operator)
    assert job.status == "ditolak" and "bukan XLSX" in job.message
    broken = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "bukan workbook")
    assert "rusak" in import_file(broken, user=operator).message and saved()[0] == 0


def test_file_over_the_size_limit_is_rejected(city, operator, write_csv, monkeypatch):
    monkeypatch.setattr(readers, "MAX_IMPORT_BYTES", 100)
    job = import_file(write_csv(FAMILY), user=operator)
    assert job.status == "ditolak" and "terlalu besar" in job.message and saved()[0] == 0


def test_upload_over_the_size_limit_is_not_even_stored(city, operator, monkeypatch):
    monkeypatch.setattr("pilar.registry.tasks.MAX_IMPORT_BYTES", 10)
    job = import_start(actor=operator, uploaded_file=SimpleUploadedFile("x.csv", b"a" * 50), mode=AON)
    assert job.status == "ditolak" and not job.file and "terlalu besar" in job.message


def test_duplicate_rows_within_the_file_are_reported(city, operator, write_csv):
    job = import_file(write_csv([*FAMILY, FAMILY[1]]), user=operator, mode=VALID)
    assert job.created_count == 3 and job.error_count == 1
    message = problems(job)[0]["Pesan"]
    assert "Baris duplikat" in message and "baris 3" in message


def test_family_category_without_kk_is_kept_on_the_person_without_a_household(city, operator, write_csv):
    row = person_row(6, category="PPKS-24", kk="", relationship="")
    job = import_file(write_csv([row]), user=operator)
    assert (job.status, job.created_count, job.error_count) == ("selesai", 1, 0)
    record = PpksRecord.objects.get()
    assert record.household is None and record.category.code == "PPKS-24"
    assert not HouseholdMember.objects.exists()


def test_a_crash_in_the_middle_leaves_no_rows(city, operator, write_csv, monkeypatch):
    def boom(self, rows):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(ImportWriter, "_insert_records", boom)
    with pytest.raises(RuntimeError):
        import_file(write_csv(FAMILY), user=operator)
    assert saved() == (0, 0, 0, 0, 0, 0)
    job = ImportJob.objects.get()
    assert job.status == "gagal" and "tidak ada data yang disimpan" in job.message


def test_a_failed_insert_in_the_insert_thread_rolls_the_import_back(city, operator, write_csv, monkeypatch):
    real_insert = bulk.SqliteSink.insert if connection.vendor == "sqlite" else bulk.PostgresSink.insert

    def failing(self, table, columns, rows):
        if table == "registry_ppksevent":  # the last table of a batch: the others are already written
            raise RuntimeError("koneksi terputus")
        real_insert(self, table, columns, rows)

    monkeypatch.setattr(type(bulk.open_sink()), "insert", failing)
    with pytest.raises(RuntimeError, match="inserting imported rows failed"):
        import_file(write_csv(FAMILY), user=operator)
    assert saved() == (0, 0, 0, 0, 0, 0)
    assert ImportJob.objects.get().status == "gagal"


def test_rows_pointing_at_a_missing_reference_row_are_refused(city):
    sink = bulk.open_sink()
    category = Category.objects.first()
    with pytest.raises(RuntimeError, match="missing regions_region rows: \\[987654\\]"):
        sink.lock_references({Region: {city.pk, 987654}, Category: {category.pk}})
    sink.lock_references({Region: {city.pk}, Category: {category.pk}})  # all there: no complaint


def test_dry_run_counts_but_saves_nothing(city, operator, write_csv):
    job = import_file(write_csv(FAMILY), user=operator, dry_run=True)
    assert job.status == "selesai" and job.created_count == 3 and "Uji coba" in job.message
    assert saved() == (0, 0, 0, 0, 0, 0)


def test_aliases_semicolons_and_indonesian_dates_are_understood(city, operator, write_csv):
    header = ["No. NIK", "Nomor KK", "Nama", "JK", "Tgl Lahir", "Kelurahan", "RT", "RW", "Alamat", "SHDK", "Kode PPKS"]
    row = person_row(7, sex="P", born="1948-11-09", category="08")
    row[3], row[4], row[5], row[9] = "Perempuan", "09/11/1948", "Sukarasa", "1"
    row[2] = "Hj. Siti  Aminah"
    job = import_file(write_csv([row], header=header, delimiter=";"), user=operator)
    assert job.status == "selesai", job.message
    person = Person.objects.get()
    assert (person.name, person.name_normalized, person.sex, person.birth_date) == (
        "Hj. Siti Aminah",
        "siti aminah",
        "P",
        date(1948, 11, 9),
    )
    assert HouseholdMember.objects.get().relationship == "kepala"


def test_xlsx_is_read_with_calamine(city, operator, tmp_path):
    path = tmp_path / "data.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for index, row in enumerate(FAMILY, start=1):
        sheet.write_row(index, 0, row)
    sheet.write_datetime(1, 4, date(1950, 3, 4), book.add_format({"num_format": "dd-mm-yyyy"}))  # a real date cell
    book.close()
    job = import_file(path, user=operator)
    assert (job.status, job.created_count) == ("selesai", 3), job.message


def test_template_downloads_have_the_indonesian_headers_and_import_cleanly(city, operator, tmp_path):
    text = template_csv().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:4] == ["NIK", "No KK", "Nama Lengkap", "Jenis Kelamin"] and "Kategori PPKS" in header
    (tmp_path / "templat.csv").write_text(text, encoding="utf-8")
    assert import_file(tmp_path / "templat.csv", user=operator).status == "selesai"
    (tmp_path / "templat.xlsx").write_bytes(template_xlsx())
    rows = list(readers.iter_rows(tmp_path / "templat.xlsx", "xlsx"))
    assert rows[0] == header and rows[1][0] == "3671014501800001"


def test_cli_exit_status_and_error_file_next_to_the_input(city, operator, write_csv, capsys):
    good = write_csv(FAMILY, name="baik.csv")
    call_command("import_registry", str(good), "--user", operator.username)
    assert "baru: 3" in capsys.readouterr().out
    bad = person_row(8)
    bad[0] = "abc"
    path = write_csv([bad], name="buruk.csv")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_registry", str(path), "--mode", "valid-rows")
    assert exit_info.value.code == 1
    assert "NIK harus 16 digit angka." in (path.parent / "buruk.csv.errors.csv").read_text(encoding="utf-8-sig")


def test_import_start_saves_the_upload_and_runs_the_task(city, operator, write_csv, django_capture_on_commit_callbacks):
    content = write_csv(FAMILY).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        job = import_start(actor=operator, uploaded_file=SimpleUploadedFile("usulan.csv", content), mode=VALID)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.user, job.file_name) == ("selesai", 3, operator, "usulan.csv")
    assert job.file and job.done_rows == job.total_rows == 3


@pytest.mark.skipif(not settings.REDIS_URL, reason="the Redis run of CI (REDIS_URL set) only")
def test_with_redis_url_the_import_runs_through_the_rq_queue(
    city, operator, write_csv, django_capture_on_commit_callbacks
):
    import django_rq

    queue = django_rq.get_queue("default")
    before = set(queue.finished_job_registry.get_job_ids())
    content = write_csv(FAMILY).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        job = import_start(actor=operator, uploaded_file=SimpleUploadedFile("antre.csv", content), mode=VALID)
    job.refresh_from_db()
    finished = set(queue.finished_job_registry.get_job_ids()) - before
    # the import itself, then the duplicate scan it queues for the new rows
    assert job.status == "selesai"
    assert sorted(queue.fetch_job(i).func_name.rsplit(".", 1)[-1] for i in finished) == [
        "run_import",
        "scan_after_import_task",
    ]


def test_big_files_are_validated_in_a_forked_process_with_the_same_result(city, operator, write_csv, monkeypatch):
    monkeypatch.setattr("pilar.registry.importer.stream.PARALLEL_FROM", 1)
    monkeypatch.setattr("pilar.registry.importer.stream.BATCH", 2)
    bad = person_row(9)
    bad[5] = "99.99.99.9999"
    job = import_file(write_csv([*FAMILY, bad]), user=operator, mode=VALID)
    assert (job.status, job.created_count, job.error_count, job.total_rows) == ("selesai", 3, 1, 4)
    assert problems(job)[0]["Pesan"].startswith("Kelurahan tidak dikenal atau di luar kota ini")


def test_persons_without_nik_are_matched_by_name_birth_date_and_kelurahan(city, operator, write_csv):
    row = person_row(10, category="PPKS-11", kk="", relationship="")
    row[0] = ""
    path = write_csv([row])
    assert import_file(path, user=operator).created_count == 1
    again = import_file(path, user=operator)
    assert (again.created_count, again.unchanged_count, Person.objects.count()) == (0, 1, 1)
    assert Person.objects.get().nik is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_large_import_refreshes_the_planner_statistics(tmp_path, monkeypatch, city):
    from pilar.registry.importer import run as import_run
    from pilar.registry.synth import city_villages, write_csv

    monkeypatch.setattr(import_run, "ANALYZE_AFTER_ROWS", 10)
    path = tmp_path / "rows.csv"
    write_csv(path, persons=50, dup_rate=0.0, seed=3, villages=city_villages())
    job = import_file(path, mode="valid-rows")
    assert job.created_count >= 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'registry_ppksrecord'")
        assert cursor.fetchone()[0] is not None


@pytest.mark.django_db(transaction=True)
def test_the_big_import_path_suspends_and_restores_keys_and_indexes(tmp_path, monkeypatch, city):
    """Imports past the size threshold take the bulk path (keys/indexes suspended in the transaction)."""
    from pilar.registry.importer import writer as import_writer
    from pilar.registry.synth import city_villages, write_csv

    monkeypatch.setattr(import_writer, "BIG_IMPORT", 10)
    path = tmp_path / "rows.csv"
    write_csv(path, persons=60, dup_rate=0.0, seed=5, villages=city_villages())
    indexes_before = _index_count()
    job = import_file(path, mode="valid-rows")
    assert job.status == ImportJob.Status.DONE and job.created_count >= 50
    assert _index_count() == indexes_before
    # Every record still points at a real person (the keys were checked when restored).
    assert not PpksRecord.objects.filter(person__isnull=False, person__name="").exists()
    assert import_file(path, mode="valid-rows").created_count == 0  # and the re-import still finds them


def _index_count() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(*) FROM pg_indexes WHERE tablename LIKE 'registry_%' OR tablename LIKE 'identity_%'"
            )
        else:
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'")
        return cursor.fetchone()[0]


def test_a_big_import_leaves_every_name_searchable_and_the_search_index_kept_in_step_after(
    city, operator, write_csv, monkeypatch
):
    from pilar.identity.search import name_q
    from pilar.registry.importer import writer
    from tests.factories import PersonFactory

    earlier = PersonFactory(name="Sulastri Lama")
    # The big-import path: plain indexes dropped and rebuilt; on SQLite the trigger filling the name search index
    # too, whose work is done for the imported rows in one statement at the end.
    monkeypatch.setattr(writer, "BIG_IMPORT", 1)
    job = import_file(write_csv(FAMILY), user=operator, mode=AON)
    assert job.created_count == 3, job.message

    def found(text: str) -> list[str]:
        return sorted(Person.objects.filter(name_q(text)).values_list("name", flat=True))

    assert found("warga nomor") == ["Warga Nomor 1", "Warga Nomor 2", "Warga Nomor 3"]
    assert found("sulastri") == ["Sulastri Lama"]
    later = PersonFactory(name="Sulastri Baru")  # a person added after the import is indexed as before
    assert found("sulastri") == ["Sulastri Baru", "Sulastri Lama"] and later.pk > earlier.pk
    if connection.vendor == "sqlite":  # the index holds each person once: the import's rows were not indexed twice
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM identity_person_search WHERE name_normalized LIKE '%warga%'")
            assert cursor.fetchone()[0] == 3
