"""Who holds a case: assignment by a supervisor (or a worker taking a case of their area), and transfer
to another worker, which takes effect only when the receiver accepts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.accounts.permissions import Perm
from pilar.cases import access
from pilar.cases.models import Case, CaseAssignment, Transfer
from pilar.cases.services.common import event, locked
from pilar.cases.workflow import CASE, TRANSFER
from pilar.core.errors import DomainError
from pilar.notifications.services import notify


def _check_receiver(case: Case, user: User, field: str) -> None:
    if not access.may_receive(user, case):
        raise ValidationError({field: [_("Petugas ini tidak bertugas di kecamatan kasus.")]})


@transaction.atomic
def case_assign(*, actor: User, case: Case, user: User) -> CaseAssignment:
    """Add a worker to the case. Supervisors assign anyone of the area; a worker may take a case themself."""
    case = CASE.guard("assign", case, actor)
    if user.pk != actor.pk:
        access.require(actor, Perm.CASE_ASSIGN, case)
    _check_receiver(case, user, "user")
    if case.assignments.filter(user=user).exists():
        raise DomainError(_("Petugas ini sudah menangani kasus ini."), code="conflict")
    assignment = CaseAssignment.objects.create(case=case, user=user, assigned_by=actor, assigned_at=timezone.now())
    event(case, "assigned", actor, str(user))
    audit.record(actor, "cases.case.assigned", case, data={"user": user.username})
    if user.pk != actor.pk:
        notify(
            recipients=[user],
            kind="cases.assigned",
            url=case.get_absolute_url(),
            body=case.summary[:300],
            title=_("Anda ditugaskan menangani kasus %(ref)s") % {"ref": case.reference},
        )
    return assignment


@transaction.atomic
def case_transfer(*, actor: User, case: Case, to_user: User, reason: str) -> Transfer:
    """Offer the case to ``to_user``. An assigned worker hands over their own part; a supervisor adds one."""
    case = CASE.guard("transfer", case, actor)  # open, no handover already pending
    if not reason.strip():
        raise ValidationError({"reason": [_("Alasan serah terima wajib diisi.")]})
    if to_user.pk == actor.pk:
        raise ValidationError({"to_user": [_("Pilih petugas lain.")]})
    _check_receiver(case, to_user, "to_user")
    if case.assignments.filter(user=to_user).exists():
        raise ValidationError({"to_user": [_("Petugas ini sudah menangani kasus ini.")]})
    transfer = Transfer.objects.create(
        case=case,
        from_user=actor if access.is_assigned(actor, case) else None,
        to_user=to_user,
        requested_by=actor,
        requested_at=timezone.now(),
        reason=reason.strip(),
    )
    event(case, "transfer_requested", actor, f"{to_user}: {transfer.reason}")
    audit.record(actor, "cases.transfer.requested", case, data={"to": to_user.username, "reason": reason})
    notify(
        recipients=[to_user],
        kind="cases.transfer_pending",
        url=case.get_absolute_url(),
        body=transfer.reason,
        title=_("Serah terima kasus %(ref)s menunggu Anda") % {"ref": case.reference},
    )
    return transfer


def _pending(step: str, actor: User, transfer: Transfer) -> tuple[Transfer, Case]:
    """The handover and its case, locked, after the guard of ``TRANSFER``'s step (pending, to ``actor``)."""
    transfer = TRANSFER.guard(step, transfer, actor)
    return transfer, locked(transfer.case)


@transaction.atomic
def case_transfer_accept(*, actor: User, transfer: Transfer) -> Transfer:
    """Only the receiver accepts; the giver then leaves the case and the receiver holds it."""
    transfer, case = _pending("accept", actor, transfer)
    transfer.status, transfer.decided_at = Transfer.Status.ACCEPTED, timezone.now()
    transfer.save(update_fields=["status", "decided_at"])
    if transfer.from_user_id:
        CaseAssignment.objects.filter(case=case, user_id=transfer.from_user_id).delete()
    CaseAssignment.objects.get_or_create(
        case=case, user=actor, defaults={"assigned_by": transfer.requested_by, "assigned_at": timezone.now()}
    )
    event(case, "transfer_accepted", actor, str(actor))
    audit.record(actor, "cases.transfer.accepted", case, data={"from": str(transfer.from_user or "")})
    notify(
        recipients=[transfer.requested_by],
        kind="cases.transfer_accepted",
        url=case.get_absolute_url(),
        title=_("Serah terima kasus %(ref)s diterima") % {"ref": case.reference},
    )
    return transfer


@transaction.atomic
def case_transfer_decline(*, actor: User, transfer: Transfer, note: str) -> Transfer:
    if not note.strip():
        raise ValidationError({"note": [_("Alasan menolak wajib diisi.")]})
    transfer, case = _pending("decline", actor, transfer)
    transfer.status, transfer.decided_at, transfer.decision_note = Transfer.Status.DECLINED, timezone.now(), note
    transfer.save(update_fields=["status", "decided_at", "decision_note"])
    event(case, "transfer_declined", actor, note)
    audit.record(actor, "cases.transfer.declined", case, data={"note": note})
    notify(
        recipients=[transfer.requested_by],
        kind="cases.transfer_declined",
        url=case.get_absolute_url(),
        title=_("Serah terima kasus %(ref)s ditolak") % {"ref": case.reference},
        body=note,
    )
    return transfer
