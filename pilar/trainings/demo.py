"""The four trainings the press articles report, with their participants, attendance and certificates.

- 27 March 2018, peningkatan kapasitas: every TKSK and PSM active that day, 13 + 823 = 836;
- 16 March 2023, Gebyar Potensi Kesejahteraan Sosial with the IPSM board inauguration: 987 PSM;
- 15 May 2023, bimtek on case handling at Gedung Kesenian: 208 PSM;
- 22 May 2024, pembinaan of PSM and TKSK at Tangerang Convention Center: 995 participants. The demo has
  1,000 workers active that day (987 PSM + 13 TKSK); all 13 TKSK and 982 of the PSM, drawn with a fixed
  seed, are the 995.

"Active on a day" means a posting (Assignment) covers the day, as the workforce demo defines it. All
participants attended the one session and completed, so each holds a certificate. Idempotent: an event
already present (same title and start date) is left as it is.
"""

import random
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from pilar import audit
from pilar.trainings.attendance import certificate_code
from pilar.trainings.models import Attendance, Certificate, Event, EventKind, Participant, Response, Session
from pilar.trainings.services import new_code
from pilar.workers.models import Assignment, Worker

SEED = 20240522
HEAD = "Mulyani"  # Kepala Dinas Sosial Kota Tangerang in the 2023 and 2024 articles
BATCH = 1000
ORGANISER = "Dinas Sosial Kota Tangerang"


@dataclass(frozen=True)
class SeedEvent:
    kind: str
    title: str
    day: date
    venue: str
    roles: tuple[str, ...]
    size: int | None  # None: everyone active that day
    speakers: str = ""
    topics: str = ""
    target_group: str = ""
    signatory: str = ""


EVENTS = [
    SeedEvent(
        EventKind.CAPACITY,
        "Peningkatan Kapasitas Potensi Sumber Kesejahteraan Sosial",
        date(2018, 3, 27),
        "Ruang Al-Amanah, Gedung Pusat Pemerintahan Kota Tangerang",
        ("tksk", "psm"),
        None,
        speakers="Pjs Wali Kota Tangerang, M. Yusuf (pembukaan)",
        topics="Tugas dan tanggung jawab SDM kesejahteraan sosial\nPengelolaan data masyarakat miskin\n"
        "Penanganan PMKS secara komprehensif",
        target_group="Seluruh TKSK dan PSM Kota Tangerang",
    ),
    SeedEvent(
        EventKind.PEMBINAAN,
        "Gebyar Potensi Kesejahteraan Sosial dan Pelantikan Pengurus IPSM 2021-2026",
        date(2023, 3, 16),
        "Tangerang Convention Center",
        ("psm",),
        None,
        speakers="Wali Kota Tangerang, Arief R. Wismansyah (pelantikan)\nKepala OPD: Disnaker, Dinkes, DP3AP2KB",
        topics="Program OPD yang dapat dimanfaatkan masyarakat\nPSM sebagai corong program Pemkot",
        target_group="Seluruh PSM Kota Tangerang",
        signatory=HEAD,
    ),
    SeedEvent(
        EventKind.BIMTEK,
        "Bimtek Penanganan Kasus Sosial dan Koordinasi Lintas Sektor",
        date(2023, 5, 15),
        "Gedung Kesenian Kota Tangerang",
        ("psm",),
        208,
        speakers="Pusdiklatbangprof Kemensos RI\nDirektorat Dayamas Kemensos RI",
        topics="Prosedur penanganan kasus\nStrategi koordinasi antarsektor\nPenguatan kapasitas individu",
        target_group="PSM",
        signatory=HEAD,
    ),
    SeedEvent(
        EventKind.PEMBINAAN,
        "Pembinaan PSM dan TKSK se-Kota Tangerang",
        date(2024, 5, 22),
        "Tangerang Convention Center (TCC), Cimone",
        ("tksk", "psm"),
        995,
        speakers="Pj Wali Kota Tangerang, Dr. Nurdin (pembukaan)\nKementerian Sosial, Provinsi Banten",
        topics="Penanganan permasalahan sosial\nFungsi koordinasi, fasilitasi dan administrasi",
        target_group="PSM dan TKSK",
        signatory=HEAD,
    ),
]


def active_on(day: date, roles: tuple[str, ...]) -> list[Worker]:
    covers = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
    ids = Assignment.objects.filter(covers, role__in=roles).values("worker_id")
    return list(Worker.objects.filter(pk__in=ids).order_by("pk").only("pk", "role", "kecamatan_id", "kelurahan_id"))


def _chosen(spec: SeedEvent, rng: random.Random) -> list[Worker]:
    workers = active_on(spec.day, spec.roles)
    if spec.size is None or spec.size >= len(workers):
        return workers
    tksk = [w for w in workers if w.role == "tksk"]
    psm = [w for w in workers if w.role == "psm"]
    return tksk + sorted(rng.sample(psm, spec.size - len(tksk)), key=lambda w: w.pk)


def _create(spec: SeedEvent, workers: list[Worker], actor) -> int:
    event = Event.objects.create(
        kind=spec.kind,
        title=spec.title,
        start_date=spec.day,
        end_date=spec.day,
        venue=spec.venue,
        organiser=ORGANISER,
        speakers=spec.speakers,
        topics=spec.topics,
        target_group=spec.target_group,
        capacity=len(workers),
        signatory_name=spec.signatory,
        checkin_code=new_code(),
        created_by=actor,
    )
    session = Session.objects.create(event=event, name="Hari 1", date=spec.day)
    participants = Participant.objects.bulk_create(
        [
            Participant(
                event=event,
                worker_id=w.pk,
                role=w.role,
                kecamatan_id=w.kecamatan_id,
                kelurahan_id=w.kelurahan_id,
                response=Response.YES,
                attended_sessions=1,
                completed=True,
                invited_by=actor,
            )
            for w in workers
        ],
        batch_size=BATCH,
    )
    Attendance.objects.bulk_create(
        [Attendance(participant=p, session=session, method=Attendance.Method.OPERATOR) for p in participants],
        batch_size=BATCH,
    )
    issued = event.created_at
    Certificate.objects.bulk_create(
        [Certificate(participant=p, code=certificate_code(), issued_at=issued) for p in participants],
        batch_size=BATCH,
    )
    audit.record(actor, "trainings.event.seeded", event, data={"participants": len(participants)})
    return len(participants)


def seed_trainings(*, operator) -> dict[str, int]:
    """Create the seed events that are missing; returns what was created on this run."""
    rng = random.Random(SEED)
    created = {"pelatihan": 0, "peserta pelatihan": 0}
    for spec in EVENTS:
        chosen = _chosen(spec, rng)  # drawn every run, so the random stream stays the same per event
        if Event.objects.filter(title=spec.title, start_date=spec.day).exists():
            continue
        created["peserta pelatihan"] += _create(spec, chosen, operator)
        created["pelatihan"] += 1
    return created


def training_totals() -> dict[str, int]:
    return {
        "Pelatihan": Event.objects.count(),
        "Peserta pelatihan": Participant.objects.count(),
        "Sertifikat pelatihan": Certificate.objects.filter(revoked_at__isnull=True).count(),
    }
