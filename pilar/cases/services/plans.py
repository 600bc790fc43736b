"""The structured assessment and the intervention plan with its four-eyes approval."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.cases import access
from pilar.cases.models import Assessment, Case, Plan, Stage
from pilar.cases.reference import level_for, risk_factors
from pilar.cases.services.common import event, locked, move, require_open
from pilar.cases.workflow import CASE, OWN_PLAN, PLAN
from pilar.core.errors import DomainError
from pilar.notifications.services import notify


@transaction.atomic
def case_assess(*, actor: User, case: Case, factors: list[str], needs: str = "", strengths: str = "") -> Assessment:
    """Score the factors present; the case takes the resulting level. Assessing a case in intake starts
    its assessment stage; a later assessment (a change in the situation) leaves the stage as it is."""
    case = CASE.guard("assess", case, actor)
    chosen = list(risk_factors().filter(code__in=set(factors)))
    if len(chosen) != len(set(factors)):
        raise ValidationError({"factors": [_("Ada faktor risiko yang tidak dikenal.")]})
    score = sum(f.weight for f in chosen)
    assessment = Assessment.objects.create(
        case=case,
        assessed_by=actor,
        assessed_at=timezone.now(),
        score=score,
        risk_level=level_for(score),
        factors=[{"code": f.code, "name": f.name, "weight": f.weight} for f in chosen],
        needs=needs.strip(),
        strengths=strengths.strip(),
    )
    before = case.risk_level
    case.risk_level = assessment.risk_level
    case.save(update_fields=["risk_level", "updated_at"])
    event(case, "assessed", actor, f"{assessment.get_risk_level_display()} ({score})")
    if case.stage == Stage.INTAKE:
        move(case, Stage.ASSESSMENT, actor)
    audit.record(
        actor,
        "cases.case.assessed",
        case,
        changes={"risk_level": [before, case.risk_level]},
        data={"score": score, "factors": [f.code for f in chosen]},
    )
    return assessment


@transaction.atomic
def case_plan_submit(*, actor: User, case: Case, goals: str, actions: str, target_date: date) -> Plan:
    """A plan for the supervisor's approval (from assessment or planning, once assessed, one pending at a time);
    a case still in assessment moves to planning."""
    case = CASE.guard("plan", case, actor)
    if target_date < timezone.localdate():
        raise ValidationError({"target_date": [_("Target selesai tidak boleh di masa lalu.")]})
    plan = Plan.objects.create(
        case=case,
        author=actor,
        submitted_at=timezone.now(),
        goals=goals.strip(),
        actions=actions.strip(),
        target_date=target_date,
    )
    event(case, "plan_submitted", actor, plan.goals[:200])
    if case.stage == Stage.ASSESSMENT:
        move(case, Stage.PLANNING, actor)
    audit.record(actor, "cases.plan.submitted", case, data={"plan": plan.pk, "target_date": target_date})
    notify(
        recipients=[u for u in access.supervisors_of(case) if u.pk != actor.pk],
        kind="cases.plan_pending",
        url=case.get_absolute_url(),
        body=plan.goals[:300],
        title=_("Rencana intervensi %(ref)s menunggu persetujuan") % {"ref": case.reference},
    )
    return plan


def _decide(step: str, actor: User, plan: Plan) -> tuple[Plan, Case]:
    """The plan and its case, locked, after the guard of ``PLAN``'s step (pending, a supervisor, not its author)."""
    plan = PLAN.guard(step, plan, actor)
    case = locked(plan.case)
    require_open(case)
    return plan, case


def _save_decision(plan: Plan, actor: User, status: str, note: str) -> None:
    plan.status, plan.decided_by, plan.decided_at, plan.decision_note = status, actor, timezone.now(), note.strip()
    try:
        with transaction.atomic():
            plan.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    except IntegrityError as exc:  # the database's own four-eyes check
        raise DomainError(str(OWN_PLAN), code="own_plan") from exc


def _decided(plan: Plan, case: Case, actor: User, status: str, note: str, action: str, title: str) -> None:
    """The decision saved, in the case's timeline and audit trail, and told to the plan's author and the workers."""
    _save_decision(plan, actor, status, note)
    event(case, f"plan_{action}", actor, note)
    audit.record(actor, f"cases.plan.{action}", case, data={"plan": plan.pk, "note": note})
    notify(
        recipients=[plan.author, *case.assigned.all()],
        kind=f"cases.plan_{action}",
        url=case.get_absolute_url(),
        title=title % {"ref": case.reference},
        body=note,
    )


@transaction.atomic
def case_plan_approve(*, actor: User, plan: Plan, note: str = "") -> Plan:
    """Approve; the case goes on to intervention."""
    plan, case = _decide("approve", actor, plan)
    _decided(plan, case, actor, Plan.Status.APPROVED, note, "approved", _("Rencana intervensi %(ref)s disetujui"))
    if case.stage == Stage.PLANNING:
        move(case, Stage.INTERVENTION, actor)
    return plan


@transaction.atomic
def case_plan_return(*, actor: User, plan: Plan, note: str) -> Plan:
    """Send the plan back with what to change; the workers submit a new one."""
    if not note.strip():
        raise ValidationError({"note": [_("Tuliskan apa yang perlu diperbaiki.")]})
    plan, case = _decide("return", actor, plan)
    _decided(plan, case, actor, Plan.Status.RETURNED, note, "returned", _("Rencana intervensi %(ref)s dikembalikan"))
    return plan
