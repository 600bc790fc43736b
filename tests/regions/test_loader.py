"""Loading Kemendagri regions from the shipped data, and the selectors over them."""

import csv
import gzip
from collections import Counter

import pytest

from pilar.core.errors import DomainError
from pilar.regions.loader import DATA, load_region
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan, city_villages, kecamatan_of

# From the data README, which checks them against the source and ANTARA Banten.
KELURAHAN_PER_KECAMATAN = {
    "Tangerang": 8,
    "Jatiuwung": 6,
    "Batuceper": 7,
    "Benda": 5,
    "Cipondoh": 10,
    "Ciledug": 8,
    "Karawaci": 16,
    "Periuk": 5,
    "Cibodas": 6,
    "Neglasari": 7,
    "Pinang": 11,
    "Karang Tengah": 7,
    "Larangan": 8,
}


def csv_levels_under(code: str) -> Counter[str]:
    """Level counts under ``code`` straight from the CSV, independently of the loader."""
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as fh:
        return Counter(row["tingkat"] for row in csv.DictReader(fh) if row["kode"].startswith(code + "."))


def snapshot(code: str) -> list[tuple[int, str, str, str, int | None]]:
    return list(Region.objects.within(code).values_list("pk", "code", "name", "level", "parent_id"))


@pytest.fixture
def tangerang_configured(settings):
    settings.PILAR_REGION = "36.71"


@pytest.mark.django_db
def test_the_default_load_is_the_configured_city_with_13_kecamatan_and_104_kelurahan(tangerang_configured):
    result = load_region()

    assert (result.code, result.name) == ("36.71", "Kota Tangerang")
    assert (result.kecamatan, result.kelurahan, result.desa) == (13, 104, 0)
    assert (result.created, result.updated, result.unchanged) == (119, 0, 0)  # + the kota and Banten
    assert Region.objects.kecamatan().within("36.71").count() == 13
    assert Region.objects.villages().within("36.71").count() == 104


@pytest.mark.django_db
def test_each_kelurahan_hangs_under_its_kecamatan_under_the_kota_under_the_province():
    load_region("36.71")

    sukarasa = Region.objects.select_related("parent__parent__parent").get(code="36.71.01.1001")
    kecamatan, kota, provinsi = sukarasa.parent, sukarasa.parent.parent, sukarasa.parent.parent.parent
    assert (sukarasa.name, sukarasa.level) == ("Sukarasa", Region.Level.KELURAHAN)
    assert (kecamatan.code, kecamatan.name, kecamatan.level) == ("36.71.01", "Tangerang", Region.Level.KECAMATAN)
    assert (kota.code, kota.name, kota.level) == ("36.71", "Kota Tangerang", Region.Level.KOTA)
    assert (provinsi.code, provinsi.name, provinsi.level, provinsi.parent) == ("36", "Banten", "provinsi", None)
    # Every parent link follows the code, not only Sukarasa's.
    for region in Region.objects.within("36.71").select_related("parent"):
        assert region.parent.code == region.code.rsplit(".", 1)[0]


@pytest.mark.django_db
def test_each_kecamatan_has_as_many_kelurahan_as_the_readme_says():
    load_region("36.71")

    counts = {k.name: k.children.villages().count() for k in Region.objects.kecamatan().within("36.71")}
    assert counts == KELURAHAN_PER_KECAMATAN


@pytest.mark.django_db
def test_loading_twice_creates_and_updates_nothing():
    load_region("36.71")
    before = snapshot("36")

    again = load_region("3671")  # the undotted spelling means the same kota

    assert (again.created, again.updated, again.unchanged) == (0, 0, 119)
    assert snapshot("36") == before


@pytest.mark.django_db
def test_a_renamed_region_gets_the_name_from_the_data_back():
    load_region("36.71")
    Region.objects.filter(code="36.71.01.1001").update(name="Nama Lama")

    result = load_region("36.71")

    assert (result.created, result.updated, result.unchanged) == (0, 1, 118)
    assert Region.objects.get(code="36.71.01.1001").name == "Sukarasa"


@pytest.mark.django_db
def test_a_kabupaten_loads_its_kecamatan_and_desa():
    expected = csv_levels_under("36.03")
    assert expected["desa"] > 0  # Kabupaten Tangerang has desa as well as kelurahan

    result = load_region("36.03")

    assert result.name == "Kabupaten Tangerang"
    assert (result.kecamatan, result.kelurahan, result.desa) == (
        expected["kecamatan"],
        expected["kelurahan"],
        expected["desa"],
    )
    assert Region.objects.get(code="36.03").level == Region.Level.KABUPATEN
    assert Region.objects.within("36.03").filter(level="desa").count() == expected["desa"]
    assert Region.objects.within("36.03").count() == 1 + sum(expected.values())


@pytest.mark.django_db
def test_a_second_kota_loads_beside_the_first_without_touching_it():
    load_region("36.71")
    first = snapshot("36.71")

    second = load_region("36.74")  # Kota Tangerang Selatan, same province

    assert second.name == "Kota Tangerang Selatan"
    assert second.unchanged == 1  # Banten, shared with the first kota
    assert second.created == 1 + second.kecamatan + second.kelurahan + second.desa
    assert snapshot("36.71") == first
    assert Region.objects.filter(level=Region.Level.PROVINSI).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["36.99", "99.71", "36.71.01", "36", "Tangerang", ""])
def test_a_code_that_is_not_a_known_kabupaten_or_kota_is_refused_in_indonesian(code):
    with pytest.raises(DomainError) as refused:
        load_region(code)

    assert refused.value.message == f"Kode kabupaten/kota {code} tidak ditemukan dalam data Kemendagri."
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_the_largest_kabupaten_loads_in_bulk_not_a_query_per_row(django_assert_max_num_queries):
    # Speed without a clock (a timed test fails on a busy machine): 880 rows in a handful of bulk queries.
    with django_assert_max_num_queries(20):
        result = load_region("11.08")  # Kabupaten Aceh Utara: 880 rows, the most of any kabupaten/kota

    assert result.kecamatan + result.kelurahan + result.desa == 879


@pytest.mark.django_db
def test_city_lists_hold_only_the_configured_citys_kecamatan_and_kelurahan(tangerang_configured):
    load_region("36.71")
    load_region("36.74")

    kecamatan, villages = list(city_kecamatan()), list(city_villages())

    assert [k.code for k in kecamatan] == sorted(f"36.71.{n:02d}" for n in range(1, 14))
    assert len(villages) == 104
    assert [v.code for v in villages] == sorted(v.code for v in villages)
    assert all(v.code.startswith("36.71.") for v in villages)


@pytest.mark.django_db
def test_kecamatan_of_walks_up_from_a_kelurahan_and_stops_above_kecamatan():
    load_region("36.71")
    tangerang = Region.objects.get(code="36.71.01")

    assert kecamatan_of(Region.objects.get(code="36.71.01.1001")) == tangerang
    assert kecamatan_of(tangerang) == tangerang
    assert kecamatan_of(Region.objects.get(code="36.71")) is None
    assert kecamatan_of(None) is None
