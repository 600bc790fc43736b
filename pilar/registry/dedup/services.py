"""State changes of duplicate detection: scan, mark distinct, merge. One function each, in a transaction,
with its audit entry.

A merged person is not deleted: records, memberships and the worker link PROTECT it, and the audit
trail must keep pointing at a real id. Instead everything it had moves to the kept person, and the
audit entry ``registry.person.merged`` on the merged person (with both ids) is the mark: the scan
reads those entries and never proposes that person again. Person gets no extra field for this.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.core.errors import DomainError
from pilar.identity.models import Person
from pilar.registry.dedup.engine import MERGED_ACTION, find_pairs, load_persons, store_candidates
from pilar.registry.dedup.scoring import reasons, score
from pilar.registry.models import DuplicateCandidate, HouseholdMember, PpksRecord, PpksStatus

OPEN = DuplicateCandidate.Status.OPEN
FILLED_ON_MERGE = ("birth_date", "birth_place", "village", "address", "rt", "rw", "phone")


@transaction.atomic
def duplicates_scan(*, actor: User | None, person_ids: list[int] | None = None) -> int:
    """Propose new candidate pairs over the whole registry, or only around ``person_ids`` (after an import).

    Returns the number of new candidates. Pairs already stored, open or decided, are left as they are.
    A scan around some persons reads the whole registry and uses the same blocking keys as the full scan,
    only over the blocks that hold one of those persons: a narrower read (same name, same date) would miss
    exactly the mistakes the keys are there for.
    """
    focus = set(person_ids) if person_ids is not None else None
    if focus is not None and not focus:
        return 0
    persons = load_persons()
    created = store_candidates(find_pairs(persons, focus=focus), persons)
    if created:
        scope = "full" if focus is None else "persons"
        audit.record_many(actor, "registry.duplicate.proposed", created, data={"scan": scope})
    return len(created)


def _open(candidate: DuplicateCandidate) -> DuplicateCandidate:
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != OPEN:
        raise DomainError(_("Kandidat duplikat ini sudah diputuskan."), code="conflict")
    return candidate


def _decide(candidate: DuplicateCandidate, actor: User, status: str) -> None:
    candidate.status, candidate.decided_by, candidate.decided_at = status, actor, timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])


@transaction.atomic
def duplicate_mark_distinct(*, candidate: DuplicateCandidate, actor: User) -> DuplicateCandidate:
    """Two different persons: the pair stays stored as decided, so no later scan proposes it again."""
    candidate = _open(candidate)
    _decide(candidate, actor, DuplicateCandidate.Status.DISTINCT)
    audit.record(
        actor,
        "registry.duplicate.distinct",
        candidate,
        data={"person_a": candidate.person_a_id, "person_b": candidate.person_b_id},
    )
    return candidate


@transaction.atomic
def duplicate_merge(*, candidate: DuplicateCandidate, actor: User, keep: Person) -> Person:
    """Move the other person's PPKS records and household memberships to ``keep``; the other stays, marked."""
    candidate = _open(candidate)
    if keep.pk not in (candidate.person_a_id, candidate.person_b_id):
        raise DomainError(_("Pilih salah satu dari dua orang dalam pasangan ini."), field="keep")
    drop_id = candidate.person_b_id if keep.pk == candidate.person_a_id else candidate.person_a_id
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    drop = Person.objects.select_for_update().get(pk=drop_id)
    _check_mergeable(keep, drop)
    changes = _take_identity(keep, drop)
    records = _move_records(keep, drop, actor)
    memberships = _move_memberships(keep, drop)
    repointed = _repoint_pairs(keep, drop, candidate)
    _decide(candidate, actor, DuplicateCandidate.Status.MERGED)
    data = {
        "kept": keep.pk,
        "merged": drop.pk,
        "candidate": candidate.pk,
        "records": records,
        "memberships": memberships,
        "repointed": repointed,
    }
    audit.record(actor, MERGED_ACTION, drop, data=data)
    audit.record(actor, "registry.person.merge_kept", keep, changes=changes, data=data)
    audit.record(actor, "registry.duplicate.merged", candidate, data=data)
    return keep


