"""``/api/v1/duplicates``: the duplicate review of the ``registri/duplikat/`` pages, with the same scope,
permission (``registry.dedup_review``) and services.

- ``GET /duplicates/?status=terbuka|digabung|bukan_duplikat`` — candidate pairs, highest score first;
- ``GET /duplicates/{id}``;
- ``POST /duplicates/{id}/merge`` with ``{"keep": <person id>}`` — merge the other person into ``keep``;
- ``POST /duplicates/{id}/dismiss`` — "bukan duplikat": never proposed again.

A pair outside the user's area answers 404; without the permission 403; a pair already decided, or two
persons with different NIKs, 409.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from pilar.accounts.permissions import Perm, can
from pilar.api.pagination import LoggedPage, Page
from pilar.registry.dedup import services
from pilar.registry.dedup_views import candidates_for, get_candidate_for_user
from pilar.registry.models import DuplicateCandidate

router = Router(tags=["registri sosial"])


class DuplicateOut(Schema):
    id: int
    person_a: int
    person_b: int
    score: float
    status: str
    reasons: list[str]
    kelurahan: str | None
    decided_at: datetime | None


class DuplicateFilter(Schema):
    status: DuplicateCandidate.Status | None = None


class MergeIn(Schema):
    keep: int


def duplicate_out(request, candidate: DuplicateCandidate) -> dict[str, Any]:
    return {
        "id": candidate.pk,
        "person_a": candidate.person_a_id,
        "person_b": candidate.person_b_id,
        "score": float(candidate.score),
        "status": candidate.status,
        "reasons": candidate.reasons,
        "kelurahan": candidate.kelurahan.code if candidate.kelurahan is not None else None,
        "decided_at": candidate.decided_at,
    }


@router.get("/", response=list[DuplicateOut])
@paginate(Page)
def list_duplicates(request, filters: Query[DuplicateFilter]):
    """Kandidat duplikat di wilayah pengguna, skor tertinggi dahulu. Filter ``status``
    (``terbuka``, ``digabung``, ``bukan_duplikat``)."""
    qs = candidates_for(request.user).select_related("kelurahan").order_by("-score", "id")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return LoggedPage(request, qs, duplicate_out, unmasked=can(request.user, Perm.PPKS_VIEW_PERSONAL))


@router.get("/{candidate_id}", response=DuplicateOut)
def get_duplicate(request, candidate_id: int):
    return duplicate_out(request, get_candidate_for_user(request.user, candidate_id))


@router.post("/{candidate_id}/merge", response=DuplicateOut)
def merge_duplicate(request, candidate_id: int, payload: MergeIn):
    """Gabungkan: data PPKS, keanggotaan KK dan NIK orang yang lain pindah ke ``keep``; data PPKS terbuka
    yang berkategori sama ditutup sebagai ganda (riwayatnya tetap)."""
    candidate = get_candidate_for_user(request.user, candidate_id)
    if payload.keep not in (candidate.person_a_id, candidate.person_b_id):
        raise ValidationError({"keep": [_("Pilih salah satu dari dua orang dalam pasangan ini.")]})
    keep = candidate.person_a if payload.keep == candidate.person_a_id else candidate.person_b
    services.duplicate_merge(candidate=candidate, actor=request.user, keep=keep)
    candidate.refresh_from_db()
    return duplicate_out(request, candidate)


@router.post("/{candidate_id}/dismiss", response=DuplicateOut)
def dismiss_duplicate(request, candidate_id: int):
    """Bukan duplikat: pasangan ini tidak akan diusulkan lagi."""
    candidate = services.duplicate_mark_distinct(
        candidate=get_candidate_for_user(request.user, candidate_id), actor=request.user
    )
    return duplicate_out(request, candidate)
