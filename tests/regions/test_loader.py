import csv
import gzip
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pilar.core.errors import DomainError
from pilar.regions.loader import DATA, iter_kabkota, load_region
from pilar.regions.models import Region

KELURAHAN_PER_KECAMATAN = {
    "Tangerang": 8, "Jatiuwung": 6, "Batuceper": 7, "Benda": 5, "Cipondoh": 10, "Ciledug": 8, "Karawaci": 16,
    "Periuk": 5, "Cibodas": 6, "Neglasari": 7, "Pinang": 11, "Karang Tengah": 7, "Larangan": 8,
}  # fmt: skip


@pytest.mark.django_db
def test_kota_tangerang_loads_13_kecamatan_and_104_kelurahan_with_parents():
    result = load_region("36.71")
    assert (result.kecamatan, result.kelurahan, result.desa) == (13, 104, 0)
    sukarasa = Region.objects.select_related("parent__parent").get(code="36.71.01.1001")
    assert (sukarasa.name, sukarasa.parent.name, sukarasa.parent.parent.name) == (
        "Sukarasa",
        "Tangerang",
        "Kota Tangerang",
    )
    counts = {k.name: k.children.count() for k in Region.objects.kecamatan().within("36.71")}
    assert counts == KELURAHAN_PER_KECAMATAN


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load_region("36.71")
    before = Region.objects.count()
    again = load_region("3671")
    assert (again.created, again.updated) == (0, 0)
    assert Region.objects.count() == before


@pytest.mark.django_db
def test_a_renamed_region_is_updated():
    load_region("36.71")
    Region.objects.filter(code="36.71.01.1001").update(name="Nama Lama")
    assert load_region("36.71").updated == 1
    assert Region.objects.get(code="36.71.01.1001").name == "Sukarasa"


@pytest.mark.django_db
def test_a_kabupaten_with_desa_loads_beside_the_kota():
    load_region("36.71")
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kode"].startswith("36.03.")]
    result = load_region("36.03")
    assert result.kecamatan == sum(r["tingkat"] == "kecamatan" for r in rows)
    assert result.desa == sum(r["tingkat"] == "desa" for r in rows) > 0
    assert Region.objects.villages().within("36.71").count() == 104


@pytest.mark.django_db
def test_an_unknown_or_non_kabkota_code_is_refused_in_indonesian():
    with pytest.raises(DomainError, match="36.99 tidak ditemukan"):
        load_region("36.99")
    with pytest.raises(DomainError):
        load_region("36.71.01")
    assert not Region.objects.exists()


def test_the_data_covers_all_514_kabupaten_and_kota():
    assert len(iter_kabkota()) == 514


@pytest.mark.django_db
def test_the_command_prints_a_summary_and_fails_clearly():
    out = StringIO()
    call_command("load_regions", region="36.71", stdout=out)
    assert (
        "Kota Tangerang (36.71): 13 kecamatan, 104 kelurahan, 0 desa dimuat (119 dibuat, 0 diubah)." in out.getvalue()
    )
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("load_regions", region="99.99", stdout=StringIO())
