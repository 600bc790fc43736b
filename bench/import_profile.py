"""Profile: where an import's CPU goes, per function (cProfile), validation and writing apart.

    .venv/bin/python bench/import_profile.py [--rows 200000] [--top 25] [--csv FILE] [--postgres]

Generates ``--rows`` synthetic rows (the generator of ``pilar synth-registry``, seed 1, 5 % duplicates; or reads
``--csv``) and imports them into a fresh SQLite database (``--postgres``: a throwaway PostgreSQL database, whose
server-side work the profile sees only as waiting) in ONE process and ONE thread: the rows are validated in this
process instead of the forked child (each batch still pickled and unpickled as it would travel), and the inserts
run on the importing thread instead of the insert thread, so that cProfile sees every part; SQLite's own work
(indexes, triggers, the FTS table) appears under the sink's insert, whose time is also printed per table.
Profiled, an import runs slower than for real (cProfile costs every Python call): read the shares, and time
imports with ``import_registry.py``.
"""

import argparse
import cProfile
import io
import os
import pickle
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_registry import _pg_database, cpu_seconds, setup_django  # noqa: E402


class SyncPipeline:
    """The insert pipeline's interface, inserting on the caller's thread (so that the profile sees it)."""

    def __init__(self, sink, spent):
        self.sink, self.spent = sink, spent

    def insert(self, table, columns, rows):
        if rows:
            started = time.process_time()
            self.sink.insert(table, columns, rows)
            self.spent[table] += time.process_time() - started

    def drain(self):
        pass

    def close(self):
        pass


def shown(stats: pstats.Stats, order: str, top: int) -> str:
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats(order).print_stats(top)
    text = out.getvalue()
    for prefix in sorted({str(ROOT) + "/", *(p + "/" for p in sys.path if "site-packages" in p)}, key=len)[::-1]:
        text = text.replace(prefix, "")
    return text[text.index("   ncalls") :].rstrip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--csv", help="an existing import file instead of synthetic rows")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pilar-profile-"))
    database = f"pilar_bench_profile_{os.getpid()}"
    setup_django(_pg_database(database) if args.postgres else f"sqlite:///{work / 'profile.sqlite3'}")
    try:
        profiled(args, work)
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            _pg_database(database, create=False)


def profiled(args: argparse.Namespace, work: Path) -> None:
    from pilar.registry.importer import import_file, run, stream, writer
    from pilar.registry.synth import city_villages, write_csv

    path = Path(args.csv) if args.csv else work / "synth.csv"
    if not args.csv:
        write_csv(path, persons=args.rows, dup_rate=0.05, seed=1, villages=city_villages())
    spent: dict[str, float] = defaultdict(float)
    stream.PARALLEL_FROM = sys.maxsize  # validate in this process
    validate = stream.validate

    def piped(*args):  # each batch through pickle as it travels from the forked validator (multiprocessing's own)
        for batch in validate(*args):
            yield pickle.loads(ForkingPickler.dumps(batch))  # noqa: S301 - our own bytes

    stream.validate = piped
    writer.InsertPipeline = lambda sink: SyncPipeline(sink, spent)  # insert on this thread
    statements: list[tuple[float, str]] = []  # the sink's own statements (index and key rebuilds), timed
    open_sink = run.open_sink

    def timed_sink():
        sink = open_sink()
        execute = sink.cursor.execute

        def timed(sql, params=None):
            started = time.process_time()
            try:
                return execute(sql, params)
            finally:
                statements.append((time.process_time() - started, " ".join(sql.split())[:100]))

        sink.cursor.execute = timed
        return sink

    run.open_sink = timed_sink
    profile = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared, the shares stay true
    cpu, wall = cpu_seconds(0), time.perf_counter()  # 0: RUSAGE_SELF
    job = profile.runcall(import_file, path, mode="valid-rows", accept_warnings=True)
    cpu, wall = cpu_seconds(0) - cpu, time.perf_counter() - wall
    print(
        f"rows {job.total_rows}, created {job.created_count}, errors {job.error_count}, status {job.status}; "
        f"profiled: wall {wall:.1f} s, CPU {cpu:.1f} s; load {os.getloadavg()[0]:.2f}"
    )
    stats = pstats.Stats(profile)
    whole = sum(row[2] for row in stats.stats.values())  # every function's own time: the profiled total
    parts = {
        "the validator's side, whole (stream.validate)": ("stream.py", ("validate",)),
        "  reading the file (csv/calamine, cells)": ("sheets.py", ("_csv_rows", "_xlsx_rows")),
        "  validating rows (RowValidator.check)": ("validate.py", ("check",)),
        "  skip rules (RowKinds.skip_reason)": ("layout.py", ("skip_reason",)),
        "pickle to the writer (ForkingPickler.dumps)": ("reduction.py", ("dumps",)),
        "unpickle in the writer (pickle.loads)": ("~", ("<built-in method _pickle.loads>",)),
        "writer, whole (ImportWriter.write)": ("writer.py", ("write",)),
        "finish (conflicts, flags, keys, index rebuild)": ("writer.py", ("finish",)),
        "inserts, all tables (sink.insert; on the insert thread in a real import)": ("bulk.py", ("insert",)),
        "index rebuild (restore_indexes)": ("bulk.py", ("restore_indexes",)),
        "commit": ("base.py", ("commit",)),
    }
    print(f"\nshares of the profiled time ({whole:.1f} s of own time in all functions):")
    for label, (file, names) in parts.items():
        total = sum(row[3] for (fn, _line, name), row in stats.stats.items() if fn.endswith(file) and name in names)
        print(f"  {label:<72} {total:7.1f} s  {100 * total / whole:5.1f} %")
    print("  inserts per table (SQLite's work included):")
    for table, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"    {table:<70} {seconds:7.1f} s  {100 * seconds / whole:5.1f} %")
    print("  the sink's slowest statements, CPU of this process (index and key rebuilds, look-ups):")
    for seconds, sql in sorted(statements, reverse=True)[:12]:
        print(f"    {seconds:7.2f} s  {sql}")
    print(f"\ntop {args.top} by cumulative time:\n{shown(stats, 'cumulative', args.top)}")
    print(f"\ntop {args.top} by own time:\n{shown(stats, 'tottime', args.top)}")


if __name__ == "__main__":
    main()
