"""Benchmark: the fixed cost of one request through the production layout, this checkout beside a peer checkout.

    git worktree add /tmp/pilar-peer <commit>          # the code to compare with (e.g. before a change)
    .venv/bin/python bench/baseline.py --peer /tmp/pilar-peer --rows 2000 [--database-url postgres://...]

Fills a throwaway PostgreSQL database with N synthetic rows (or reuses ``--database-url``), then starts two
gunicorn servers with ``pilar/gunicorn_conf.py`` and the production settings (DEBUG off, WhiteNoise), one
serving this checkout and one the ``--peer`` checkout, on the same database. One keep-alive client then asks
each server in turn (interleaved, so that both see the same machine load) for: ``/healthz`` (gunicorn and the
middleware without a session), a trivial signed-in page (``/notifikasi/``), the registry's first page, a
trivial API call (``/api/v1/auth/tokens``) and ``/api/v1/ppks/?limit=100``. Prints p50/p95 per server (ms), the
database queries one request makes in this process (Django's test client, same settings), and the load
average before and after. Only loopback; bounded by ``--repeat``.
"""

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from load import personas, prepare, serve, stop  # noqa: E402

CASES = [
    ("/healthz", "", "healthz (no session)"),
    ("/notifikasi/", "page", "trivial page, signed in"),
    ("/registri/", "page", "registry, first page"),
    ("/api/v1/auth/tokens", "api", "trivial API call"),
    ("/api/v1/ppks/?limit=100", "api", "API ppks limit=100"),
]


def headers(who: dict, kind: str) -> dict[str, str]:
    if kind == "page":
        return {"Cookie": f"sessionid={who['operator']['cookies']['sessionid']}"}
    if kind == "api":
        return who["api"]["headers"]
    return {}


def get(conn: http.client.HTTPConnection, url: str, head: dict[str, str]) -> float:
    started = time.perf_counter()
    conn.request("GET", url, headers=head)
    answer = conn.getresponse()
    answer.read()
    assert answer.status == 200, (url, answer.status)
    return (time.perf_counter() - started) * 1000


def queries_per_request(who: dict) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for url, kind, _label in CASES:
        client = Client(headers=headers(who, kind)) if kind == "api" else Client()
        if kind == "page":
            client.cookies["sessionid"] = who["operator"]["cookies"]["sessionid"]
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts[url] = len(ctx)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--peer", required=True, help="another checkout of Pilar (git worktree) to compare with")
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--database-url", default="", help="an already filled database (PostgreSQL)")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--port", type=int, default=8766, help="this checkout; the peer gets the next port")
    parser.add_argument("--static-root", default="", help="collected static files to reuse (else collected anew)")
    args = parser.parse_args()
    db_url, dropped = prepare(args)
    who = personas()
    static_root = args.static_root or tempfile.mkdtemp(prefix="pilar-bench-static-")
    servers = {
        "this": serve(db_url, args.port, static_root),
        "peer": serve(db_url, args.port + 1, static_root, Path(args.peer).resolve()),
    }
    try:
        conns = {name: http.client.HTTPConnection("127.0.0.1", args.port + i) for i, name in enumerate(servers)}
        samples: dict[tuple[str, str], list[float]] = {(n, url): [] for n in servers for url, *_ in CASES}
        for conn in conns.values():  # warm both: templates, connections, the static manifest
            for url, kind, _label in CASES:
                for _ in range(3):
                    get(conn, url, headers(who, kind))
        before = os.getloadavg()
        for _ in range(args.repeat):
            for url, kind, _label in CASES:
                for name, conn in conns.items():
                    samples[(name, url)].append(get(conn, url, headers(who, kind)))
        after = os.getloadavg()
        queries = queries_per_request(who)
    finally:
        stop(list(servers.values()), dropped)
    print(f"\nthis: {ROOT}\npeer: {Path(args.peer).resolve()}")
    print(f"load average before {' '.join(f'{x:.2f}' for x in before)}, after {' '.join(f'{x:.2f}' for x in after)}")
    print(f"{args.repeat} requests each, interleaved; ms through gunicorn on loopback\n")
    print("| request | peer p50 | peer p95 | this p50 | this p95 | queries (this) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for url, _kind, label in CASES:
        cells = []
        for name in ("peer", "this"):
            s = sorted(samples[(name, url)])
            cells += [f"{statistics.median(s):.1f}", f"{s[int(0.95 * (len(s) - 1))]:.1f}"]
        print(f"| {label} `{url}` | {' | '.join(cells)} | {queries[url]} |")


if __name__ == "__main__":
    main()
