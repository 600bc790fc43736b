"""Load benchmark: the production layout under a realistic role mix, with locust on loopback.

    make bench-deps                      # locust, the optional [bench] extra pinned in constraints.txt
    .venv/bin/python bench/load.py --rows 100000 --postgres --users 50 --duration 60
    .venv/bin/python bench/load.py --database-url postgres://.../pilar_big --users 100 --duration 120

Fills a throwaway PostgreSQL database with N synthetic registry rows through the importer (or reuses
``--database-url`` as it is), collects the static files, starts gunicorn with ``pilar/gunicorn_conf.py``
(gthread, DEBUG off, WhiteNoise) on a loopback port, and runs locust headless in this process against it:
``--users`` simulated users at ``--spawn-rate`` per second for ``--duration`` seconds, then stops. The mix
(weights in ``MIX``): PSM (their kelurahan's list, a name search, a person), operators (registry pages,
search, person detail, data quality), API clients (token; lists of 100 and NIK/name look-ups) and the head of
office (home, overdue cases, registry). Each user waits 1–3 s between requests, like a person reading.
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


if os.environ.get("PILAR_LOAD_PERSONAS"):  # imported by locust (see run()): the simulated users
    import json

    from locust import HttpUser, between, task

    who = json.loads(Path(os.environ["PILAR_LOAD_PERSONAS"]).read_text())
    data = who["data"]

    def words(name: str) -> str:
        return "+".join(name.split()[:2])

    class Signed(HttpUser):
        abstract = True
        wait_time = between(1, 3)
        role = ""

        def on_start(self) -> None:
            self.client.cookies.update(who[self.role].get("cookies", {}))
            self.client.headers.update(who[self.role].get("headers", {}))

        def get(self, url: str, name: str) -> None:
            # Anything but 200 is a failure: a redirect to the sign-in page must not count as a fast page.
            with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as answer:
                if answer.status_code != 200:
                    answer.failure(f"HTTP {answer.status_code}")

    class Psm(Signed):
        weight, role = MIX["psm"], "psm"

        @task(3)
        def registry(self) -> None:
            self.get("/registri/", "PSM /registri/")

        @task(2)
        def search(self) -> None:
            _pk, _nik, name = random.choice(data["mine"])  # noqa: S311
            self.get(f"/registri/?q={words(name)}", "PSM /registri/?q=name")

        @task(2)
        def person(self) -> None:
            pk, _nik, _name = random.choice(data["mine"])  # noqa: S311
            self.get(f"/registri/orang/{pk}/", "PSM /registri/orang/<id>/")

    class Operator(Signed):
        weight, role = MIX["operator"], "operator"

        @task(3)
        def registry(self) -> None:
            page = random.randint(1, 400)  # noqa: S311
            self.get(f"/registri/?kecamatan={data['kecamatan']}&page={page}", "operator /registri/?page")

        @task(3)
        def search(self) -> None:
            _pk, _nik, name = random.choice(data["anywhere"])  # noqa: S311
            self.get(f"/registri/?q={words(name)}", "operator /registri/?q=name")

        @task(2)
        def person(self) -> None:
            pk, _nik, _name = random.choice(data["anywhere"])  # noqa: S311
            self.get(f"/registri/orang/{pk}/", "operator /registri/orang/<id>/")

        @task(1)
        def quality(self) -> None:
            self.get("/registri/mutu/", "operator /registri/mutu/")

    class Api(Signed):
        weight, role = MIX["api"], "api"

        @task(2)
        def page(self) -> None:
            self.get(f"/api/v1/ppks/?kelurahan={data['village']}&limit=100", "API /ppks/?limit=100")

        @task(2)
        def nik(self) -> None:
            _pk, nik, _name = random.choice(data["anywhere"])  # noqa: S311
            self.get(f"/api/v1/ppks/?q={nik}", "API /ppks/?q=NIK")

        @task(1)
        def name(self) -> None:
            _pk, _nik, name = random.choice(data["anywhere"])  # noqa: S311
            self.get(f"/api/v1/persons/?q={words(name)}&limit=25", "API /persons/?q=name")

    class Pimpinan(Signed):
        weight, role = MIX["pimpinan"], "pimpinan"

        @task(2)
        def home(self) -> None:
            self.get("/", "pimpinan /")

        @task(1)
        def overdue(self) -> None:
            self.get("/kasus/terlambat/", "pimpinan /kasus/terlambat/")

        @task(1)
        def registry(self) -> None:
            self.get("/registri/", "pimpinan /registri/")


def run(host: str, personas: Path, users: int, spawn_rate: float, duration: int, locust: str) -> None:
    """locust headless in its own process (gevent patches the standard library; Django here does not want that)."""
    import csv

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
    subprocess.run(
        command,
        env={**os.environ, "PILAR_LOAD_PERSONAS": str(personas)},
        check=True,  # noqa: S603
        stdout=subprocess.DEVNULL,
        timeout=duration + 120,
    )
    with open(f"{prefix}_stats.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(
        f"\n{users} users, {duration} s: {int(total['Request Count']):,} requests, "
        f"{float(total['Requests/s']):.1f} req/s, {total['Failure Count']} failures"
    )
    print(f"  {'endpoint':<36} {'n':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "all" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"  {name:<36} {row['Request Count']:>6} {row['Failure Count']:>5} {row['50%']:>6} {row['95%']:>6} "
            f"{row['99%']:>6}"
        )
    failures = Path(f"{prefix}_failures.csv")
    for row in list(csv.DictReader(failures.open()))[:5] if failures.exists() else []:
        print(f"  error: {row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="an already filled database (PostgreSQL)")
    parser.add_argument("--postgres", action="store_true", help="(the default: a throwaway PostgreSQL database)")
    parser.add_argument("--users", type=int, nargs="+", default=[50])
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (bounded)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--static-root", default="", help="collected static files to reuse (else collected anew)")
    parser.add_argument(
        "--locust",
        default=str(ROOT / ".venv/bin/locust"),
        help="the locust command (e.g. from a virtualenv of its own: it needs nothing of Pilar)",
    )
    args = parser.parse_args()
    if not Path(args.locust).exists():
        sys.exit("locust is missing: make bench-deps, or --locust PATH")
    db_url, dropped = prepare(args)
    import json

    personas_file = Path(tempfile.mkdtemp(prefix="pilar-bench-load-")) / "personas.json"
    personas_file.write_text(json.dumps(personas()))
    static_root = args.static_root or tempfile.mkdtemp(prefix="pilar-bench-static-")
    server = serve(db_url, args.port, static_root)
    try:
        for users in args.users:
            print(f"\nload average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            run(f"http://127.0.0.1:{args.port}", personas_file, users, args.spawn_rate, args.duration, args.locust)
            print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        stop([server], dropped)


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
