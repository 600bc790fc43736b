"""A category that does not fit the person (child category for a 70-year-old, women's category for a man,
elderly category for a 30-year-old): a form needs an explicit confirmation, an import lists the warning and
imports the row only when the user chose so. The rules are data (pilar/registry/data/category_rules.csv)."""

import csv
import io
from datetime import date

from pilar.identity.nik import make_nik
from pilar.registry.forms import PpksProposeForm
from pilar.registry.importer import import_file
from pilar.registry.models import ImportJob, PpksRecord
from pilar.registry.plausibility import rules, warnings
from tests.conftest import KEL_A
from tests.registry.makers import person_in

TODAY = date(2026, 12, 7)


def test_the_rules_come_from_the_data_file_beside_the_categories():
    assert rules()["PPKS-08"].min_age == 60 and rules()["PPKS-23"].sex == "P" and "PPKS-24" not in rules()


def test_each_kind_of_mismatch_is_named_in_indonesian():
    assert "usia 70 tahun" in warnings("PPKS-02", "Anak Telantar", sex="L", born=date(1956, 1, 1), today=TODAY)[0]
    assert (
        "untuk perempuan, tetapi orang ini laki-laki"
        in warnings("PPKS-23", "Perempuan Rawan Sosial Ekonomi", sex="L", born=date(1990, 1, 1), today=TODAY)[0]
    )
    assert (
        "usia 30 tahun" in warnings("PPKS-08", "Lanjut Usia Telantar", sex="P", born=date(1996, 5, 5), today=TODAY)[0]
    )
    assert warnings("PPKS-08", "Lanjut Usia Telantar", sex="P", born=date(1950, 5, 5), today=TODAY) == []
    assert warnings("PPKS-08", "Lanjut Usia Telantar", sex="P", born=None, today=TODAY) == []


def test_the_sex_mismatch_names_both_sexes_in_the_readers_language():
    from django.utils import translation

    with translation.override("en"):
        found = warnings("PPKS-23", "Perempuan Rawan Sosial Ekonomi", sex="L", born=None, today=TODAY)[0]
    assert "female" in found and "male" in found.replace("female", "") and "laki-laki" not in found


def test_the_proposal_form_needs_an_explicit_confirmation(operator):
    young = person_in(KEL_A, birth_date=date(1996, 5, 5), sex="L")
    data = {"category": "PPKS-08", "person": young.pk, "kelurahan": KEL_A}
    form = PpksProposeForm(data, user=operator)
    assert not form.is_valid() and "Lanjut Usia Telantar" in form.errors["confirm_plausibility"][0]
    confirmed = PpksProposeForm(data | {"confirm_plausibility": "on"}, user=operator)
    assert confirmed.is_valid() and "confirm_plausibility" not in confirmed.service_kwargs()


def _sheet(tmp_path, rows):
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Kode Kelurahan", "Kategori PPKS"])
    out.writerows(rows)
    path = tmp_path / "cek.csv"
    path.write_text(buffer.getvalue())
    return path


def _row(serial, born, sex, category):
    nik = make_nik(kecamatan_code="367101", birth_date=born, sex=sex, serial=serial)
    return [nik, f"Warga {serial}", sex, born.isoformat(), "36.71.01.1001", category]


def test_an_import_refuses_implausible_rows_unless_the_user_accepts_the_warnings(city, operator, tmp_path):
    rows = [
        _row(1, date(1950, 1, 1), "L", "Lanjut Usia Telantar"),
        _row(2, date(1996, 1, 1), "L", "Lansia"),
        _row(3, date(1990, 1, 1), "L", "PPKS-23"),
    ]
    path = _sheet(tmp_path, rows)
    refused = import_file(path, user=operator, mode=ImportJob.Mode.VALID_ROWS)
    assert (refused.created_count, refused.error_count, refused.warning_count) == (1, 2, 2)
    with refused.error_file.open("rb") as fh:
        report = list(csv.DictReader(io.StringIO(fh.read().decode("utf-8-sig"))))
    assert [r["Baris"] for r in report] == ["3", "4"] and report[0]["Kolom"] == "Kategori PPKS"
    assert report[0]["Pesan"].startswith("Peringatan: ") and "tidak diimpor" in report[0]["Pesan"]
    PpksRecord.objects.all().delete()
    accepted = import_file(path, user=operator, mode=ImportJob.Mode.ALL_OR_NOTHING, accept_warnings=True)
    assert (accepted.status, accepted.created_count, accepted.error_count, accepted.warning_count) == (
        "selesai",
        3,
        0,
        2,
    )
    assert "2 peringatan" in accepted.message and accepted.error_file  # listed in the report all the same
