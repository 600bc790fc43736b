"""Write audit entries and personal-data access records.

Call ``record()`` inside the same transaction as the change it describes, so that a
change and its entry are saved together or not at all.
"""

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from pilar.audit import chain
from pilar.audit.models import AuditEntry, PersonalDataAccess
from pilar.core.net import client_ip
from pilar.identity.kk import mask_account, mask_kk
from pilar.identity.nik import mask_nik

if TYPE_CHECKING:
    from pilar.accounts.models import User

# Who did it: a user; the anonymous user of a failed sign-in; None for Pilar itself (both stored as no actor).
Actor: TypeAlias = "User | AnonymousUser | None"


def _stored(actor: Actor) -> "User | None":
    """The actor as the entry keeps it: a saved user, else nobody (Pilar, or the anonymous user, whose pk is None)."""
    return None if actor is None or isinstance(actor, AnonymousUser) or not getattr(actor, "pk", None) else actor


# Identifiers that never appear whole in the audit trail.
MASKED_FIELDS: dict[str, Callable[[str], str]] = {
    "nik": mask_nik,
    "kk_number": mask_kk,
    "no_kk": mask_kk,
    "account_number": mask_account,
    "bank_account_number": mask_account,
}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _masked(field: str, value: Any) -> Any:
    masker = MASKED_FIELDS.get(field)
    if masker and value:
        return masker(str(value))
    return _plain(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, as they would be shown in the trail."""
    return {f: _masked(f, getattr(obj, f)) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose shown value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    actor: Actor,
    action: str,
    obj: models.Model,
    *,
    changes: dict[str, list[Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    return record_for(
        actor,
        action,
        model=obj._meta.model,
        object_id=str(obj.pk),
        object_repr=str(obj),
        changes=changes,
        data=data,
    )


def record_for(
    actor: Actor,
    action: str,
    *,
    model: type[models.Model],
    object_id: str,
    object_repr: str,
    changes: dict[str, list[Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """``record()`` for an event whose record may be gone or never existed (a deletion, a failed sign-in)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of the change it records")
    safe_data = {k: _masked(k, v) for k, v in (data or {}).items()}
    entry = AuditEntry(
        actor=_stored(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=object_id[:40],
        object_repr=object_repr[:200],
        changes=changes or {},
        data=safe_data,
    )
    chain.link([entry])
    entry.save(force_insert=True)
    return entry


def record_many(actor: Actor, action: str, objs: Iterable[models.Model], *, data: dict[str, Any] | None = None) -> int:
    """One entry per object for a bulk operation (e.g. the demo seed), in one insert."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many() must run inside the transaction of the change it records")
    objs = list(objs)
    if not objs:
        return 0
    ct = ContentType.objects.get_for_model(objs[0])
    safe_data = {k: _masked(k, v) for k, v in (data or {}).items()}
    entries = [
        AuditEntry(
            actor=_stored(actor),
            action=action,
            content_type=ct,
            object_id=str(o.pk),
            object_repr=str(o)[:200],
            data=safe_data,
        )
        for o in objs
    ]
    chain.link(entries)
    return len(AuditEntry.objects.bulk_create(entries, batch_size=1000))


def record_transition(
    actor: Actor,
    action: str,
    obj: models.Model,
    status: tuple[str, str],
    history: "models.Manager[Any]",
    *,
    data: dict[str, Any] | None = None,
    **row: Any,
) -> AuditEntry:
    """``obj`` moved from one status to another (``status``, old and new): a row of the record's own history
    (``history``, its related manager, with the fields ``row``) and the audit entry, both dated now.

    The history row's action is the last word of the audit ``action`` ("registry.ppks.returned": "returned").
    """
    old, new = status
    history.create(
        action=action.rsplit(".", 1)[-1],
        from_status=old,
        to_status=new,
        actor=_stored(actor),
        at=timezone.now(),
        **row,
    )
    return record(actor, action, obj, changes={"status": [old or None, new]}, data=data)


def record_created(actor: Actor, action: str, obj: models.Model, fields: Iterable[str], **kw: Any) -> AuditEntry:
    return record(actor, action, obj, changes=diff({}, snapshot(obj, fields)), **kw)


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    ct = ContentType.objects.get_for_model(obj)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")


def log_personal_access(
    request: Any,
    *,
    channel: str,
    obj: models.Model | None = None,
    model: type[models.Model] | None = None,
    count: int = 1,
    unmasked: bool = False,
) -> None:
    """Record that ``request.user`` was shown personal data (UU PDP)."""
    target = obj.__class__ if obj is not None else model
    row = PersonalDataAccess(
        user=request.user,
        channel=channel,
        content_type=ContentType.objects.get_for_model(target) if target else None,
        object_id=str(obj.pk) if obj is not None else "",
        subject_count=count,
        unmasked=unmasked,
        path=request.path[:300],
        query=request.META.get("QUERY_STRING", "")[:500],
        ip_address=client_ip(request),
    )
    # Its own transaction for the chain-head lock, which then locks the access head alone (chain.py); inside the
    # caller's one when there is one (no savepoint).
    alone = not transaction.get_connection().in_atomic_block
    with transaction.atomic() if alone else nullcontext():
        chain.link([row], alone=alone)
        row.save(force_insert=True)
