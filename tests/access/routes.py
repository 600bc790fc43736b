"""Every GET-able address of Pilar, read from the URL map, with the objects its parameters take.

A route with a parameter must have a rule here (which kind of object of the world it names); a new route
without one fails the matrix, so nobody adds an endpoint the access and visibility checks do not reach.
Routes without parameters (lists, exports, dashboards) need no rule: they are probed as they are.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Not Pilar's pages (Django's admin has its own permission system; static assets; language switch).
SKIPPED_PREFIXES = ("admin/", "static/", "media/", "i18n/", "__")

# route -> {parameter: kind}; a kind is a key of World.objects, or a fixed value after "=".
RULES: dict[str, dict[str, str]] = {
    # pages
    "pekerja/ipsm/<int:period_pk>/pengurus/": {"period_pk": "=1"},
    "pekerja/ipsm/pengurus/<int:pk>/hapus/": {"pk": "=1"},
    "pekerja/<int:pk>/": {"pk": "worker"},
    "pekerja/<int:pk>/ubah/": {"pk": "worker"},
    "pekerja/<int:pk>/status/": {"pk": "worker"},
    "pekerja/<int:pk>/mutasi/": {"pk": "worker"},
    "pekerja/<int:pk>/sk/": {"pk": "worker"},
    "registri/duplikat/<int:pk>/": {"pk": "duplicate"},
    "registri/duplikat/<int:pk>/gabungkan/": {"pk": "duplicate"},
    "registri/duplikat/<int:pk>/bukan-duplikat/": {"pk": "duplicate"},
    "registri/impor/<int:pk>/": {"pk": "import"},
    "registri/impor/<int:pk>/kesalahan/": {"pk": "import"},
    "registri/orang/<int:pk>/": {"pk": "person"},
    "registri/orang/<int:pk>/ubah/": {"pk": "person"},
    "registri/orang/<int:pk>/pindah-kk/": {"pk": "person"},
    "registri/kk/<int:pk>/": {"pk": "household"},
    "registri/kk/<int:pk>/ganti-nomor/": {"pk": "household"},
    "registri/impor/<int:pk>/coba-lagi/": {"pk": "import"},
    "registri/impor/<int:pk>/konflik/": {"pk": "import"},
    "registri/impor/konflik/<int:pk>/orang-sama/": {"pk": "=1"},
    "registri/impor/konflik/<int:pk>/orang-lain/": {"pk": "=1"},
    # a password-reset link with a made-up user and token: refused, whoever follows it
    "akun/sandi/atur/<uidb64>/<token>/": {"uidb64": "=MQ", "token": "=tidak-sah"},
    # big exports: a job and its file are their owner's only (none of the personas owns job 1)
    "registri/ekspor/<int:pk>/": {"pk": "=1"},
    "registri/ekspor/<int:pk>/berkas/": {"pk": "=1"},
    "registri/impor/<int:pk>/pemetaan/": {"pk": "import"},
    # user accounts: the first account (an administrator's) is probed by every persona
    "akun/pengguna/<int:pk>/": {"pk": "=1"},
    "akun/pengguna/<int:pk>/tindakan/": {"pk": "=1"},
    "registri/permintaan/<int:pk>/": {"pk": "registration_request"},
    "registri/permintaan/<int:pk>/pindahkan/": {"pk": "registration_request"},
    "registri/permintaan/<int:pk>/tolak/": {"pk": "registration_request"},
    "registri/<int:pk>/": {"pk": "ppks"},
    "registri/<int:pk>/verifikasi/": {"pk": "ppks"},
    "registri/<int:pk>/tetapkan/": {"pk": "ppks"},
    "registri/<int:pk>/kembalikan/": {"pk": "ppks"},
    "registri/<int:pk>/ajukan-ulang/": {"pk": "ppks"},
    "registri/<int:pk>/tolak/": {"pk": "ppks"},
    "registri/<int:pk>/keluarkan/": {"pk": "ppks"},
    "registri/<int:pk>/bukti/": {"pk": "ppks"},
    "registri/<int:pk>/bukti/<int:evidence_pk>/": {"pk": "ppks", "evidence_pk": "evidence"},
    "notifikasi/<int:pk>/buka/": {"pk": "=1"},
    "kasus/<int:pk>/": {"pk": "case"},
    "kasus/<int:pk>/asesmen/": {"pk": "case"},
    "kasus/<int:pk>/rencana/": {"pk": "case"},
    "kasus/<int:pk>/maju/": {"pk": "case"},
    "kasus/<int:pk>/tutup/": {"pk": "case"},
    "kasus/<int:pk>/buka-kembali/": {"pk": "case"},
    "kasus/<int:pk>/tugaskan/": {"pk": "case"},
    "kasus/<int:pk>/serahkan/": {"pk": "case"},
    "kasus/<int:pk>/tautkan/": {"pk": "case"},
    "kasus/<int:pk>/catatan/": {"pk": "case"},
    "kasus/<int:pk>/kunjungan/": {"pk": "case"},
    "kasus/<int:pk>/berkas/": {"pk": "case"},
    "kasus/rencana/<int:pk>/setujui/": {"pk": "=1"},
    "kasus/rencana/<int:pk>/kembalikan/": {"pk": "=1"},
    "kasus/serah-terima/<int:pk>/terima/": {"pk": "=1"},
    "kasus/serah-terima/<int:pk>/tolak/": {"pk": "=1"},
    "kasus/berkas/<int:pk>/": {"pk": "=1"},
    "rujukan/kirim/<int:case_id>/": {"case_id": "case"},
    "rujukan/<int:pk>/": {"pk": "referral"},
    "rujukan/<int:pk>/terima/": {"pk": "referral"},
    "rujukan/<int:pk>/tolak/": {"pk": "referral"},
    "rujukan/<int:pk>/proses/": {"pk": "referral"},
    "rujukan/<int:pk>/selesai/": {"pk": "referral"},
    "pengaduan/<int:pk>/": {"pk": "complaint"},
    "pengaduan/<int:pk>/jadikan-kasus/": {"pk": "complaint"},
    "pengaduan/<int:pk>/tutup/": {"pk": "complaint"},
    "pengaduan/<int:pk>/foto/": {"pk": "complaint"},
    "pengaduan/<int:pk>/pelapor/": {"pk": "complaint"},
    "program/penerima/<int:pk>/": {"pk": "enrollment"},
    "program/penerima/<int:pk>/setujui/": {"pk": "enrollment"},
    "program/penerima/<int:pk>/tolak/": {"pk": "enrollment"},
    "program/penerima/<int:pk>/salurkan/": {"pk": "enrollment"},
    "program/penerima/<int:pk>/selesai/": {"pk": "enrollment"},
    "program/penerima/<int:pk>/keluarkan/": {"pk": "enrollment"},
    "program/penerima/<int:pk>/nilai-rumah/": {"pk": "enrollment"},
    "program/rtlh/<int:pk>/": {"pk": "enrollment"},
    "program/rtlh/<int:pk>/renovasi/": {"pk": "enrollment"},
    "program/rtlh/foto/<int:pk>/": {"pk": "=1"},
    "program/<slug:code>/": {"code": "program"},
    "program/<slug:code>/cetak/": {"code": "program"},
    "pelatihan/<int:pk>/": {"pk": "training"},
    "pelatihan/<int:pk>/ubah/": {"pk": "training"},
    "pelatihan/<int:pk>/undang/": {"pk": "training"},
    "pelatihan/<int:pk>/sesi/": {"pk": "training"},
    "pelatihan/<int:pk>/materi/": {"pk": "training"},
    "pelatihan/materi/<int:pk>/": {"pk": "=1"},
    "pelatihan/sesi/<int:pk>/presensi/": {"pk": "=1"},
    "pelatihan/sesi/<int:pk>/presensi/simpan/": {"pk": "=1"},
    "pelatihan/sesi/<int:pk>/presensi/centang/": {"pk": "=1"},
    "pelatihan/sesi/<int:pk>/layar/": {"pk": "=1"},
    "pelatihan/hadir/<str:token>/": {"token": "=TIDAKADA"},
    "pelatihan/peserta/<int:pk>/jawab/": {"pk": "participant"},
    "pelatihan/peserta/<int:pk>/sertifikat.pdf": {"pk": "participant"},
    "pelatihan/sertifikat/<str:code>/": {"code": "=TIDAKADA"},
    # a kelurahan's outline for the field app's mini map (no personal data; any signed-in user)
    "lapangan/peta/<str:code>.json": {"code": "=36.71.01.1001"},
    # the offline field forms on a record (pilar/field/form_views.py): scoped like the record's own page
    "lapangan/verifikasi/<int:pk>/": {"pk": "ppks"},
    "lapangan/kasus/<int:pk>/kunjungan/": {"pk": "case"},
    "lapangan/kasus/<int:pk>/catatan/": {"pk": "case"},
    "pelatihan/pekerja/<int:worker_pk>/": {"worker_pk": "worker"},
    "kegiatan/roadshow/<int:pk>/selesai/": {"pk": "=1"},
    "kegiatan/roadshow/<int:pk>/batal/": {"pk": "=1"},
    "kegiatan/<int:pk>/": {"pk": "report"},
    "kegiatan/<int:pk>/ubah/": {"pk": "report"},
    "kegiatan/<int:pk>/kunjungan/": {"pk": "report"},
    "kegiatan/<int:pk>/kunjungan/<int:visit_id>/hapus/": {"pk": "report", "visit_id": "=1"},
    "kegiatan/<int:pk>/foto/": {"pk": "report"},
    "kegiatan/<int:pk>/foto/<int:photo_id>/": {"pk": "report", "photo_id": "=1"},
    "kegiatan/<int:pk>/foto/<int:photo_id>/hapus/": {"pk": "report", "photo_id": "=1"},
    "kegiatan/<int:pk>/ajukan/": {"pk": "report"},
    "kegiatan/<int:pk>/terima/": {"pk": "report"},
    "kegiatan/<int:pk>/kembalikan/": {"pk": "report"},
    "insentif/<int:pk>/": {"pk": "run"},
    "insentif/<int:pk>/setujui/": {"pk": "run"},
    "insentif/<int:pk>/hapus/": {"pk": "run"},
    "insentif/<int:pk>/unduh.<str:fmt>": {"pk": "run", "fmt": "=csv|xlsx|pdf"},
    "insentif/slip/<int:pk>/": {"pk": "line"},
    # official reports: city-wide documents, none in the world (area roles get 404 for any)
    "laporan/<int:pk>/<str:fmt>/": {"pk": "=1", "fmt": "=pdf|xlsx"},
    "hak-subjek/<int:pk>/": {"pk": "=1"},
    "hak-subjek/<int:pk>/<slug:action>/": {"pk": "=1", "action": "=selesai"},
    "hak-subjek/orang/<int:person_id>/ekspor.<str:fmt>": {"person_id": "person", "fmt": "=json|pdf"},
    # API (other API parameters are named after their kind: see PARAM_KINDS)
    "api/v1/ppks/<record_id>/evidence/<evidence_id>": {"record_id": "ppks", "evidence_id": "evidence"},
    "api/v1/complaints/status/<tracking_code>": {"tracking_code": "=TIDAKADA00"},
    "api/v1/payroll-runs/<run_id>/export/<fmt>": {"run_id": "run", "fmt": "=csv|xlsx"},
    "api/v1/auth/tokens/<token_id>": {"token_id": "=1"},
    "api/v1/imports/<job_id>/conflicts/<conflict_id>/same-person": {"job_id": "import", "conflict_id": "=1"},
    "api/v1/imports/<job_id>/conflicts/<conflict_id>/different-person": {"job_id": "import", "conflict_id": "=1"},
    "api/v1/exports/<export_id>": {"export_id": "=1"},
    "api/v1/exports/<export_id>/file": {"export_id": "=1"},
    "api/v1/reports/<snapshot_id>/pdf": {"snapshot_id": "=1"},
    "api/v1/reports/<snapshot_id>/xlsx": {"snapshot_id": "=1"},
}
# An API parameter named here takes that kind of object on every route that has it.
PARAM_KINDS = {
    "worker_id": "worker",
    "person_id": "person",
    "household_id": "household",
    "record_id": "ppks",
    "job_id": "import",
    "referral_id": "referral",
    "complaint_id": "complaint",
    "report_id": "report",
    "event_id": "training",
    "participant_id": "participant",
    "run_id": "run",
    "code": "program",
    "enrollment_id": "enrollment",
    "case_id": "case",
    "candidate_id": "duplicate",
}
# Extra query strings probed on some routes (exports in both formats, searches by name and NIK).
QUERIES: dict[str, tuple[str, ...]] = {
    "registri/ekspor/": ("?format=csv", "?format=xlsx", "?format=csv&layout=dtks"),
    "api/v1/ppks/export": ("?format=csv", "?format=xlsx&layout=dtks"),
    "pekerja/ekspor/": ("?format=csv", "?format=xlsx"),
    "registri/": ("", "?q=Sumarni"),
    "api/v1/persons/": ("", "?q=Sumarni"),
    "api/v1/ppks/": ("?limit=100", "?q=Sumarni&limit=100"),
    "api/v1/cases/": ("?limit=100",),
    "api/v1/enrollments/": ("?limit=100",),
    "api/v1/households/": ("?limit=100",),
    "api/v1/complaints/": ("?limit=100",),
    "api/v1/referrals/": ("?limit=100",),
    "api/v1/workers/": ("?limit=100",),
}
NOT_GET = {"api/v1/openapi.json", "api/v1/docs", "akun/keluar/"}  # the schema is probed by schemathesis


@dataclass(frozen=True)
class Probe:
    route: str
    area: str  # "A", "B", or "" for a route without area-bound objects
    path: str


def routes() -> Iterator[str]:
    def walk(resolver: URLResolver, prefix: str) -> Iterator[str]:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            elif isinstance(pattern, URLPattern):
                yield route

    seen = set()
    for route in walk(get_resolver(), ""):
        if route not in seen and not route.startswith(SKIPPED_PREFIXES) and route not in NOT_GET:
            seen.add(route)
            yield route


def _params(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def rule_for(route: str) -> dict[str, str]:
    """The kind of object each parameter of ``route`` takes; LookupError when a parameter has no rule."""
    params = _params(route)
    rule = RULES.get(route) or (
        {p: PARAM_KINDS[p] for p in params if p in PARAM_KINDS} if route.startswith("api/") else {}
    )
    missing = [p for p in params if p not in rule]
    if missing:
        raise LookupError(f"{route}: no rule in tests/access/routes.py for its parameters {missing}")
    return rule


def _value(kind: str, obj: Any) -> str:
    if kind == "program":
        return obj.code
    return str(obj.pk)


def probes(world: Any) -> Iterator[Probe]:
    """Every route, once per area for routes naming an area-bound object; unknown parameters raise."""
    for route in routes():
        yield from route_probes(route, world)


def route_probes(route: str, world: Any) -> Iterator[Probe]:
    """The probes of one route (the 360-px walk skips a route without a rule; the matrix fails on it)."""
    kinds = rule_for(route)
    areas = {a for k in kinds.values() if not k.startswith("=") for a in world.objects[k]} or {""}
    for area in sorted(areas):
        variants = [{}]
        for param, kind in kinds.items():
            if kind.startswith("="):
                values = kind[1:].split("|")
            else:
                objs = world.objects[kind]
                values = [_value(kind, objs.get(area) or objs["A"])]
            variants = [v | {param: value} for v in variants for value in values]
        for values in variants:
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m, v=values: v[m.group(1)], route)
            for query in QUERIES.get(route, ("",)):
                yield Probe(route, area, path + query)
