"""Helpers shared by the case services: locking, stage moves and the timeline event."""

from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts.models import User
from pilar.cases.models import Case, CaseEvent, Stage
from pilar.core.errors import DomainError


def locked(case: Case) -> Case:
    """The case re-read under a row lock: two workers acting at once are served one after the other."""
    return Case.objects.select_for_update().get(pk=case.pk)


def event(
    case: Case, action: str, actor: User | None, reason: str = "", *, from_status: str = "", to_status: str = ""
) -> None:
    CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        reason=reason,
        from_status=from_status,
        to_status=to_status,
    )


def move(case: Case, to_stage: str, actor: User | None, reason: str = "", *, action: str = "stage") -> None:
    """Put a (locked) case into ``to_stage`` now; the overdue clock restarts."""
    before = case.stage
    case.stage, case.stage_started_at = to_stage, timezone.now()
    case.save(update_fields=["stage", "stage_started_at", "updated_at"])
    event(case, action, actor, reason, from_status=before, to_status=to_stage)


def require_open(case: Case) -> None:
    if case.stage == Stage.CLOSED:
        raise DomainError(_("Kasus sudah ditutup. Buka kembali kasus terlebih dahulu."), code="conflict")
