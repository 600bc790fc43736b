"""The synthetic registry generator: deterministic, valid identifiers, labelled duplicates, importable."""

import csv
from collections import Counter
from datetime import date

from pilar.identity.kk import validate_kk
from pilar.identity.nik import check_nik_consistency
from pilar.registry.importer import import_file
from pilar.registry.models import ImportJob
from pilar.registry.synth import HEADERS, Generator, city_villages, write_csv


def generate(count: int, seed: int = 3, dup_rate: float = 0.1) -> list[list[str]]:
    return list(Generator(city_villages(), seed=seed, dup_rate=dup_rate).rows(count))


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows(city):
    assert generate(500) == generate(500)
    assert generate(500) != generate(500, seed=4)


def test_niks_are_valid_unique_and_match_birth_date_and_sex(city):
    rows = generate(3000)
    niks = [row[0] for row in rows if row[0]]
    assert len(niks) == len(set(niks)) and len(niks) > 2800
    for row in rows:
        if row[0]:
            assert check_nik_consistency(row[0], birth_date=date.fromisoformat(row[5]), sex=row[3]) == []
            assert row[0][:6] == row[6].replace(".", "")[:6]  # the kecamatan of the person's kelurahan


def test_households_have_valid_unique_kk_numbers_and_one_head(city):
    rows = generate(3000, dup_rate=0)
    by_kk: dict[str, list[list[str]]] = {}
    for row in rows:
        by_kk.setdefault(row[1], []).append(row)
    for kk, members in by_kk.items():
        assert validate_kk(kk) == kk
        assert [m[10] for m in members].count("kepala") <= 1
        assert len({m[6] for m in members}) == 1  # one family, one kelurahan


def test_duplicate_clusters_are_labelled_and_categories_weighted(city):
    rows = generate(5000, dup_rate=0.1)
    clusters = Counter(row[12] for row in rows)
    assert 300 < sum(1 for size in clusters.values() if size > 1) < 700
    categories = Counter(row[11] for row in rows)
    assert categories.most_common(1)[0][0] == "PPKS-24"
    assert {"PPKS-08", "PPKS-09"} <= {code for code, _n in categories.most_common(4)}


def test_command_writes_a_file_that_imports_without_errors(city, tmp_path):
    path = tmp_path / "synth.csv"
    assert write_csv(path, persons=800, dup_rate=0.05, seed=9, villages=city_villages()) == 800
    with path.open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == HEADERS
    job = import_file(path, mode=ImportJob.Mode.ALL_OR_NOTHING)
    assert (job.status, job.created_count, job.error_count) == ("selesai", 800, 0), job.message
