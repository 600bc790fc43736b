"""Splink (DuckDB backend) on the persons ``bench/dedup.py`` wrote: time, precision, recall.

Runs in its own virtualenv (``/tmp/splink-venv``: ``python -m venv /tmp/splink-venv &&
/tmp/splink-venv/bin/pip install splink``), because Splink is no dependency of Pilar.
Input: a CSV with unique_id, nik, kk, name, sex, birth_date, area; output: the pairs it predicts
(``unique_id_l,unique_id_r``) in the second path. Prints one line: its time. The model is Splink's
usual untuned set-up on the same columns Pilar's engine reads (NIK and KK too).
"""

import sys
import time

import duckdb
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

try:
    from splink import DuckDBAPI
except ImportError:  # Splink 5 moved the backends
    from splink.backends.duckdb import DuckDBAPI

THRESHOLD = 0.9


def main(path: str, out: str) -> None:
    started = time.perf_counter()
    con = duckdb.connect()
    # Splink compares raw columns: give it the same normalised name the Pilar engine starts from.
    con.execute(f"""
        create table persons as select unique_id, nullif(nik, '') as nik, nullif(kk, '') as kk,
            trim(regexp_replace(lower(regexp_replace(name, '^(h|hj|haji)\\.?\\s+', '', 'i')), '[^a-z ]', '', 'g'))
                as name,
            sex, nullif(birth_date, '') as birth_date, area
        from read_csv_auto('{path}', all_varchar=true)
    """)  # noqa: S608
    db_api = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88]),
            cl.ExactMatch("sex"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("area"),
            cl.LevenshteinAtThresholds("nik", [1, 2]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("birth_date", "substr(name, 1, 1)"),
            block_on("area", "name"),
            block_on("substr(nik, 1, 12)"),
            block_on("kk", "substr(name, 1, 1)"),
        ],
    )
    try:  # Splink 5: tables are registered with the backend first
        linker = Linker(db_api.register("persons"), settings)
    except AttributeError:  # Splink 4
        linker = Linker("persons", settings, db_api=db_api)
    linker.training.estimate_probability_two_random_records_match([block_on("birth_date", "name")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    pairs = linker.inference.predict(threshold_match_probability=THRESHOLD).as_duckdbpyrelation()
    con.register("pairs", pairs)
    con.execute(f"copy (select unique_id_l, unique_id_r from pairs) to '{out}' (header false)")
    print(f"{time.perf_counter() - started:.1f} s (threshold p>={THRESHOLD})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
