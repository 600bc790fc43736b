"""Demo referrals: cases of the demo referred to several agencies, in every state, with their history.

Written directly (not through the services) so that the history spreads over past weeks, which
the median days and the overdue list need; each row still gets its events and an audit entry.
Idempotent: once the demo's referrals are there (their audit entries say so), nothing more is written.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from pilar import audit
from pilar.accounts.models import Agency, User
from pilar.audit.models import AuditEntry
from pilar.cases.models import Case
from pilar.notifications.services import notify
from pilar.referrals.models import Referral, ReferralEvent, ReferralStatus
from pilar.referrals.services import agency_users, answer_days

S = ReferralStatus
A = ReferralEvent.Action


@dataclass(frozen=True)
class Plan:
    agency: str
    status: str
    days_ago: int  # when it was sent
    took: int = 0  # days from sending to completion (selesai)
    reason: str = ""


PLANS = [
    Plan("dinkes", S.SENT, 1, reason="Pemeriksaan kesehatan di rumah; tidak mampu ke puskesmas."),
    Plan("dinkes", S.SENT, 7, reason="Pendampingan berobat jalan; keluarga minta bantuan."),
    Plan("dinkes", S.ACCEPTED, 4, reason="Pemeriksaan gizi dan kesehatan anggota keluarga."),
    Plan("dinkes", S.IN_PROGRESS, 12, reason="Perawatan luka dan kontrol rutin di rumah."),
    Plan("dinkes", S.COMPLETED, 30, 6, "Pemeriksaan kesehatan dan rujukan ke RSUD."),
    Plan("dinkes", S.DECLINED, 9, reason="Permintaan kursi roda."),
    Plan("disnaker", S.SENT, 2, reason="Pelatihan kerja untuk kepala keluarga yang baru kena PHK."),
    Plan("disnaker", S.IN_PROGRESS, 15, reason="Penempatan kerja bagi anggota keluarga usia kerja."),
    Plan("disnaker", S.COMPLETED, 40, 12, "Pelatihan keterampilan menjahit untuk penghasilan keluarga."),
    Plan("dp3ap2kb", S.ACCEPTED, 3, reason="Pendampingan psikologis setelah kekerasan dalam keluarga."),
    Plan("dp3ap2kb", S.COMPLETED, 25, 5, "Perlindungan dan rumah aman sementara."),
    Plan("dp3ap2kb", S.SENT, 8, reason="Konseling keluarga; anak bekerja di jalan."),
    Plan("disdik", S.COMPLETED, 45, 14, "Anak dalam keluarga putus sekolah; daftar kembali (Tangerang Cerdas)."),
    Plan("disdik", S.DECLINED, 10, reason="Beasiswa untuk anak dalam keluarga."),
    Plan("disperkimtan", S.IN_PROGRESS, 20, reason="Rumah tidak layak huni, atap roboh (Bedah Rumah)."),
    Plan("bpjs", S.COMPLETED, 18, 3, "Pendaftaran PBI-JK untuk keluarga miskin."),
    Plan("bpjs", S.SENT, 0, reason="Kartu BPJS tidak aktif; perlu pengaktifan kembali."),
    Plan("kelurahan", S.ACCEPTED, 2, reason="Surat keterangan tidak mampu untuk berobat."),
    Plan("dukcapil", S.COMPLETED, 22, 6, "Penerbitan NIK dan KK; belum punya dokumen kependudukan."),
]
DEMO_ACTION = "referrals.referral.demo"  # the audit entries of the demo's referrals mark it as seeded
OUTCOME = "Layanan diberikan sesuai permintaan; petugas kasus sudah dikabari."
DECLINE = "Di luar kewenangan instansi; disarankan ke OPD lain."


def _sender(case: Case, operator: User) -> User:
    assignment = case.assignments.select_related("user").order_by("id").first()
    return assignment.user if assignment else operator


def _history(referral: Referral, plan: Plan) -> list[ReferralEvent]:
    r, decider, decided_at = referral, referral.decided_by, referral.decided_at
    events = [ReferralEvent(action=A.SENT, to_status=S.SENT, actor=r.sent_by, at=r.sent_at, note=plan.reason)]

    def step(action: str, old: str, new: str, at: datetime, note: str = "") -> None:
        # Every answer after sending is the agency's decider's.
        events.append(ReferralEvent(action=action, from_status=old, to_status=new, actor=decider, at=at, note=note))

    # ``_referral`` dates every answer: an answered plan has its decided_at, a completed one its two dates more.
    if plan.status == S.DECLINED and decided_at is not None:
        step(A.DECLINED, S.SENT, S.DECLINED, decided_at, DECLINE)
    elif plan.status not in (S.SENT, S.DECLINED) and decided_at is not None:
        step(A.ACCEPTED, S.SENT, S.ACCEPTED, decided_at)
        if r.processed_at:
            step(A.PROCESSING, S.ACCEPTED, S.IN_PROGRESS, r.processed_at)
        if plan.status == S.COMPLETED and r.processed_at is not None and r.completed_on is not None:
            done = max(r.processed_at, datetime.combine(r.completed_on, time(14), tzinfo=r.sent_at.tzinfo))
            step(A.COMPLETED, S.IN_PROGRESS, S.COMPLETED, min(done, timezone.now()), OUTCOME)
    for event in events:
        event.referral = referral
    return events


def _referral(case: Case, agency: Agency, plan: Plan, sender: User, decider: User) -> Referral:
    now = timezone.now()
    # Never before the case was opened (the cases demo dates its cases back), never after now.
    sent_at = min(max(now - timedelta(days=plan.days_ago, hours=2), case.created_at + timedelta(hours=1)), now)

    def later(days: int) -> datetime:
        return min(sent_at + timedelta(days=days), now)

    took = min(plan.took, (now - sent_at).days)
    decided, processing = plan.status != S.SENT, plan.status in (S.IN_PROGRESS, S.COMPLETED)
    return Referral(
        case=case,
        agency=agency,
        status=plan.status,
        kelurahan_id=case.kelurahan_id,
        kecamatan_id=case.kecamatan_id,
        reason=plan.reason,
        contact_name=str(sender)[:150],
        contact_phone=sender.phone,
        sent_by=sender,
        sent_at=sent_at,
        answer_due=timezone.localdate(sent_at) + timedelta(days=answer_days()),
        decided_by=decider if decided else None,
        decided_at=later(1) if decided else None,
        decline_reason=DECLINE if plan.status == S.DECLINED else "",
        processed_at=later(min(2, took) if plan.status == S.COMPLETED else 2) if processing else None,
        completed_by=decider if plan.status == S.COMPLETED else None,
        completed_on=timezone.localdate(later(took)) if plan.status == S.COMPLETED else None,
        outcome=OUTCOME if plan.status == S.COMPLETED else "",
    )


def _pick(cases: list[Case], plan: Plan, agency: Agency, taken: set[tuple[int, int]], start: int) -> Case | None:
    """A case old enough for the plan's dates, not yet referred to ``agency``; the oldest free one otherwise."""
    oldest_first = cases[start:] + cases[:start]
    free = [c for c in oldest_first if (c.pk, agency.pk) not in taken]
    cutoff = timezone.now() - timedelta(days=plan.days_ago + 1)
    return next((c for c in free if c.created_at <= cutoff), min(free, key=lambda c: c.created_at, default=None))


