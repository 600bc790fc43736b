"""Data conflicts: a known NIK with another name/sex/birth date, or a person whose household has another KK,
is held for review with the file and row, never silently attached nor refused; resolving it is audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError
from pilar.identity.models import Person
from pilar.registry.import_models import ImportConflict
from pilar.registry.importer import import_file
from pilar.registry.importer.conflicts import conflict_resolve_different, conflict_resolve_same
from pilar.registry.models import Category, Household, HouseholdKk, HouseholdMember, ImportJob, PpksRecord
from tests.registry.test_import import FAMILY, HEADER, KK, person_row

AON, VALID = ImportJob.Mode.ALL_OR_NOTHING, ImportJob.Mode.VALID_ROWS
OTHER_KK = "3671011203150099"


def _write(path, rows):
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        out.writerows(rows)
    return path


def renamed(row: list[str], name: str, **changes: str) -> list[str]:
    row = list(row)
    row[2] = name
    if "kk" in changes:
        row[1] = changes["kk"]
    if "category" in changes:
        row[10] = changes["category"]
    return row


@pytest.fixture
def registered(city, operator, tmp_path):
    job = import_file(_write(tmp_path / "awal.csv", FAMILY), user=operator, mode=AON)
    assert job.status == "selesai" and job.conflict_count == 0
    return job


def test_a_known_nik_with_another_name_is_held_as_a_conflict_not_attached(registered, operator, tmp_path):
    rows = [renamed(FAMILY[0], "Bukan Warga Satu", category="PPKS-11"), person_row(7, category="PPKS-11")]
    job = import_file(_write(tmp_path / "kedua.csv", rows), user=operator, mode=AON)
    assert (job.status, job.created_count, job.conflict_count) == ("selesai", 1, 1), job.message
    assert "konflik" in job.message
    conflict = ImportConflict.objects.get(job=job)
    stored = Person.objects.get(nik=FAMILY[0][0])
    assert (conflict.row, conflict.kind, conflict.person_id) == (2, "nik", stored.pk)
    assert conflict.fields == [{"field": "name", "label": "Nama", "row": "Bukan Warga Satu", "stored": "Warga Nomor 1"}]
    assert not PpksRecord.objects.filter(person=stored, category__code="PPKS-11").exists()  # nothing attached
    assert stored.name == "Warga Nomor 1"


def test_a_repeated_nik_within_one_file_with_another_name_is_a_conflict_too(city, operator, tmp_path):
    rows = [person_row(1), renamed(person_row(1, category="PPKS-11"), "Orang Lain Sama NIK")]
    job = import_file(_write(tmp_path / "a.csv", rows), user=operator, mode=VALID)
    assert (job.created_count, job.conflict_count) == (1, 1)
    assert ImportConflict.objects.get().fields[0]["row"] == "Orang Lain Sama NIK"


def test_a_person_whose_household_has_another_kk_is_a_kk_conflict(registered, operator, tmp_path):
    row = list(FAMILY[1])
    row[1], row[10] = OTHER_KK, "PPKS-11"
    job = import_file(_write(tmp_path / "kk.csv", [row]), user=operator, mode=AON)
    conflict = ImportConflict.objects.get(job=job)
    assert conflict.kind == "kk" and conflict.fields == [
        {"field": "kk", "label": "No KK", "row": OTHER_KK, "stored": KK}
    ]


def test_conflicts_are_not_held_when_the_import_is_rolled_back(registered, operator, tmp_path):
    bad = person_row(8)
    bad[4] = "1950-02-31"
    rows = [renamed(FAMILY[0], "Bukan Warga Satu", category="PPKS-11"), bad]
    job = import_file(_write(tmp_path / "x.csv", rows), user=operator, mode=AON)
    assert job.status == "ditolak" and not ImportConflict.objects.exists() and job.conflict_count == 0
    dry = import_file(_write(tmp_path / "y.csv", rows[:1]), user=operator, mode=AON, dry_run=True)
    assert dry.conflict_count == 1 and not ImportConflict.objects.exists()


def test_same_person_takes_the_chosen_fields_writes_the_record_and_is_audited(registered, operator, tmp_path):
    job = import_file(
        _write(tmp_path / "b.csv", [renamed(FAMILY[0], "Warga Satu Baru", category="PPKS-11")]), user=operator, mode=AON
    )
    conflict = ImportConflict.objects.get(job=job)
    with pytest.raises(ValidationError) as refused:
        conflict_resolve_same(conflict=conflict, actor=operator, choices={})
    assert "Nama: pilih" in str(refused.value)
    conflict_resolve_same(conflict=conflict, actor=operator, choices={"name": "take"})
    conflict.refresh_from_db()
    person = Person.objects.get(nik=FAMILY[0][0])
    assert conflict.status == "orang_sama" and person.name == "Warga Satu Baru"
    assert (person.source_import, person.source_row) == (job.pk, 2)
    record = conflict.record
    assert (record.person_id, record.category.code, record.import_job_id, record.source_row) == (
        person.pk,
        "PPKS-11",
        job.pk,
        2,
    )
    assert AuditEntry.objects.filter(action="registry.import_conflict.resolved").count() == 1
    assert AuditEntry.objects.filter(action="registry.person.corrected").count() == 1
    with pytest.raises(DomainError):  # once only
        conflict_resolve_same(conflict=conflict, actor=operator, choices={"name": "keep"})


def test_same_person_taking_the_kk_moves_them_to_that_household(registered, operator, tmp_path):
    other = person_row(30, kk=OTHER_KK)
    import_file(_write(tmp_path / "lain.csv", [other]), user=operator, mode=AON)
    row = list(FAMILY[2])
    row[1], row[10] = OTHER_KK, "PPKS-11"
    job = import_file(_write(tmp_path / "pindah.csv", [row]), user=operator, mode=AON)
    conflict = ImportConflict.objects.get(job=job)
    conflict_resolve_same(conflict=conflict, actor=operator, choices={"kk": "take"})
    member = HouseholdMember.objects.get(person=conflict.person, until__isnull=True)
    assert member.household.kk_number == OTHER_KK


def test_different_person_becomes_a_person_without_nik_flagged_for_dukcapil(registered, operator, tmp_path):
    job = import_file(
        _write(tmp_path / "c.csv", [renamed(FAMILY[0], "Orang Berbeda", category="PPKS-11")]), user=operator, mode=AON
    )
    conflict = conflict_resolve_different(conflict=ImportConflict.objects.get(job=job), actor=operator)
    new = conflict.new_person
    assert (new.nik, new.name, new.dukcapil_status, new.birth_date) == (
        None,
        "Orang Berbeda",
        "tidak_padan",
        date(1950, 3, 4),
    )
    assert (new.source_import, new.source_row) == (job.pk, 2)
    assert conflict.record.person_id == new.pk and conflict.status == "orang_lain"
    assert Person.objects.get(nik=FAMILY[0][0]).name == "Warga Nomor 1"  # the stored person is untouched
    member = HouseholdMember.objects.get(person=new)  # in the row's KK; its head stays the stored one
    assert (member.household.kk_number, member.relationship, member.household.head.nik) == (KK, "lainnya", FAMILY[0][0])


@pytest.fixture
def held(registered, operator, tmp_path):
    rows = [
        renamed(FAMILY[0], "Warga Satu Baru", category="PPKS-11"),
        renamed(FAMILY[1], "Orang Lain Betul", category="PPKS-11"),
        person_row(9, category="PPKS-11", relationship="Anak"),
    ]
    job = import_file(_write(tmp_path / "held.csv", rows), user=operator, mode=AON)
    assert job.conflict_count == 2
    return job


def test_the_api_lists_conflicts_and_resolves_them(held, operator, api_as, psm_a):
    api = api_as(operator)
    job = api.get(f"/api/v1/imports/{held.pk}").json()
    assert (job["conflict_count"], job["header_row"], job["skipped_rows"], job["warning_count"]) == (2, 1, 0, 0)
    listed = api.get(f"/api/v1/imports/{held.pk}/conflicts/").json()
    assert listed["count"] == 2
    first, second = listed["results"]
    assert (first["row"], first["person"]) == (2, Person.objects.get(nik=FAMILY[0][0]).pk)
    assert first["fields"][0] == {"field": "name", "label": "Nama", "row": "Warga Satu Baru", "stored": "Warga Nomor 1"}
    base = f"/api/v1/imports/{held.pk}/conflicts"
    missing = api.post(f"{base}/{first['id']}/same-person", {"choices": {}}, content_type="application/json")
    assert missing.status_code == 400 and "Nama" in missing.json()["errors"]["name"][0]
    same = api.post(f"{base}/{first['id']}/same-person", {"choices": {"name": "keep"}}, content_type="application/json")
    assert same.status_code == 200 and same.json()["status"] == "orang_sama" and same.json()["record"]
    other = api.post(f"{base}/{second['id']}/different-person")
    assert other.status_code == 200 and other.json()["new_person"]
    again = api.post(f"{base}/{second['id']}/different-person")
    resolved = "Konflik ini sudah diselesaikan."
    assert (again.status_code, again.json()) == (409, {"detail": resolved, "errors": {"__all__": [resolved]}})
    assert api.post(f"/api/v1/imports/{held.pk + 1000}/conflicts/{second['id']}/different-person").status_code == 404
    assert api_as(psm_a).get(f"{base}/").status_code in (403, 404)
    assert api.get(f"/api/v1/imports/{held.pk}/conflicts/?status=terbuka").json()["count"] == 0
    records = api.get(f"/api/v1/ppks/?import={held.pk}").json()
    assert records["count"] == 3  # the clean row, and the two resolved ones
    assert {(r["source_row"], r["person"] is not None) for r in records["results"]} == {(2, True), (3, True), (4, True)}


def test_the_conflict_page_shows_row_beside_stored_and_resolves(held, operator, client):
    from django.urls import reverse

    client.force_login(operator)
    page = client.get(reverse("registry:import_conflicts", args=[held.pk])).content.decode()
    assert "Baris 2" in page and "Warga Satu Baru" in page and "Warga Nomor 1" in page
    first, second = ImportConflict.objects.filter(job=held)
    assert f'formaction="{reverse("registry:conflict_different", args=[first.pk])}"' in page
    url = reverse("registry:conflict_same", args=[first.pk])
    refused = client.post(url, {})
    assert refused.status_code == 400 and "Baris 2: Nama: pilih" in refused.content.decode()
    done = client.post(url, {"choice_name": "take"})
    assert done.url == reverse("registry:import_conflicts", args=[held.pk])
    client.post(reverse("registry:conflict_different", args=[second.pk]))
    assert set(ImportConflict.objects.values_list("status", flat=True)) == {"orang_sama", "orang_lain"}
    again = client.post(reverse("registry:conflict_different", args=[second.pk]))
    assert again.status_code == 409 and "Konflik ini sudah diselesaikan." in again.content.decode()
    person = Person.objects.get(nik=FAMILY[0][0])
    shown = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "Asal data" in shown and f"impor #{held.pk}" in shown and "baris 2 di lembar kerja" in shown
    quality = client.get(reverse("registry_quality:page")).content.decode()
    assert "Konflik data impor belum diselesaikan" in quality


def test_the_quality_page_counts_open_conflicts(held, operator, client):
    from django.urls import reverse

    client.force_login(operator)
    assert client.get(reverse("registry_quality:page")).context["open_conflicts"] == 2


# --- rows of one KK inside one file ------------------------------------------------------------------


def _report(job: ImportJob) -> list[dict[str, str]]:
    from tests.registry.test_import import problems

    return problems(job)


def test_one_person_under_two_kks_in_one_file_is_held_as_a_kk_conflict(city, operator, tmp_path):
    child = person_row(3, sex="P", born="2010-12-01", category="PPKS-24", relationship="Anak")
    again = person_row(3, sex="P", born="2010-12-01", category="PPKS-11", relationship="Kepala Keluarga", kk=OTHER_KK)
    job = import_file(_write(tmp_path / "dua-kk.csv", [FAMILY[0], child, again]), user=operator, mode=AON)
    assert (job.status, job.created_count, job.conflict_count) == ("selesai", 2, 1), job.message
    conflict = ImportConflict.objects.get(job=job)
    assert (conflict.row, conflict.kind) == (4, "kk")
    assert conflict.fields == [{"field": "kk", "label": "No KK", "row": OTHER_KK, "stored": KK}]
    assert not PpksRecord.objects.filter(category__code="PPKS-11").exists()  # the held row wrote nothing


def test_taking_a_kk_the_registry_does_not_know_registers_it_from_the_row(city, operator, tmp_path):
    child = person_row(3, sex="P", born="2010-12-01", category="PPKS-24", relationship="Anak")
    again = person_row(3, sex="P", born="2010-12-01", category="PPKS-11", relationship="Kepala Keluarga", kk=OTHER_KK)
    again[6], again[7], again[8] = "4", "5", "Gg. Melati No. 9"
    job = import_file(_write(tmp_path / "baru.csv", [FAMILY[0], child, again]), user=operator, mode=AON)
    conflict = conflict_resolve_same(
        conflict=ImportConflict.objects.get(job=job), actor=operator, choices={"kk": "take"}
    )
    household = Household.objects.get(kk_number=OTHER_KK)
    person = conflict.person
    assert (household.head_id, household.address, household.rt, household.rw, household.kelurahan.code) == (
        person.pk,
        "Gg. Melati No. 9",
        "004",
        "005",
        "36.71.01.1001",
    )
    assert list(HouseholdKk.objects.filter(household=household).values_list("kk_number", flat=True)) == [OTHER_KK]
    member = HouseholdMember.objects.get(person=person, until__isnull=True)
    assert (member.household_id, member.relationship) == (household.pk, "kepala")
    assert HouseholdMember.objects.get(person=person, until__isnull=False).household.kk_number == KK
    assert conflict.record.category.code == "PPKS-11"
    assert AuditEntry.objects.filter(action="registry.household.created", object_id=str(household.pk)).exists()


def test_a_second_head_of_one_kk_joins_with_an_unknown_relationship_and_is_reported(city, operator, tmp_path):
    second = person_row(4, sex="L", born="1960-01-02", category="PPKS-08", relationship="Kepala Keluarga")
    job = import_file(_write(tmp_path / "dua-kepala.csv", [FAMILY[0], second]), user=operator, mode=AON)
    assert (job.status, job.created_count, job.warning_count, job.error_count) == ("selesai", 2, 1, 0), job.message
    household = Household.objects.get(kk_number=KK)
    assert household.head.nik == FAMILY[0][0]
    relationships = dict(HouseholdMember.objects.values_list("person__nik", "relationship"))
    assert relationships == {FAMILY[0][0]: "kepala", second[0]: ""}
    (line,) = _report(job)
    assert (line["Baris"], line["Kolom"], line["Nama"], line["Nilai"]) == ("3", "No KK", "Warga Nomor 4", KK)
    assert "sudah punya kepala keluarga (baris 2)" in line["Pesan"] and "belum diketahui" in line["Pesan"]


def test_a_second_head_of_a_registered_kk_is_reported_against_the_registry(registered, operator, tmp_path):
    second = person_row(4, sex="L", born="1960-01-02", category="PPKS-08", relationship="Kepala Keluarga")
    job = import_file(_write(tmp_path / "kepala-lagi.csv", [second]), user=operator, mode=AON)
    assert (job.created_count, job.warning_count) == (1, 1)
    assert HouseholdMember.objects.get(person__nik=second[0]).relationship == ""
    assert "data tercatat di registri" in _report(job)[0]["Pesan"]


def test_a_member_in_another_kelurahan_than_the_kk_is_imported_and_reported(city, operator, tmp_path):
    wife = list(FAMILY[1])
    wife[5] = "36.71.01.1002"
    job = import_file(_write(tmp_path / "kelurahan.csv", [FAMILY[0], wife]), user=operator, mode=AON)
    assert (job.created_count, job.warning_count) == (2, 1)
    assert HouseholdMember.objects.filter(household__kk_number=KK).count() == 2
    (line,) = _report(job)
    assert line["Baris"] == "3" and "kelurahan lain (baris 2)" in line["Pesan"] and "Sukaasih" in line["Pesan"]


def test_the_conflict_page_writes_birth_dates_as_the_office_reads_them(city, operator, client, tmp_path):
    from django.urls import reverse

    from pilar.regions.models import Region

    village = Region.objects.get(code="36.71.01.1001")
    Person.objects.create(nik=FAMILY[0][0], name="Warga Nomor 1", sex="L", birth_date=date(1950, 4, 3), village=village)
    job = import_file(_write(tmp_path / "tgl.csv", [FAMILY[0]]), user=operator, mode=AON)
    assert ImportConflict.objects.get(job=job).fields[0]["field"] == "birth_date"
    client.force_login(operator)
    page = client.get(reverse("registry:import_conflicts", args=[job.pk])).content.decode()
    assert "<td>4 Maret 1950</td><td>3 April 1950</td>" in page


def test_thousands_of_held_rows_are_all_stored_batch_by_batch_with_row_person_and_fields(
    city, operator, tmp_path, monkeypatch
):
    from django.db import connection

    from pilar.registry.importer import bulk, stream

    count = 2400
    serials = range(1, count + 1)
    first = [person_row(s, kk=f"367101120315{s:04d}") for s in serials]
    assert import_file(_write(tmp_path / "awal.csv", first), user=operator, mode=AON).created_count == count
    # Every third row moves its person to another KK (a KK conflict), the others rename the person (a NIK one).
    again = [
        renamed(row, row[2], kk=f"367101120316{s:04d}", category="PPKS-11")
        if s % 3 == 0
        else renamed(row, f"Nama Lain {s}", category="PPKS-11")
        for s, row in zip(serials, first, strict=True)
    ]
    monkeypatch.setattr(stream, "BATCH", 500)  # held rows of many batches, each batch's stored with the next
    sink = bulk.PostgresSink if connection.vendor == "postgresql" else bulk.SqliteSink
    written: list[int] = []
    real_insert = sink.insert

    def counting(self, table, columns, rows):
        if table == ImportConflict._meta.db_table:
            written.append(len(rows))
        return real_insert(self, table, columns, rows)

    monkeypatch.setattr(sink, "insert", counting)
    job = import_file(_write(tmp_path / "lagi.csv", again), user=operator, mode=AON)
    assert (job.status, job.created_count, job.conflict_count) == ("selesai", 0, count), job.message
    assert sum(written) == count and max(written) <= 500  # never all of them in memory at once
    persons = dict(Person.objects.values_list("nik", "pk"))
    expected = set()
    for s, row in zip(serials, again, strict=True):
        if s % 3 == 0:
            fields = (("kk", row[1], f"367101120315{s:04d}"),)
            kind = "kk"
        else:
            fields = (("name", row[2], f"Warga Nomor {s}"),)
            kind = "nik"
        expected.add((s + 1, persons[row[0]], kind, fields))
    stored = {
        (c.row, c.person_id, c.kind, tuple((f["field"], f["row"], f["stored"]) for f in c.fields))
        for c in ImportConflict.objects.filter(job=job)
    }
    assert stored == expected
    held = ImportConflict.objects.get(job=job, row=3)
    eleven = Category.objects.get(code="PPKS-11").pk
    assert (held.status, held.values["name"], held.values["category_id"]) == ("terbuka", "Nama Lain 2", eleven)
