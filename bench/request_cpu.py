"""Benchmark: the CPU one request costs, per endpoint and role, this checkout beside a peer checkout.

    git worktree add /tmp/pilar-peer main              # the code to compare with (e.g. before a change)
    .venv/bin/python bench/request_cpu.py --database-url postgres://.../pilar_1m_x --peer /tmp/pilar-peer \
        [--repeat 30] [--rounds 2] [--static-root DIR] [--profile LABEL]

The capacity of one machine is its cores divided by the CPU a request costs: the Django process (middleware,
view, templates, the database driver) plus the PostgreSQL backend that answers it, on the same cores. This
prints both per request, for a trivial signed-in page, the start pages, a registry list, a person's page and
API calls, as PSM, operator, head of office and API token: the process CPU (``time.process_time``) in the
Django process, the backend's CPU (``/proc/<backend pid>/stat``, PostgreSQL on this machine; the CPU of
parallel query workers is not included), the wall time and the queries.

Each checkout runs in a process of its own with the production settings (``pilar.settings``, DEBUG off,
WhiteNoise and the collected static files, persistent connections) and Django's test client, which passes
every middleware as gunicorn's requests do. The checkouts alternate (peer, this, peer, this for
``--rounds 2``) on the same database, so that both see the same machine load; the load average is printed
before and after. ``--profile LABEL`` runs that case of this checkout under cProfile once more and prints
the functions that cost the most. Only reads: the personas (``bench/load.py``) are created once if missing.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")


def cases(who: dict, mix_only: bool = False) -> list[tuple[str, str, str]]:
    """(label, URL, persona) for each request measured: first the requests of bench/load.py's mix (label: its
    name there; URL: the first of the mix's random picks, the others in ``urls``), then some others."""
    from load import TASKS

    data = who["data"]
    mine, anywhere = data["mine"][0][0], data["anywhere"][0][0]
    mix = [(name, url(data, random.Random(name)), role) for role, tasks in TASKS.items() for _w, name, url in tasks]
    if mix_only:
        return mix
    return mix + [
        ("healthz (no session)", "/healthz", ""),
        ("trivial page, operator", "/notifikasi/", "operator"),
        ("start page, PSM", "/", "psm"),
        ("start page, pimpinan", "/", "pimpinan"),
        ("field start page, PSM", "/lapangan/", "psm"),
        ("registry list, PSM", "/registri/", "psm"),
        ("registry list, operator, kecamatan p.2", f"/registri/?kecamatan={data['kecamatan']}&page=2", "operator"),
        ("person page, PSM", f"/registri/orang/{mine}/", "psm"),
        ("person page, operator", f"/registri/orang/{anywhere}/", "operator"),
        ("API trivial (tokens)", "/api/v1/auth/tokens", "api"),
        ("API ppks kelurahan limit=100", f"/api/v1/ppks/?kelurahan={data['village']}&limit=100", "api"),
    ]


def urls(who: dict, label: str, url: str, n: int) -> list[str]:
    """n URLs for a case: the mix's requests vary as in bench/load.py (the same picks for both checkouts), the
    others repeat theirs."""
    from load import TASKS

    for tasks in TASKS.values():
        for _w, name, make in tasks:
            if name == label:
                rng = random.Random(name)
                return [make(who["data"], rng) for _ in range(n)]
    return [url] * n


def backend_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (PostgreSQL runs on this machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def child(src: str, personas_file: str, repeat: int, profile: str, serial: bool, mix_only: bool) -> None:
    """In a process of its own: measure every case with the checkout ``src``; print JSON on the last line."""
    sys.path.insert(0, src)
    sys.path.insert(1, str(ROOT / "bench"))  # load.py's mix, from this checkout for both
    import django

    django.setup()
    if serial:  # no parallel workers: the backend's CPU is then the whole query's
        from django.db.backends.signals import connection_created

        def no_parallel_workers(sender, connection, **kwargs) -> None:
            with connection.cursor() as cursor:
                cursor.execute("SET max_parallel_workers_per_gather = 0")

        connection_created.connect(no_parallel_workers)
    import pilar

    assert Path(pilar.__file__).resolve().is_relative_to(Path(src).resolve()), pilar.__file__
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    who = json.loads(Path(personas_file).read_text())
    out: dict[str, dict] = {}
    for label, url, persona in cases(who, mix_only):
        client = Client(headers=who[persona].get("headers", {})) if persona else Client()
        for key, value in (who[persona].get("cookies", {}) if persona else {}).items():
            client.cookies[key] = value
        asked = urls(who, label, url, repeat + 3)
        for url in asked[:3]:  # warm: templates, translations, the connection, the static manifest
            answer = client.get(url)
            assert answer.status_code == 200, (label, url, answer.status_code)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        cpu, wall = [], []
        ticks = backend_ticks(backend)
        for url in asked[3:]:
            started_cpu, started = time.process_time(), time.perf_counter()
            answer = client.get(url)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, (label, url, answer.status_code)
        db_ms = (backend_ticks(backend) - ticks) * 1000 / CLK_TCK / repeat
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        out[label] = {"cpu": cpu, "wall": wall, "db": db_ms, "queries": len(queries)}
        if label == profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for PostgreSQL
            profiler.enable()
            for url in asked[3:]:
                client.get(url)
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stderr)
            print(f"\n--- cProfile (CPU time) of {label} ({url}), {repeat} requests, {src}", file=sys.stderr)
            stats.sort_stats("tottime").print_stats(30)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("cumulative").print_stats("pilar/", 60)
    print(json.dumps(out))


