"""Load benchmark: the production layout under a realistic role mix, with locust on loopback.

    make bench-deps                      # locust, the optional [bench] extra pinned in constraints.txt
    .venv/bin/python bench/load.py --rows 100000 --postgres --users 50 --duration 60
    .venv/bin/python bench/load.py --database-url postgres://.../pilar_1m_x --users 50 100 --duration 60 \
        --wait 0.3 0.5 --peer-tree /tmp/pilar-peer          # the capacity run, beside a peer checkout

Fills a throwaway PostgreSQL database with N synthetic registry rows through the importer (or reuses
``--database-url`` as it is), collects the static files, starts gunicorn with ``pilar/gunicorn_conf.py``
(gthread, DEBUG off, WhiteNoise) on a loopback port, and runs locust headless against it: ``--users``
simulated users at ``--spawn-rate`` per second for ``--duration`` seconds, then stops. The mix (``MIX`` and
``TASKS``, shared with bench/request_cpu.py): PSM (their kelurahan's list, a name search, a person), operators
(registry pages, search, person detail, data quality), API clients (token; lists of 100 and NIK/name
look-ups) and the head of office (home, overdue cases, registry).

Think time (``--wait LOW HIGH``, seconds, uniform): each user waits that long after an answer before asking
again, so N users can ask at most N / mean-wait requests per second. ``1 3`` (the default) is a person reading
a page: 50 users offer at most ≈ 25 req/s, which can never show the issue's 60 req/s. The capacity run uses
``0.3 0.5``: 50 users then offer up to ≈ 125 req/s (50 / 0.4 s), about twice the target, so a figure under 60
is the server's limit, not the benchmark's; the realistic ``1 3`` stays the other run (both in
bench/README.md). Several ``--wait`` values may be given as pairs: ``--wait 1 3 0.3 0.5``.

``--peer-tree DIR`` serves another checkout of Pilar (a git worktree, e.g. the code before a change) on the
next port with the same database and static settings; every (think time, users) run is made against the peer
and then this checkout, and the table prints both side by side with the load average of each run.

The simulated users are locust's ``FastHttpUser`` (geventhttpclient): locust runs on the same 2 cores as the
server, and python-requests costs several times more CPU per request. The CPU the locust process used per
request, the gunicorn processes' CPU per request and the PostgreSQL backends' (those of the benchmark
database) are printed beside each run: what the load generator took from the server is visible.
Prints requests/s, failures and p50/p95/p99 per endpoint, and the load average before and after.
Targets (issue 10): 50 users ≥ 60 req/s, p95 ≤ 500 ms, 0 errors; 100 users 0 errors, p95 ≤ 1 s.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from list_latency import PG_SERVER, setup  # noqa: E402

SERVER_ENV = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "DJANGO_SETTINGS_MODULE": "pilar.settings",
    "LOG_LEVEL": "ERROR",
}
# SECRET_KEY: the one setup() put in the environment, so that the server reads the sessions signed here.
MIX = {"psm": 4, "operator": 3, "api": 2, "pimpinan": 1}


def prepare(args) -> tuple[str, str]:
    """The database (filled) and the static files; returns (database URL, dropped database name or '')."""
    dropped = ""
    if args.database_url:
        db_url = args.database_url
    else:
        import psycopg

        dropped = f"pilar_bench_load_{os.getpid()}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dropped}"')
        db_url = f"{PG_SERVER}/{dropped}"
    setup(db_url)
    from pilar.registry.models import PpksRecord

    if not PpksRecord.objects.exists():
        from pilar.registry.importer import import_file
        from pilar.registry.synth import city_villages, write_csv

        csv_path = Path(tempfile.mkdtemp(prefix="pilar-bench-load-")) / "rows.csv"
        write_csv(csv_path, persons=args.rows, dup_rate=0.02, seed=7, villages=city_villages())
        job = import_file(csv_path, mode="valid-rows")
        print(f"imported {job.created_count:,} PPKS rows ({job.status})")
    return db_url, dropped


def personas() -> dict[str, dict]:
    """One signed-in session per role (second factor passed as the test client does) and an API token."""
    from django.db.models import Count

    from pilar.accounts.models import ApiToken, Role, RoleAssignment, User
    from pilar.identity.models import Person
    from pilar.regions.models import Region
    from pilar.registry.models import PpksRecord
    from tests.signin import PilarClient

    busiest = PpksRecord.objects.values("kelurahan_id").order_by().annotate(n=Count("id")).order_by("-n")[0]
    village = Region.objects.get(pk=busiest["kelurahan_id"])
    roles = {"psm": (Role.PSM, village.pk), "operator": (Role.OPERATOR, None), "pimpinan": (Role.PIMPINAN, None)}
    out: dict[str, dict] = {}
    for key, (role, region) in roles.items():
        user, new = User.objects.get_or_create(username=f"load.{key}")
        if new:
            RoleAssignment.objects.create(user=user, role=role, region_id=region)
        client = PilarClient()
        client.force_login(user)
        assert client.get("/registri/").status_code == 200, f"{key} is not signed in"
        out[key] = {"cookies": {"sessionid": client.cookies["sessionid"].value}}
    api_user = User.objects.get(username="load.operator")
    out["api"] = {"headers": {"Authorization": f"Bearer {ApiToken.issue(api_user)}"}}
    sample = list(
        PpksRecord.objects.filter(kelurahan_id=village.pk)
        .exclude(person=None)
        .values_list("person_id", "person__nik", "person__name_normalized")[:200]
    )
    anywhere = list(Person.objects.exclude(nik=None).order_by("?").values_list("id", "nik", "name_normalized")[:200])
    out["data"] = {"village": village.code, "kecamatan": village.code[:8], "mine": sample, "anywhere": anywhere}
    return out


def serve(db_url: str, port: int, static_root: str, src: Path = ROOT) -> subprocess.Popen:
    """gunicorn with the production settings on a loopback port; ``src``: another checkout of Pilar to serve
    (bench/baseline.py's peer), run from its own directory so that its ``pilar`` package is the one imported."""
    env = {
        **os.environ,
        **SERVER_ENV,
        "DATABASE_URL": db_url,
        "STATIC_ROOT": static_root,
        "PYTHONPATH": str(src),
        "PILAR_WEB_BIND": f"127.0.0.1:{port}",
        "PILAR_WEB_ACCESS_LOG": "/dev/null",
    }
    if not (Path(static_root) / "staticfiles.json").exists():  # compressing every file takes a minute or two
        subprocess.run([str(ROOT / ".venv/bin/pilar"), "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    imported = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv/bin/python"), "-c", "import pilar; print(pilar.__file__)"],
        env=env,
        cwd=src,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(imported).resolve().is_relative_to(src.resolve()), f"{src} would serve {imported}"
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "python:pilar.gunicorn_conf", "pilar.wsgi:application"],
        env=env,
        cwd=src,
        start_new_session=True,
    )
    import urllib.request

    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer on /healthz")