def seed_referrals(*, operator: User) -> Counter:
    """Referrals of the demo's open cases to the agencies in ``PLANS``; returns what was created (once)."""
    created: Counter = Counter()
    if AuditEntry.objects.filter(action=DEMO_ACTION).exists():
        return created  # the demo's referrals are there already
    cases = list(Case.objects.open().order_by("created_at", "id")[: 3 * len(PLANS)])
    agencies = {a.code: a for a in Agency.objects.filter(code__in={p.agency for p in PLANS})}
    taken = set(Referral.objects.values_list("case_id", "agency_id"))
    new: list[tuple[Referral, Plan]] = []
    for i, plan in enumerate(PLANS):
        agency = agencies.get(plan.agency)
        if agency is None or not cases:
            continue
        case = _pick(cases, plan, agency, taken, i % len(cases))
        if case is None:
            continue
        taken.add((case.pk, agency.pk))
        decider = next(iter(agency_users(agency.pk)), operator)  # Dinsos records the answer for agencies without users
        new.append((_referral(case, agency, plan, _sender(case, operator), decider), plan))
    if not new:
        return created
    Referral.objects.bulk_create([r for r, _ in new])
    ReferralEvent.objects.bulk_create([e for r, plan in new for e in _history(r, plan)])
    audit.record_many(operator, DEMO_ACTION, [r for r, _ in new])
    for referral, _plan in new:
        if referral.status == S.SENT:
            notify(
                recipients=agency_users(referral.agency_id),
                kind="referrals.received",
                title=f"Rujukan baru dari Dinas Sosial: kasus di Kel. {referral.kelurahan.name}",
                url=referral.get_absolute_url(),
            )
    created["rujukan"] = len(new)
    return created


def referral_totals() -> dict[str, int]:
    return {
        "Rujukan ke OPD": Referral.objects.count(),
        "OPD tujuan rujukan": Referral.objects.values("agency").distinct().count(),
        "Rujukan terlambat dijawab": Referral.objects.overdue().count(),
    }
