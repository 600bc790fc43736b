"""Accounts for the workforce, from the workforce registry: each linked to its worker from the start.

Usernames follow one convention (docs/accounts.md): ``psm.<kelurahan code without dots>.<n>`` for a PSM, the
lowest free n from 1 (``psm.3671011001.1``), and ``tksk.<kecamatan code without dots>`` for a TKSK
(``tksk.367101``; ``.2``, ``.3`` … when a former TKSK of the kecamatan keeps the first).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import Role, User
from pilar.accounts.services import password_set_temporary
from pilar.accounts.services.users import area_role_follow, user_create, user_deactivate, user_reactivate
from pilar.core.errors import DomainError
from pilar.workers.models import Worker, WorkerRole, WorkerStatus

ROLE_OF: dict[str, Role] = {WorkerRole.PSM: Role.PSM, WorkerRole.TKSK: Role.TKSK}  # by Worker.role


@dataclass
class IssuedAccount:
    worker: Worker
    username: str
    temporary_password: str
    created: bool


def username_for(worker: Worker) -> str:
    """The next free username of the convention for ``worker``'s role and area."""
    code = worker.area.code.replace(".", "")
    prefix = f"{worker.role}.{code}"
    taken = set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))
    if worker.role == WorkerRole.TKSK and prefix not in taken:
        return prefix
    n = 1
    while f"{prefix}.{n}" in taken:
        n += 1
    return f"{prefix}.{n}"


@transaction.atomic
def worker_account_issue(*, worker: Worker, actor: User) -> IssuedAccount:
    """Create the worker's account, or re-issue a temporary password for the one it has."""
    related = Worker.objects.select_related("person", "user", "kelurahan", "kecamatan")
    worker = related.select_for_update(of=("self",)).get(pk=worker.pk)  # PostgreSQL locks no outer-joined row
    if worker.status != WorkerStatus.ACTIVE:
        raise DomainError(_("Hanya pekerja aktif yang dapat diberi akun."), field="status")
    if worker.user is not None:
        user = worker.user
        if user.is_active:
            password = password_set_temporary(user=user, actor=actor)
        else:
            user, password = user_reactivate(user=user, actor=actor)
        area_role_follow(user=user, actor=actor, role=ROLE_OF[worker.role], region=worker.area)
        audit.record(actor, "workers.account.reissued", worker, data={"username": user.username})
        return IssuedAccount(worker, user.username, password, created=False)
    user, password = user_create(
        actor=actor,
        username=username_for(worker),
        full_name=worker.person.name,
        role=ROLE_OF[worker.role],
        region=worker.area,
    )
    worker.user = user
    worker.save(update_fields=["user", "updated_at"])
    audit.record(actor, "workers.account.created", worker, data={"username": user.username})
    return IssuedAccount(worker, user.username, password, created=True)


def worker_accounts_issue(*, workers: Iterable[Worker], actor: User) -> list[IssuedAccount]:
    """Accounts for several workers (one transaction each: a refused one does not undo the others)."""
    return [worker_account_issue(worker=w, actor=actor) for w in workers]


def account_follow_worker(*, worker: Worker, actor: User | None, on: date | None = None) -> None:
    """Keep the linked account in step with the worker: stopped → deactivated; moved → its area follows."""
    user = worker.user
    if user is None:
        return
    if worker.status == WorkerStatus.STOPPED:
        user_deactivate(user=user, actor=actor, reason="worker_stopped")
    elif worker.status == WorkerStatus.ACTIVE and user.is_active:
        area_role_follow(user=user, actor=actor, role=ROLE_OF[worker.role], region=worker.area, on=on)
