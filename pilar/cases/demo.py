"""Demo cases: about 60 cases across the city in every stage (closed ones and a reopened one among them),
some overdue, with their assessments, plans, visits, notes and history spread over past weeks.

Written directly with bulk inserts (the services would stamp everything "now"); each case still gets its
events and an audit entry. Deterministic and idempotent: a case already there (same kelurahan, subject
and summary) is not made again.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from pilar import audit
from pilar.accounts.models import User
from pilar.cases.models import (
    Assessment,
    Case,
    CaseAssignment,
    CaseEvent,
    CaseNote,
    HomeVisit,
    Plan,
    RiskFactor,
    Stage,
)
from pilar.cases.reference import level_for, stage_days
from pilar.regions.models import Region
from pilar.registry.models import Category

SEED = 20230815
ORDER: list[str] = [Stage.INTAKE, Stage.ASSESSMENT, Stage.PLANNING, Stage.INTERVENTION, Stage.MONITORING, Stage.CLOSED]
# (stage, how many, how many of them overdue). The cases in intervention come first: the demo referrals go
# to the first open cases, and these are the ones a referral belongs to.
MIX = [
    (Stage.INTERVENTION, 12, 3),
    (Stage.MONITORING, 8, 2),
    (Stage.INTAKE, 8, 2),
    (Stage.ASSESSMENT, 10, 3),
    (Stage.PLANNING, 8, 2),
    (Stage.CLOSED, 14, 0),
]
STORIES = [
    ("PPKS-08", "Lansia tinggal sendiri, sakit-sakitan, tidak ada keluarga yang merawat."),
    ("PPKS-02", "Anak putus sekolah, bekerja membantu orang tua berjualan di jalan."),
    ("PPKS-09", "Penyandang disabilitas fisik belum punya alat bantu dan tidak bisa bekerja."),
    ("PPKS-11", "Gelandangan tidur di emperan pasar, tanpa identitas."),
    ("PPKS-24", "Keluarga fakir miskin, kepala keluarga kehilangan pekerjaan."),
    ("PPKS-16", "Perempuan korban KDRT, butuh tempat aman dan pendampingan."),
    ("PPKS-01", "Balita kurang gizi, orang tua tidak mampu."),
    ("PPKS-20", "ODGJ dipasung keluarga karena tidak ada biaya berobat."),
    ("PPKS-22", "Rumah tidak layak huni, atap hampir roboh."),
]
NAMES = [
    "Siti Aminah",
    "Darto",
    "Nur Hayati",
    "Ujang",
    "Rohani",
    "Asep Saepudin",
    "Wati",
    "Komarudin",
    "Ani",
    "Mulyadi",
    "Sumarni",
    "Enah",
    "Jaja",
    "Iis",
    "Rahmat",
    "Lilis",
    "Tatang",
    "Nining",
    "Dedi",
    "Yati",
]
SOURCES = [Case.Source.PSM_FINDING, Case.Source.PSM_FINDING, Case.Source.WALK_IN, Case.Source.REFERRAL_IN]
OUTCOMES = [
    ("tertangani", "Kebutuhan dasar terpenuhi; keluarga kembali merawat."),
    ("tertangani", "Sudah menerima bantuan dan kontrol rutin di puskesmas."),
    ("dialihkan", "Ditangani penuh oleh DP3AP2KB."),
    ("pindah", "Pindah ke luar kota, ikut anaknya."),
    ("bukan_kasus", "Setelah asesmen, keluarga ternyata mampu."),
]


@dataclass
class _Spec:
    stage: str
    overdue: bool
    village: Region
    worker: User
    supervisor: User
    name: str
    category: str
    summary: str
    source: str


def _kecamatan_id(village: Region) -> int:
    """The kecamatan a kelurahan lies in: its parent, which every kelurahan has."""
    if village.parent_id is None:
        raise ValueError(f"Kelurahan {village.code} tanpa kecamatan.")
    return village.parent_id


def _specs(
    rng: random.Random, villages: list[Region], psm: dict[int, User], tksk: dict[int, User], operator: User
) -> list[_Spec]:
    specs: list[_Spec] = []
    n = 0
    for stage, count, late in MIX:
        for i in range(count):
            # Every third case in Sukarasa (the demo PSM's kelurahan), the rest spread over the city.
            village = villages[0] if n % 3 == 0 else villages[rng.randrange(len(villages))]
            code, summary = STORIES[n % len(STORIES)]
            name = f"{NAMES[n % len(NAMES)]} ({n + 1})"
            supervisor = tksk.get(_kecamatan_id(village), operator)
            specs.append(
                _Spec(
                    stage,
                    i < late,
                    village,
                    psm[village.pk],
                    supervisor,
                    name,
                    code,
                    summary,
                    SOURCES[n % len(SOURCES)],
                )
            )
            n += 1
    return specs


def _timeline(spec: _Spec, rng: random.Random, now: datetime, days: dict[str, int]) -> list[tuple[str, datetime]]:
    """When the case entered each stage up to its own, the last one long enough ago to be overdue or not."""
    reached = ORDER[: ORDER.index(spec.stage) + 1]
    limit = days.get(spec.stage, 30)
    in_stage = limit + rng.randint(2, 10) if spec.overdue else rng.randint(0, max(limit - 1, 0))
    entered = [now - timedelta(days=in_stage, hours=rng.randint(1, 6))]
    for stage in reversed(reached[:-1]):
        entered.insert(0, entered[0] - timedelta(days=rng.randint(1, max(days.get(stage, 5) - 1, 1))))
    return list(zip(reached, entered, strict=True))


def seed_cases(*, psm_by_village: dict[int, User], tksk_by_kecamatan: dict[int, User], operator: User) -> Counter:
    created: Counter = Counter()
    villages = sorted((Region.objects.filter(pk__in=psm_by_village)), key=lambda r: r.code)
    if not villages:
        return created
    rng = random.Random(SEED)
    specs = _specs(rng, villages, psm_by_village, tksk_by_kecamatan, operator)
    existing = set(Case.objects.values_list("kelurahan_id", "subject_name", "summary"))
    categories = {c.code: c for c in Category.objects.filter(kind=Category.Kind.PPKS)}
    factors = list(RiskFactor.objects.filter(is_active=True))
    now, days = timezone.now(), stage_days()
    todo = [(s, _timeline(s, rng, now, days)) for s in specs]
    todo = [(s, t) for s, t in todo if (s.village.pk, s.name, s.summary) not in existing]
    if not todo:
        return created
    cases = [_case(spec, times, categories, rng) for spec, times in todo]
    Case.objects.bulk_create(cases)
    rows: dict[str, list] = {"assign": [], "events": [], "assess": [], "plans": [], "visits": [], "notes": []}
    for case, (spec, times) in zip(cases, todo, strict=True):
        _history(case, spec, times, factors, rng, rows)
    CaseAssignment.objects.bulk_create(rows["assign"])
    CaseEvent.objects.bulk_create(rows["events"])
    Assessment.objects.bulk_create(rows["assess"])
    Plan.objects.bulk_create(rows["plans"])
    HomeVisit.objects.bulk_create(rows["visits"])
    CaseNote.objects.bulk_create(rows["notes"])
    reopened = _reopen_one(cases, todo, operator)
    # created_at is set on insert; put it back to when each case was really opened.
    for case, (_spec, times) in zip(cases, todo, strict=True):
        Case.objects.filter(pk=case.pk).update(created_at=times[0][1])
    audit.record_many(operator, "cases.case.demo", cases)
    created["kasus"] = len(cases)
    created["kasus dibuka kembali"] = reopened
    return created


def _case(spec: _Spec, times: list[tuple[str, datetime]], categories: dict, rng: random.Random) -> Case:
    stage, entered = times[-1]
    closed = stage == Stage.CLOSED
    outcome, reason = OUTCOMES[rng.randrange(len(OUTCOMES))] if closed else ("", "")
    return Case(
        subject_name=spec.name,
        address=f"RT 00{rng.randint(1, 9)}/RW 00{rng.randint(1, 9)}, Kel. {spec.village.name}",
        source=spec.source,
        category=categories.get(spec.category),
        kelurahan=spec.village,
        kecamatan_id=_kecamatan_id(spec.village),
        summary=spec.summary,
        stage=stage,
        stage_started_at=entered,
        created_by=spec.worker,
        outcome=outcome,
        close_reason=reason,
        closed_at=entered if closed else None,
        reporter_name="Ketua RT" if spec.source == Case.Source.WALK_IN else "",
    )


def _history(case: Case, spec: _Spec, times, factors, rng: random.Random, rows: dict[str, list]) -> None:
    opened = times[0][1]
    rows["assign"].append(CaseAssignment(case=case, user=spec.worker, assigned_by=spec.worker, assigned_at=opened))
    rows["events"].append(
        CaseEvent(
            case=case,
            action="opened",
            actor=spec.worker,
            at=opened,
            to_status=Stage.INTAKE,
            reason=case.get_source_display(),
        )
    )
    for (before, _), (stage, at) in zip(times, times[1:], strict=False):
        action = "closed" if stage == Stage.CLOSED else "stage"
        text = f"{case.get_outcome_display()}: {case.close_reason}" if action == "closed" else ""
        actor = spec.supervisor if stage == Stage.INTERVENTION else spec.worker
        rows["events"].append(
            CaseEvent(case=case, action=action, actor=actor, at=at, from_status=before, to_status=stage, reason=text)
        )
    stages = dict(times)
    if Stage.ASSESSMENT in stages and factors:
        chosen = rng.sample(factors, rng.randint(1, 3))
        score = sum(f.weight for f in chosen)
        at = stages[Stage.ASSESSMENT] + timedelta(hours=3)
        rows["assess"].append(
            Assessment(
                case=case,
                assessed_by=spec.worker,
                assessed_at=at,
                score=score,
                risk_level=level_for(score),
                needs="Pendampingan dan bantuan dasar",
                factors=[{"code": f.code, "name": f.name, "weight": f.weight} for f in chosen],
            )
        )
        case.risk_level = level_for(score)
        Case.objects.filter(pk=case.pk).update(risk_level=case.risk_level)
    if Stage.PLANNING in stages:
        _plan(case, spec, stages, rows)
    if Stage.INTERVENTION in stages:
        visit_day = stages[Stage.INTERVENTION] + timedelta(days=1)
        rows["visits"].append(
            HomeVisit(
                case=case,
                visit_date=min(visit_day, timezone.now()).date(),
                recorded_by=spec.worker,
                recorded_at=min(visit_day, timezone.now()),
                visitors=f"{spec.worker}, ketua RT",
                findings="Kondisi membaik; bantuan sudah diterima, perlu kunjungan ulang.",
            )
        )
    if rng.random() < 0.3:
        text = "Keluarga meminta identitas pelapor dirahasiakan."
        rows["notes"].append(
            CaseNote(case=case, author=spec.worker, at=opened + timedelta(hours=2), text=text, confidential=True)
        )


def _plan(case: Case, spec: _Spec, stages: dict, rows: dict[str, list]) -> None:
    submitted = stages[Stage.PLANNING]
    approved = Stage.INTERVENTION in stages
    # A plan waits for the TKSK while the case is in planning; without a TKSK in the kecamatan, Dinsos decides.
    rows["plans"].append(
        Plan(
            case=case,
            author=spec.worker,
            submitted_at=submitted,
            goals="Kebutuhan dasar terpenuhi dan ada pendamping.",
            actions="Kunjungan rumah, rujukan ke OPD terkait, usulan program bantuan.",
            target_date=(submitted + timedelta(days=60)).date(),
            status=Plan.Status.APPROVED if approved else Plan.Status.PENDING,
            decided_by=spec.supervisor if approved else None,
            decided_at=stages.get(Stage.INTERVENTION),
        )
    )
    if approved:
        rows["events"].append(
            CaseEvent(case=case, action="plan_approved", actor=spec.supervisor, at=stages[Stage.INTERVENTION])
        )


def _reopen_one(cases: list[Case], todo, operator: User) -> int:
    """The first closed case comes back: reopened into assessment, as the service does."""
    closed = [c for c in cases if c.stage == Stage.CLOSED]
    if not closed:
        return 0
    case, now = closed[0], timezone.now() - timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(
        stage=Stage.ASSESSMENT, stage_started_at=now, outcome="", close_reason="", closed_at=None, reopen_count=1
    )
    CaseEvent.objects.create(
        case=case,
        action="reopened",
        actor=operator,
        at=now,
        from_status=Stage.CLOSED,
        to_status=Stage.ASSESSMENT,
        reason="Warga melapor lansia kembali terlantar.",
    )
    return 1


def case_totals() -> dict[str, int]:
    return {
        "Kasus": Case.objects.count(),
        "Kasus terbuka": Case.objects.open().count(),
        "Kasus terlambat": Case.objects.open().overdue().count(),
    }


HISTORY_MARK = "(riwayat)"
HISTORY_MONTHS = 36


def seed_case_history(*, psm_by_village: dict[int, User], operator: User) -> Counter:
    """Three years of cases opened and closed, 5–12 a month, so that the case trends and reports show movement.

    Closed cases only (the open ones above are today's work); each with its assignment and its opened and
    closed events. Skipped when the history is already there.
    """
    created: Counter = Counter()
    villages = sorted((Region.objects.filter(pk__in=psm_by_village)), key=lambda r: r.code)
    if not villages or Case.objects.filter(summary__endswith=HISTORY_MARK).exists():
        return created
    rng, now = random.Random(SEED + HISTORY_MONTHS), timezone.now()
    categories = {c.code: c for c in Category.objects.filter(kind=Category.Kind.PPKS)}
    first = timezone.localdate().replace(day=1)
    cases: list[Case] = []
    opened_at: list[datetime] = []
    closed_at: list[datetime] = []
    for back in range(HISTORY_MONTHS, 0, -1):
        index = first.year * 12 + first.month - 1 - back
        month = datetime(index // 12, index % 12 + 1, 1, 8, tzinfo=timezone.get_current_timezone())
        for _ in range(rng.randint(5, 12)):
            village, (code, story) = villages[rng.randrange(len(villages))], STORIES[rng.randrange(len(STORIES))]
            opened = month + timedelta(days=rng.randint(0, 27), hours=rng.randint(0, 8))
            closed = min(opened + timedelta(days=rng.randint(7, 75)), now - timedelta(hours=1))
            outcome, reason = OUTCOMES[rng.randrange(len(OUTCOMES))]
            cases.append(
                Case(
                    subject_name=NAMES[rng.randrange(len(NAMES))],
                    address=f"Kel. {village.name}",
                    source=SOURCES[rng.randrange(len(SOURCES))],
                    category=categories.get(code),
                    kelurahan=village,
                    kecamatan_id=_kecamatan_id(village),
                    summary=f"{story} {HISTORY_MARK}",
                    stage=Stage.CLOSED,
                    stage_started_at=closed,
                    created_by=psm_by_village[village.pk],
                    outcome=outcome,
                    close_reason=reason,
                    closed_at=closed,
                )
            )
            opened_at.append(opened)
            closed_at.append(closed)
    Case.objects.bulk_create(cases, batch_size=1000)
    for case, opened in zip(cases, opened_at, strict=True):
        case.created_at = opened  # set on insert; put back to when the case was opened
    Case.objects.bulk_update(cases, ["created_at"], batch_size=1000)
    CaseAssignment.objects.bulk_create(
        [CaseAssignment(case=c, user=c.created_by, assigned_by=c.created_by, assigned_at=c.created_at) for c in cases]
    )
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=c,
                action="opened",
                actor=c.created_by,
                at=c.created_at,
                to_status=Stage.INTAKE,
                reason=c.get_source_display(),
            )
            for c in cases
        ]
        + [
            CaseEvent(
                case=c,
                action="closed",
                actor=c.created_by,
                at=closed,
                from_status=Stage.MONITORING,
                to_status=Stage.CLOSED,
                reason=f"{c.get_outcome_display()}: {c.close_reason}",
            )
            for c, closed in zip(cases, closed_at, strict=True)
        ],
        batch_size=1000,
    )
    audit.record_many(operator, "cases.case.demo", cases)
    created["kasus (riwayat 36 bulan)"] = len(cases)
    return created