def words(name: str) -> str:
    return "+".join(name.split()[:2])


# The requests of each role: (weight within the role, name in the report, URL from the personas' data and a
# random generator). The share of one request in the whole mix is MIX[role] / sum(MIX) * weight / the role's
# total weight (every user waits alike). bench/request_cpu.py measures the same requests with these shares.
TASKS: dict[str, list[tuple[int, str, Callable[[dict, random.Random], str]]]] = {
    "psm": [
        (3, "PSM /registri/", lambda d, r: "/registri/"),
        (2, "PSM /registri/?q=name", lambda d, r: f"/registri/?q={words(r.choice(d['mine'])[2])}"),
        (2, "PSM /registri/orang/<id>/", lambda d, r: f"/registri/orang/{r.choice(d['mine'])[0]}/"),
    ],
    "operator": [
        (
            3,
            "operator /registri/?page",
            lambda d, r: f"/registri/?kecamatan={d['kecamatan']}&page={r.randint(1, 400)}",
        ),
        (3, "operator /registri/?q=name", lambda d, r: f"/registri/?q={words(r.choice(d['anywhere'])[2])}"),
        (2, "operator /registri/orang/<id>/", lambda d, r: f"/registri/orang/{r.choice(d['anywhere'])[0]}/"),
        (1, "operator /registri/mutu/", lambda d, r: "/registri/mutu/"),
    ],
    "api": [
        (2, "API /ppks/?limit=100", lambda d, r: f"/api/v1/ppks/?kelurahan={d['village']}&limit=100"),
        (2, "API /ppks/?q=NIK", lambda d, r: f"/api/v1/ppks/?q={r.choice(d['anywhere'])[1]}"),
        (
            1,
            "API /persons/?q=name",
            lambda d, r: f"/api/v1/persons/?q={words(r.choice(d['anywhere'])[2])}&limit=25",
        ),
    ],
    "pimpinan": [
        (2, "pimpinan /", lambda d, r: "/"),
        (1, "pimpinan /kasus/terlambat/", lambda d, r: "/kasus/terlambat/"),
        (1, "pimpinan /registri/", lambda d, r: "/registri/"),
    ],
}


