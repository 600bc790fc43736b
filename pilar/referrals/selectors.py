"""Reads of referrals for pages, API, the case timeline and the statistics, always from the user's scope."""

import statistics
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pilar.accounts.models import Agency
from pilar.accounts.permissions import Perm, access_for, can
from pilar.cases.models import Case
from pilar.core.listing import ListFilter
from pilar.referrals.models import Referral, ReferralEvent, ReferralStatus
from pilar.referrals.querysets import ReferralQuerySet

S = ReferralStatus
ANSWERED = (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED)


@dataclass(frozen=True)
class ReferralFilter(ListFilter):
    status: str = ""
    agency: str = ""  # agency code
    kecamatan: str = ""  # region code
    overdue: str = ""  # "1": only the overdue ones


def with_case_brief(qs: ReferralQuerySet) -> ReferralQuerySet:
    """What any list shows of the case: its subject's name and category, nothing more."""
    return qs.listing().select_related("case__person", "case__household__head", "case__category")


def referral_list(user: Any, filters: ReferralFilter = ReferralFilter()) -> QuerySet[Referral]:
    qs = Referral.objects.visible_to(user)
    if filters.status in S.values:
        qs = qs.filter(status=filters.status)
    elif filters.status:
        qs = qs.none()
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    qs = qs.filter_area(kecamatan=filters.kecamatan)
    if filters.overdue == "1":
        qs = qs.overdue()
    # Unanswered first: the inbox is worked from the top.
    return with_case_brief(qs).order_by("-sent_at", "-id")


def get_referral_for_user(user: Any, pk: int, perm: Perm | None = None) -> Referral:
    """The referral if the user may see it (404 otherwise); 403 when it is visible but ``perm`` is not theirs.

    Answering (``REFERRAL_DECIDE``) is for the receiving agency's users, or Dinsos staff on its behalf.
    """
    referral = get_object_or_404(with_case_brief(Referral.objects.visible_to(user)), pk=pk)
    allowed = may_decide(user, referral) if perm == Perm.REFERRAL_DECIDE else perm is None or can(user, perm)
    if not allowed:
        raise PermissionDenied
    return referral


def may_decide(user: Any, referral: Referral) -> bool:
    """Whether ``user`` may accept, decline, process or complete ``referral``."""
    return Referral.objects.decidable_by(user).filter(pk=referral.pk).exists()


def case_for_sending(user: Any, case_id: int) -> Case:
    """A case the user may refer: visible to them (404 otherwise), in their area with ``REFERRAL_SEND`` (403)."""
    case = get_object_or_404(
        Case.objects.visible_to(user).select_related("kelurahan", "kecamatan", "category"), pk=case_id
    )
    access = access_for(user)
    assigned = case.assignments.filter(user=user).exists()
    if Perm.REFERRAL_SEND not in access.perms or not (can(user, Perm.REFERRAL_SEND, case) or assigned):
        raise PermissionDenied
    return case


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")


def referrals_for_case(case: Case) -> list[Referral]:
    """Every referral of the case with its events in order, for the case's timeline.

    The case page has already decided that its reader may see the case, hence no user here.
    """
    events = Prefetch("events", queryset=ReferralEvent.objects.select_related("actor").order_by("at", "id"))
    return list(
        Referral.objects.filter(case=case)
        .select_related("agency", "sent_by", "decided_by", "completed_by")
        .prefetch_related(events)
        .order_by("sent_at", "id")
    )


# --- statistics ---------------------------------------------------------------------------------


@dataclass
class AgencyStats:
    agency: Agency
    sent: int = 0
    accepted: int = 0
    declined: int = 0
    open: int = 0
    completed: int = 0
    overdue: int = 0
    median_days: float | None = None  # from sending to completion, completed referrals only


def case_timeline_items(case: Case) -> list[dict[str, Any]]:
    """Every step of every referral of the case, for the case's timeline (registered in ReferralsConfig)."""
    return [
        {"kind": "referral", "at": e.at, "actor": e.actor, "obj": e, "referral": r, "agency": r.agency}
        for r in referrals_for_case(case)
        for e in r.events.all()
    ]


def agency_stats(user: Any, *, today: date | None = None) -> list[AgencyStats]:
    """Per agency, over the referrals the user may see: an agency user thus sees its own agency only."""
    today = today or timezone.localdate()
    visible = Referral.objects.visible_to(user)
    counts = visible.values("agency_id").annotate(
        sent=Count("id"),
        accepted=Count("id", filter=Q(status__in=ANSWERED)),
        declined=Count("id", filter=Q(status=S.DECLINED)),
        open=Count("id", filter=Q(status__in=[S.SENT, S.ACCEPTED, S.IN_PROGRESS])),
        completed=Count("id", filter=Q(status=S.COMPLETED)),
        overdue=Count("id", filter=Q(status=S.SENT, answer_due__lt=today)),
    )
    rows = {c["agency_id"]: c for c in counts}
    durations: dict[int, list[int]] = {}
    for agency_id, sent_at, done in visible.filter(status=S.COMPLETED).values_list(
        "agency_id", "sent_at", "completed_on"
    ):
        if done is not None:  # always, for a completed referral (a database constraint)
            durations.setdefault(agency_id, []).append((done - timezone.localdate(sent_at)).days)
    result = []
    for agency in Agency.objects.filter(pk__in=rows).order_by("name"):
        row: dict[str, Any] = {k: v for k, v in rows[agency.pk].items() if k != "agency_id"}
        days = durations.get(agency.pk)
        result.append(AgencyStats(agency=agency, median_days=statistics.median(days) if days else None, **row))
    return result


def counts_by(user: Any, *fields: str) -> list[dict[str, Any]]:
    """Referrals the user may see, counted by ``fields`` (e.g. agency code and status) and status."""
    rows = (
        Referral.objects.visible_to(user)
        .values(*fields, "status")
        .annotate(count=Count("id"))
        .order_by(*fields, "status")
    )
    return list(rows)