def _repoint_pairs(keep: Person, drop: Person, candidate: DuplicateCandidate) -> list[int]:
    """The merged person's other open pairs now concern the kept person: each is moved to it and scored
    again on the kept person's data (nothing a reviewer was shown is lost). Where the kept person already
    has a pair with that third person, open or decided, that one stands and the moved one goes."""
    pending = DuplicateCandidate.objects.select_for_update().filter(Q(person_a=drop) | Q(person_b=drop), status=OPEN)
    others = list(pending.exclude(pk=candidate.pk))
    if not others:
        return []
    third = {c.person_b_id if c.person_a_id == drop.pk else c.person_a_id for c in others}
    existing = set(
        DuplicateCandidate.objects.filter(
            Q(person_a=keep, person_b__in=third) | Q(person_b=keep, person_a__in=third)
        ).values_list("person_a_id", "person_b_id")
    )
    # load_persons skips merged persons: the merge is not recorded yet, so ``drop`` is still read, and unused.
    facts = {p.id: p for p in load_persons(Q(pk__in={keep.pk, *third}))}
    moved = []
    for pair in others:
        other = pair.person_b_id if pair.person_a_id == drop.pk else pair.person_a_id
        a, b = sorted((keep.pk, other))
        if (a, b) in existing or other not in facts:
            pair.delete()
            continue
        pair.person_a_id, pair.person_b_id = a, b
        pair.score, pair.reasons = Decimal(f"{score(facts[a], facts[b]):.3f}"), reasons(facts[a], facts[b])
        pair.save(update_fields=["person_a", "person_b", "score", "reasons", "updated_at"])
        moved.append(pair.pk)
    return moved


def _check_mergeable(keep: Person, drop: Person) -> None:
    if keep.nik and drop.nik and keep.nik != drop.nik:
        # Two NIKs are two persons for Dukcapil; merging here would hide one of them.
        raise DomainError(
            _("Dua data ini memiliki NIK berbeda dan tidak dapat digabung. Selesaikan NIK ganda ke Dukcapil."),
            code="different_nik",
        )
    if hasattr(drop, "worker"):
        raise DomainError(
            _("Data yang akan digabung terdaftar sebagai PSM/TKSK: pilih data tersebut sebagai yang dipertahankan."),
            field="keep",
        )


def _take_identity(keep: Person, drop: Person) -> dict[str, list[Any]]:
    """The NIK and facts that only the merged person had; the NIK is freed first (it is unique)."""
    before = audit.snapshot(keep, ("nik", *FILLED_ON_MERGE))
    if drop.nik and not keep.nik:
        keep.nik, drop.nik = drop.nik, None
        drop.save(update_fields=["nik", "updated_at"])
    for field in FILLED_ON_MERGE:
        if not getattr(keep, field) and getattr(drop, field):
            setattr(keep, field, getattr(drop, field))
    keep.save()
    changes: dict[str, list[Any]] = audit.diff(before, audit.snapshot(keep, ("nik", *FILLED_ON_MERGE)))
    return changes


# How far a record has come: of two open records of one category, the further one stays open.
_PROGRESS = {PpksStatus.VALIDATED: 3, PpksStatus.VERIFIED: 2, PpksStatus.PROPOSED: 1, PpksStatus.NEEDS_FIX: 0}


def _move_records(keep: Person, drop: Person, actor: User) -> int:
    """The merged person's records move to ``keep``; where both had an open record of one category, one stays
    open (the further in verval, else the older) and the other is closed as ``ditolak`` with a
    ``merged_closed`` event naming the one kept: its history stays readable, and the kept person never holds
    two open records of one category."""
    moved = list(PpksRecord.objects.select_for_update().filter(person=drop).order_by("id"))
    for record in moved:
        record.person = keep
        record.save(update_fields=["person", "updated_at"])
        twin = (
            PpksRecord.objects.select_for_update()
            .open()
            .filter(person=keep, category_id=record.category_id)
            .exclude(pk=record.pk)
            .order_by("id")
            .first()
        )
        if twin is None or record.status not in _PROGRESS:
            continue
        stays, closes = sorted((twin, record), key=lambda r: (-_PROGRESS[r.status], r.pk))
        old = closes.status
        closes.status, closes.duplicate_of = PpksStatus.REJECTED, stays
        closes.save(update_fields=["status", "duplicate_of", "updated_at"])
        reason = _("Data ganda: orangnya digabung; data #%(id)d tetap berlaku.") % {"id": stays.pk}
        audit.record_transition(
            actor,
            "registry.ppks.merged_closed",
            closes,
            (old, closes.status),
            closes.events,
            data={"kept_record": stays.pk},
            reason=reason,
        )
    return len(moved)


def _move_memberships(keep: Person, drop: Person) -> int:
    """Past memberships move as they are; a current one moves only if ``keep`` has none (one KK at a time)."""
    current = HouseholdMember.objects.filter(person=drop, until__isnull=True).select_related("household").first()
    if current is not None:
        if HouseholdMember.objects.filter(person=keep, until__isnull=True).exists():
            current.until = timezone.localdate()
            current.save(update_fields=["until", "updated_at"])
        elif current.household.head_id == drop.pk:
            current.household.head = keep
            current.household.save(update_fields=["head", "updated_at"])
    return HouseholdMember.objects.filter(person=drop).update(person=keep)
