"""Compressed page weight of the field pages, cold (nothing cached) and warm (static files cached by hash).

    .venv/bin/python bench/page_weight.py

Static files are collected the way production serves them (WhiteNoise's CompressedManifestStaticFilesStorage:
content-hashed names, gzip beside each file) into a temporary STATIC_ROOT; their sizes are the .gz files
WhiteNoise would send. Each page is rendered for a PSM in a throwaway SQLite database and gzip-compressed at
level 6 (nginx's usual setting; Pilar's pages are not compressed by WhiteNoise). Cold = the page + every
stylesheet, script and icon it links; warm = the page alone (hashed static files are cached for a year).
The peer in the same run: each page's assets are split into the shared ones (htmx, pilar.css, ui.js) and the
field app's own (pilar/field/*: device store, outbox, forms, place), so its cost is shown beside the base.
"""

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (page, who opens it): the field forms first, then the PSM's other pages.
PAGES = [
    ("/lapangan/", "psm"),
    ("/kegiatan/baru/", "psm"),
    ("/registri/usul/?person={person}", "psm"),
    ("/lapangan/usul/", "psm"),
    ("/lapangan/pengaduan/", "psm"),
    ("/lapangan/presensi/", "psm"),
    ("/lapangan/kasus/{case}/kunjungan/", "psm"),
    ("/lapangan/kasus/{case}/catatan/", "psm"),
    ("/lapangan/verifikasi/{record}/", "tksk"),
    ("/", "psm"),
    ("/kegiatan/", "psm"),
    ("/registri/", "psm"),
    ("/kasus/", "psm"),
    ("/pelatihan/", "psm"),
    ("/insentif/saya/", "psm"),
]
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def collect(static_root: Path) -> dict[str, str]:
    env = dict(
        os.environ,
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        STATIC_ROOT=str(static_root),
        DJANGO_SETTINGS_MODULE="pilar.settings",
    )
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return json.loads((static_root / "staticfiles.json").read_text())["paths"]


def setup(db_url: str) -> None:
    os.environ.update(
        DATABASE_URL=db_url, DEBUG="0", SECRET_KEY="bench-" + "x" * 50, DJANGO_SETTINGS_MODULE="pilar.settings_test"
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from pilar.regions.loader import load_region

    call_command("migrate", verbosity=0)
    load_region()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pilar-bench-weight-"))
    manifest = collect(work / "static")
    setup(f"sqlite:///{work / 'bench.sqlite3'}")
    from django.test import Client

    sys.path.insert(0, str(ROOT))
    from pilar.accounts.models import Role
    from pilar.cases import services as case_services
    from pilar.cases.models import Case
    from pilar.registry.models import Category
    from pilar.registry.reference import load_categories
    from tests.factories import psm_user, region, user_with_role
    from tests.registry.makers import person_in, propose

    if not Category.objects.exists():
        load_categories(Category)
    psm = psm_user("psm.bench", "36.71.01.1001")
    clients = {"psm": Client(), "tksk": Client()}
    clients["psm"].force_login(psm)
    clients["tksk"].force_login(user_with_role("tksk.bench", Role.TKSK, region_code="36.71.01"))
    person = person_in("36.71.01.1001")
    record = propose(psm, kelurahan_code="36.71.01.1001")
    case = case_services.case_open(
        actor=psm,
        kelurahan=region("36.71.01.1001"),
        category=Category.objects.get(code="PPKS-09"),
        source=Case.Source.PSM_FINDING,
        summary="Lansia hidup sendiri.",
        subject_name="Ibu Siti",
        address="Jl. Ki Samaun 3",
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (sizes do not depend on it)")
    print(f"{'page':<34} {'html':>7} {'html.gz':>8} {'shared.gz':>10} {'field.gz':>9} {'cold.gz':>8} {'warm.gz':>8}")
    for template, who in PAGES:
        path = template.format(person=person.pk, record=record.pk, case=case.pk)
        answer = clients[who].get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        html = answer.content
        html_gz = len(gzip.compress(html, compresslevel=6))
        shared = field = 0
        for url in sorted(set(ASSET.findall(html.decode()))):
            name = url.removeprefix("/static/")
            hashed = work / "static" / manifest.get(name, name)
            gz = hashed.with_name(hashed.name + ".gz")
            size = gz.stat().st_size if gz.exists() else hashed.stat().st_size  # small files are not gzipped
            if name.startswith("pilar/field/") and name.endswith(".js"):
                field += size
            else:
                shared += size
        cold = html_gz + shared + field
        label = template.split("=")[0].replace("{case}", "<id>").replace("{record}", "<id>")
        print(f"{label:<34} {len(html):>7} {html_gz:>8} {shared:>10} {field:>9} {cold:>8} {html_gz:>8}")


if __name__ == "__main__":
    main()