def shares() -> dict[str, float]:
    """Each request's share of the mix (sums to 1)."""
    total = sum(MIX.values())
    out = {}
    for role, tasks in TASKS.items():
        within = sum(weight for weight, _name, _url in tasks)
        for weight, name, _url in tasks:
            out[name] = MIX[role] / total * weight / within
    return out


if os.environ.get("PILAR_LOAD_PERSONAS"):  # imported by locust (see run()): the simulated users
    import json

    from locust import HttpUser, between
    from locust.contrib.fasthttp import FastHttpUser

    # --client requests: locust's HttpUser (python-requests), only to compare locust's own CPU per request.
    Client = HttpUser if os.environ.get("PILAR_LOAD_CLIENT") == "requests" else FastHttpUser

    who = json.loads(Path(os.environ["PILAR_LOAD_PERSONAS"]).read_text())
    low, high = (float(x) for x in os.environ["PILAR_LOAD_WAIT"].split())
    rng = random.Random()  # noqa: S311  # picks pages, not secrets

    class Signed(Client):  # type: ignore[valid-type,misc]
        """geventhttpclient instead of python-requests: a fraction of the CPU per request, on the server's cores.
        The session cookie or the token goes in a header of every request, as the browser or client sends it."""

        abstract = True
        wait_time = between(low, high)
        role = ""

        def get(self, url: str, name: str) -> None:
            cookies = who[self.role].get("cookies", {})
            headers = dict(who[self.role].get("headers", {}))
            if cookies:
                headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in cookies.items())
            # Anything but 200 is a failure: a redirect to the sign-in page must not count as a fast page.
            with self.client.get(url, name=name, headers=headers, allow_redirects=False, catch_response=True) as answer:
                if answer.status_code != 200:
                    answer.failure(f"HTTP {answer.status_code}")

    def task_of(name: str, url: Callable[[dict, random.Random], str]) -> Callable[[Signed], None]:
        def ask(user: Signed) -> None:
            user.get(url(who["data"], rng), name)

        ask.__name__ = name
        return ask

    def user_class(role: str) -> type:
        tasks = {task_of(name, url): weight for weight, name, url in TASKS[role]}
        return type(f"User_{role}", (Signed,), {"weight": MIX[role], "role": role, "tasks": tasks})

    Psm, Operator, Api, Pimpinan = (user_class(role) for role in ("psm", "operator", "api", "pimpinan"))


