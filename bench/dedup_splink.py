"""Splink (DuckDB backend) on the persons ``bench/dedup.py`` wrote: time and the pairs it predicts.

Runs in its own virtualenv (``/tmp/splink-venv``: ``python -m venv /tmp/splink-venv &&
/tmp/splink-venv/bin/pip install splink``), because Splink is no dependency of Pilar.
Input: a CSV with unique_id, nik, kk, name (already cleaned of titles and degrees by Pilar's
``normalize_name``, as Splink's guide asks: clean before linking), sex, birth_date, area; output: the
pairs it predicts (``unique_id_l,unique_id_r``) in the second path. Prints one line: its time.

Set up as Splink's documentation recommends: derived columns for blocking (first and last word, birth
year), blocking rules for prediction that together cover the same errors Pilar's keys cover (birth date,
NIK parts, KK, kelurahan + name word, year + name word), its out-of-the-box comparisons with
term-frequency adjustment on the name, then the usual training: the match probability from a deterministic
rule, u from random sampling, and m by expectation maximisation in two passes, blocked on the birth date
(trains the name and the rest) and on the name (trains the birth date).
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

THRESHOLD = 0.5  # a match more likely than not: the neutral decision rule


def main(path: str, out: str) -> None:
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"""
        create table persons as select unique_id, nullif(nik, '') as nik, nullif(kk, '') as kk,
            name, split_part(name, ' ', 1) as name_first,
            split_part(name, ' ', len(string_split(name, ' '))) as name_last,
            replace(name, ' ', '') as name_joined,
            sex, nullif(birth_date, '') as birth_date, substr(nullif(birth_date, ''), 1, 4) as birth_year, area
        from read_csv_auto('{path}', all_varchar=true)
    """)  # noqa: S608
    db_api = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("area"),
            # No KK comparison: one KK is a family, and its members would look alike to the model on KK, kelurahan
            # and family name at once (comparisons must be roughly independent); the KK stays a blocking rule.
            cl.ExactMatch("nik"),  # NIKs one digit apart are mostly strangers born on one day (serials 0001, 0002)
        ],
        blocking_rules_to_generate_predictions=[
            block_on("birth_date", "substr(name_first, 1, 1)"),
            block_on("birth_date", "substr(name_last, 1, 1)"),
            block_on("substr(nik, 1, 12)"),
            block_on("substr(nik, 7, 10)"),
            block_on("kk"),
            block_on("area", "name_joined"),
            block_on("area", "sex", "name_first"),
            block_on("birth_year", "sex", "name_first"),
            block_on("birth_year", "sex", "name_last"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    try:  # Splink 5: tables are registered with the backend first
        linker = Linker(db_api.register("persons"), settings)
    except AttributeError:  # Splink 4
        linker = Linker("persons", settings, db_api=db_api)
    linker.training.estimate_probability_two_random_records_match([block_on("name", "birth_date")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    pairs = linker.inference.predict(threshold_match_probability=THRESHOLD).as_duckdbpyrelation()
    con.register("pairs", pairs)
    con.execute(f"copy (select unique_id_l, unique_id_r from pairs) to '{out}' (header false)")
    print(f"{time.perf_counter() - started:.1f} s (threshold p>={THRESHOLD})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
