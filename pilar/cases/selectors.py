"""Reads of cases for pages and API, always from the user's scope (``Case.objects.visible_to``)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pilar.cases import access
from pilar.cases.models import OPEN_STAGES, Case, CaseAssignment, Stage
from pilar.cases.reference import stage_limits
from pilar.core.listing import ListFilter
from pilar.identity.search import name_q

TRUE = {"1", "true", "ya", "on"}
STAGE_LABELS = dict(Stage.choices)


@dataclass(frozen=True)
class CaseFilter(ListFilter):
    kecamatan: str = ""
    kelurahan: str = ""
    stage: str = ""
    risk: str = ""
    overdue: str = ""
    mine: str = ""
    worker: str = ""  # a username: the cases that worker holds (within the reader's scope)
    q: str = ""  # a name, or a case reference (KS-000123)


def case_list(
    user: Any, filters: CaseFilter = CaseFilter(), limits: dict[str, timedelta] | None = None
) -> QuerySet[Case]:
    qs = Case.objects.visible_to(user).listing().filter_area(kecamatan=filters.kecamatan, kelurahan=filters.kelurahan)
    if filters.stage == "terbuka":
        qs = qs.open()
    elif filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.risk:
        qs = qs.filter(risk_level=filters.risk)
    if filters.overdue.lower() in TRUE:
        qs = qs.overdue(limits=limits)
    if filters.mine.lower() in TRUE:
        qs = qs.filter(pk__in=CaseAssignment.objects.filter(user=user).values("case_id"))
    if filters.q:
        qs = _search(qs, filters.q)
    if filters.worker:
        qs = qs.filter(pk__in=CaseAssignment.objects.filter(user__username=filters.worker).values("case_id"))
    return qs.order_by("-id")


def _search(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    reference = q.strip().upper().removeprefix("KS-")
    if reference.isdigit():
        return qs.filter(pk=int(reference))
    return qs.filter(Q(subject_name__icontains=q.strip()) | name_q(q, "person__"))


def due_at(case: Case, limits: dict[str, timedelta] | None = None) -> datetime | None:
    """When the case's current stay in its stage runs out (None once closed). Pass ``limits`` for a list."""
    limit = (limits if limits is not None else stage_limits()).get(case.stage)
    return case.stage_started_at + limit if limit else None


def is_overdue(case: Case, limits: dict[str, timedelta] | None = None) -> bool:
    due = due_at(case, limits)
    return due is not None and due < timezone.now()


# Other apps that add steps to a case's timeline (referrals do), registered from their AppConfig.ready():
# cases sits below them and never imports them. Each source takes the case and returns timeline items.
TIMELINE_SOURCES: list[Callable[[Case], list[dict[str, Any]]]] = []


def timeline(user: Any, case: Case) -> tuple[list[dict[str, Any]], bool]:
    """Everything that happened, oldest first, and whether confidential notes were among what is shown."""
    items: list[dict[str, Any]] = []
    for e in case.events.select_related("actor"):
        items.append(
            {
                "kind": "event",
                "at": e.at,
                "actor": e.actor,
                "obj": e,
                "from": STAGE_LABELS.get(e.from_status, ""),
                "to": STAGE_LABELS.get(e.to_status, ""),
            }
        )
    notes = case.notes.select_related("author")
    confidential_shown = False
    if not access.sees_confidential(user, case):
        notes = notes.filter(confidential=False)
    for n in notes:
        confidential_shown |= n.confidential
        items.append({"kind": "note", "at": n.at, "actor": n.author, "obj": n})
    for v in case.visits.select_related("recorded_by"):
        items.append({"kind": "visit", "at": v.recorded_at, "actor": v.recorded_by, "obj": v})
    for d in case.documents.select_related("uploaded_by"):
        items.append({"kind": "document", "at": d.uploaded_at, "actor": d.uploaded_by, "obj": d})
    for a in case.assessments.select_related("assessed_by"):
        items.append({"kind": "assessment", "at": a.assessed_at, "actor": a.assessed_by, "obj": a})
    for source in TIMELINE_SOURCES:
        items.extend(source(case))
    epoch = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    items.sort(key=lambda i: i["at"] or epoch)
    return items, confidential_shown


def counts(user: Any) -> dict[str, list[dict[str, Any]]]:
    """Open cases by stage and overdue, per kecamatan and per kelurahan, within the user's scope."""
    visible = Case.objects.visible_to(user).open()
    overdue_ids = visible.overdue().values("pk")
    result: dict[str, list[dict[str, Any]]] = {}
    for level in ("kecamatan", "kelurahan"):
        stage_counts = {s: Count("id", filter=Q(stage=s)) for s in OPEN_STAGES}
        rows = (
            visible.values(f"{level}__code", f"{level}__name")
            .annotate(total=Count("id"), overdue=Count("id", filter=Q(pk__in=overdue_ids)), **stage_counts)
            .order_by(f"{level}__code")
        )
        result[level] = [
            {
                "code": r[f"{level}__code"],
                "name": r[f"{level}__name"],
                "open": r["total"],
                "overdue": r["overdue"],
                "by_stage": {s: r[s] for s in OPEN_STAGES},
            }
            for r in rows
        ]
    return result


def overdue_by_worker(user: Any, limits: dict[str, timedelta] | None = None) -> list[dict[str, Any]]:
    overdue = Case.objects.visible_to(user).open().overdue(limits=limits).values("pk")
    rows = (
        CaseAssignment.objects.filter(case__in=overdue)
        .values("user__username", "user__full_name")
        .annotate(n=Count("case", distinct=True))
        .order_by("-n", "user__username")
    )
    return [
        {"username": r["user__username"], "name": r["user__full_name"] or r["user__username"], "overdue": r["n"]}
        for r in rows
    ]


def overdue_by_kecamatan(user: Any, limits: dict[str, timedelta] | None = None) -> list[dict[str, Any]]:
    rows = (
        Case.objects.visible_to(user)
        .open()
        .overdue(limits=limits)
        .values("kecamatan__code", "kecamatan__name")
        .annotate(
            n=Count("id", distinct=True), unassigned=Count("id", filter=Q(assignments__isnull=True), distinct=True)
        )
        .order_by("-n", "kecamatan__code")
    )
    return [
        {"code": r["kecamatan__code"], "name": r["kecamatan__name"], "overdue": r["n"], "unassigned": r["unassigned"]}
        for r in rows
    ]