def process_ticks(pids: list[int]) -> dict[int, int]:
    """utime + stime of each of these processes still running (clock ticks)."""
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = int(fields[11]) + int(fields[12])
    return out


def server_pids(server: subprocess.Popen) -> list[int]:
    """gunicorn's master and its workers."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [server.pid] + ([int(pid) for pid in children.read_text().split()] if children.exists() else [])


def backend_pids(db_url: str) -> list[int]:
    """The PostgreSQL backends connected to the benchmark database (PostgreSQL on this machine)."""
    import psycopg

    name = db_url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,)
        ).fetchall()
    return [pid for (pid,) in rows]


def used(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU seconds between two readings; a process started meanwhile counts from 0, one ended meanwhile (a
    gunicorn worker replaced after max_requests, a connection closed) is missing from both sides."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items()) / os.sysconf("SC_CLK_TCK")


def run(
    host: str,
    personas: Path,
    users: int,
    spawn_rate: float,
    duration: int,
    locust: str,
    wait: tuple[float, float],
    client: str,
) -> dict:
    """locust headless in its own process (gevent patches the standard library; Django here does not want that).
    Returns the aggregate and per-endpoint rows, the failures and the CPU of locust per request."""
    import csv
    import resource

    prefix = Path(tempfile.mkdtemp(prefix="pilar-bench-locust-")) / "run"
    command = [
        locust,
        "-f",
        __file__,
        "--headless",
        "--host",
        host,
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        f"{duration}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--exit-code-on-error",
        "0",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    finished = subprocess.run(
        command,
        env={
            **os.environ,
            "PILAR_LOAD_PERSONAS": str(personas),
            "PILAR_LOAD_WAIT": f"{wait[0]} {wait[1]}",
            "PILAR_LOAD_CLIENT": client,
        },
        check=False,  # noqa: S603
        capture_output=True,  # locust's own summary: this prints its own table below
        text=True,
        timeout=duration + 120,
    )
    if finished.returncode:
        sys.exit(f"locust failed:\n{finished.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    locust_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    with open(f"{prefix}_stats.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    failures = Path(f"{prefix}_failures.csv")
    errors = list(csv.DictReader(failures.open()))[:5] if failures.exists() else []
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {"rows": rows, "total": total, "errors": errors, "locust_cpu": locust_cpu}


def report(users: int, duration: int, wait: tuple[float, float], results: dict[str, dict]) -> None:
    """One table per (think time, users): this checkout and the peer (if any) side by side."""
    names = list(results)
    offered = users / ((wait[0] + wait[1]) / 2)
    print(f"\n{users} users, {duration} s, think time {wait[0]:g}-{wait[1]:g} s (offers at most ≈ {offered:.0f} req/s)")
    for name, result in results.items():
        total, n = result["total"], max(1, int(result["total"]["Request Count"]))
        print(
            f"  {name}: {n:,} requests, {float(total['Requests/s']):.1f} req/s, {total['Failure Count']} failures; "
            f"CPU per request: locust {result['locust_cpu'] * 1000 / n:.1f} ms, gunicorn "
            f"{result['server_cpu'] * 1000 / n:.1f} ms, PostgreSQL backends {result['db_cpu'] * 1000 / n:.1f} ms; "
            f"load average {result['load_before']:.2f} -> {result['load_after']:.2f}"
        )
    head = "".join(f" {name + ' n':>9} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} |" for name in names)
    print(f"  {'endpoint':<34} |{head}  (ms)")
    rows = {name: {row["Name"]: row for row in result["rows"]} for name, result in results.items()}
    endpoints = sorted(rows[names[-1]], key=lambda key: (key == "Aggregated", key))
    for endpoint in endpoints:
        cells = ""
        for name in names:
            row = rows[name].get(endpoint)
            if row is None:
                cells += f" {'-':>9} {'-':>5} {'-':>6} {'-':>6} {'-':>6} |"
                continue
            cells += f" {row['Request Count']:>9} {row['Failure Count']:>5}"
            cells += f" {row['50%']:>6} {row['95%']:>6} {row['99%']:>6} |"
        print(f"  {'all' if endpoint == 'Aggregated' else endpoint:<34} |{cells}")
    for name, result in results.items():
        for row in result["errors"]:
            print(f"  error ({name}): {row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="an already filled database (PostgreSQL)")
    parser.add_argument("--postgres", action="store_true", help="(the default: a throwaway PostgreSQL database)")
    parser.add_argument("--users", type=int, nargs="+", default=[50])
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (bounded)")
    parser.add_argument(
        "--wait",
        type=float,
        nargs="+",
        default=[1.0, 3.0],
        metavar="SECONDS",
        help="think time LOW HIGH between a user's requests (pairs: several runs); 1 3 = a person reading",
    )
    parser.add_argument(
        "--client",
        choices=["fast", "requests"],
        default="fast",
        help="locust's FastHttpUser (geventhttpclient, the default) or HttpUser (python-requests, to compare)",
    )
    parser.add_argument("--port", type=int, default=8765, help="this checkout; the peer gets the next port")
    parser.add_argument("--peer-tree", default="", help="another checkout of Pilar, served beside this one")
    parser.add_argument("--static-root", default="", help="collected static files to reuse (else collected anew)")
    parser.add_argument(
        "--locust",
        default=str(ROOT / ".venv/bin/locust"),
        help="the locust command (e.g. from a virtualenv of its own: it needs nothing of Pilar)",
    )
    args = parser.parse_args()
    if not Path(args.locust).exists():
        sys.exit("locust is missing: make bench-deps, or --locust PATH")
    if len(args.wait) % 2:
        parser.error("--wait takes pairs: LOW HIGH [LOW HIGH ...]")
    waits = [(args.wait[i], args.wait[i + 1]) for i in range(0, len(args.wait), 2)]
    db_url, dropped = prepare(args)
    import json

    personas_file = Path(tempfile.mkdtemp(prefix="pilar-bench-load-")) / "personas.json"
    personas_file.write_text(json.dumps(personas()))
    static_root = Path(args.static_root or tempfile.mkdtemp(prefix="pilar-bench-static-"))
    trees = {"this": (ROOT, args.port)}
    if args.peer_tree:
        trees = {"peer": (Path(args.peer_tree).resolve(), args.port + 1), **trees}
    servers: dict[str, subprocess.Popen] = {}
    try:
        for name, (src, port) in trees.items():
            servers[name] = serve(db_url, port, str(static_root / name), src)
        for name, (src, _port) in trees.items():
            print(f"{name}: {src}")
        print(f"locust: {'HttpUser (python-requests)' if args.client == 'requests' else 'FastHttpUser'}")
        for wait in waits:
            for users in args.users:
                results: dict[str, dict] = {}
                for name, (_src, port) in trees.items():  # the peer first, then this checkout
                    load_before = os.getloadavg()[0]
                    server_before = process_ticks(server_pids(servers[name]))
                    db_before = process_ticks(backend_pids(db_url))
                    result = run(
                        f"http://127.0.0.1:{port}",
                        personas_file,
                        users,
                        args.spawn_rate,
                        args.duration,
                        args.locust,
                        wait,
                        args.client,
                    )
                    result["server_cpu"] = used(server_before, process_ticks(server_pids(servers[name])))
                    result["db_cpu"] = used(db_before, process_ticks(backend_pids(db_url)))
                    result["load_before"], result["load_after"] = load_before, os.getloadavg()[0]
                    results[name] = result
                report(users, args.duration, wait, results)
    finally:
        stop(list(servers.values()), dropped)


def stop(servers: list[subprocess.Popen], dropped: str) -> None:
    """End the gunicorn servers, then drop the throwaway database (``dropped``: '' when it was given)."""
    for server in servers:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    if dropped:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')


if __name__ == "__main__":
    main()