def collect_static(src: Path, static_root: Path, env: dict[str, str]) -> None:
    if (static_root / "staticfiles.json").exists():
        return
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pilar.cli", "collectstatic", "--noinput", "-v", "0"],
        env={**env, "STATIC_ROOT": str(static_root)},
        cwd=src,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", help="a filled PostgreSQL database (bench/load.py's)")
    parser.add_argument("--peer", help="another checkout of Pilar (git worktree) to compare with")
    parser.add_argument("--repeat", type=int, default=30, help="requests per case, per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--static-root", default="", help="a directory for the collected static files (kept)")
    parser.add_argument("--profile", default="", help="the label of a case to profile (this checkout)")
    parser.add_argument(
        "--serial", action="store_true", help="PostgreSQL without parallel workers (their CPU is not counted)"
    )
    parser.add_argument("--mix-only", action="store_true", help="only the requests of bench/load.py's mix")
    parser.add_argument("--child", nargs=2, metavar=("SRC", "PERSONAS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.repeat, args.profile, args.serial, args.mix_only)
        return
    if not args.database_url or not args.peer:
        parser.error("--database-url and --peer are required")

    sys.path.insert(0, str(ROOT / "bench"))
    from load import SERVER_ENV, personas, prepare

    args.rows = 0  # the database is given: nothing is imported
    db_url, _dropped = prepare(args)
    who = personas()
    personas_file = Path(tempfile.mkdtemp(prefix="pilar-bench-cpu-")) / "personas.json"
    personas_file.write_text(json.dumps(who))
    static_base = Path(args.static_root or tempfile.mkdtemp(prefix="pilar-bench-static-"))
    checkouts = {"peer": Path(args.peer).resolve(), "this": ROOT}
    env = {
        **os.environ,
        **SERVER_ENV,
        "ALLOWED_HOSTS": "testserver",
        "DB_CONN_MAX_AGE": "3600",  # one backend per case, whose CPU is read before and after
        "DATABASE_URL": db_url,
        "PILAR_DATA_DIR": tempfile.mkdtemp(prefix="pilar-bench-data-"),
    }
    for name, src in checkouts.items():
        collect_static(src, static_base / name, {**env, "PYTHONPATH": str(src)})

    results: dict[str, dict[str, dict]] = {"peer": {}, "this": {}}
    before = os.getloadavg()
    for round_no in range(args.rounds):
        for name, src in checkouts.items():
            profile = args.profile if name == "this" and round_no == args.rounds - 1 else ""
            run = subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--child", str(src), str(personas_file)]
                + ["--repeat", str(args.repeat), "--profile", profile]
                + (["--serial"] if args.serial else [])
                + (["--mix-only"] if args.mix_only else []),
                env={**env, "PYTHONPATH": str(src), "STATIC_ROOT": str(static_base / name)},
                cwd=src,
                capture_output=True,
                text=True,
            )
            if run.returncode:
                sys.exit(f"{name} failed:\n{run.stderr}")
            if run.stderr:
                print(run.stderr, file=sys.stderr)
            for label, figures in json.loads(run.stdout.strip().splitlines()[-1]).items():
                merged = results[name].setdefault(label, {"cpu": [], "wall": [], "db": [], "queries": 0})
                merged["cpu"] += figures["cpu"]
                merged["wall"] += figures["wall"]
                merged["db"].append(figures["db"])
                merged["queries"] = figures["queries"]
    after = os.getloadavg()

    print(f"\nthis: {ROOT}\npeer: {checkouts['peer']}")
    if args.serial:
        print("PostgreSQL without parallel workers (--serial)")
    print(f"load average before {' '.join(f'{x:.2f}' for x in before)}, after {' '.join(f'{x:.2f}' for x in after)}")
    print(
        f"{args.rounds} rounds x {args.repeat} requests per case and checkout (peer, this alternating); ms per "
        "request: Django process CPU (mean, p50), PostgreSQL backend CPU (mean), wall p50; queries\n"
    )
    print(
        "| request | peer CPU mean | this CPU mean | peer CPU p50 | this CPU p50 | peer DB CPU | this DB CPU "
        "| peer wall p50 | this wall p50 | queries peer / this |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, _url, _persona in cases(who, args.mix_only):
        peer, this = results["peer"][label], results["this"][label]
        cells = [
            f"{statistics.fmean(peer['cpu']):.1f}",
            f"**{statistics.fmean(this['cpu']):.1f}**",
            f"{statistics.median(peer['cpu']):.1f}",
            f"{statistics.median(this['cpu']):.1f}",
            f"{statistics.fmean(peer['db']):.1f}",
            f"{statistics.fmean(this['db']):.1f}",
            f"{statistics.median(peer['wall']):.1f}",
            f"{statistics.median(this['wall']):.1f}",
            f"{peer['queries']} / {this['queries']}",
        ]
        print(f"| {label} | {' | '.join(cells)} |")
    from load import shares

    weights = shares()
    print("\nbench/load.py's mix, weighted by each request's share (ms of CPU per request, Django + PostgreSQL):")
    totals = {}
    for name in ("peer", "this"):
        django_ms = sum(w * statistics.fmean(results[name][label]["cpu"]) for label, w in weights.items())
        db_ms = sum(w * statistics.fmean(results[name][label]["db"]) for label, w in weights.items())
        totals[name] = django_ms + db_ms
        print(
            f"  {name}: {django_ms:.1f} + {db_ms:.1f} = {totals[name]:.1f} ms; 2 cores / that = "
            f"{2000 / totals[name]:.0f} requests/s at most"
        )
    print(
        f"  this / peer: {totals['this'] / totals['peer']:.2f} ({(totals['this'] / totals['peer'] - 1) * 100:+.0f} %)"
    )


if __name__ == "__main__":
    main()
