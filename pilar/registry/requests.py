"""Registering someone the registry holds outside the user's area: the attempt becomes a request to Dinsos.

``person_register`` and ``household_register`` are what pages and the API call to add a person or a family.
When the NIK (or No. KK) belongs to a record the user may see, the ordinary "already registered" answer stands:
nothing is revealed. When it belongs to a record outside the user's area, answering "already registered" would
let anyone probe whether a NIK exists anywhere in the city; the attempt is stored as a ``RegistrationRequest``
instead, the operators are told, and the user hears only that Dinsos will check the registration. Each user may
route a few such attempts a day (``PILAR_REGISTRATION_REQUESTS_PER_DAY``); every attempt, routed or refused, is
in the audit trail.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import Role, RoleAssignment, User
from pilar.core.errors import DomainError
from pilar.identity.models import Person
from pilar.identity.nik import clean_nik
from pilar.notifications.services import notify
from pilar.regions.models import Region
from pilar.regions.selectors import kecamatan_of_village
from pilar.registry import services
from pilar.registry.models import Household
from pilar.registry.request_models import RegistrationRequest
from pilar.registry.selectors import persons_visible_to


def routed_message(request: RegistrationRequest) -> str:
    """What the requester hears: neither that the NIK/KK exists nor where."""
    return _(
        "Pendaftaran ini diteruskan ke Dinas Sosial untuk diperiksa (permintaan #%(id)s). Anda akan diberi "
        "tahu hasilnya."
    ) % {"id": request.pk}


class RequestLimit(DomainError):
    """Too many registrations routed to Dinsos today (answered 429 by the API)."""


def _limit() -> int:
    return int(getattr(settings, "PILAR_REGISTRATION_REQUESTS_PER_DAY", 5))


def _route(
    *, actor: User, kind: str, kelurahan: Region, submitted: dict[str, Any], **subject: Any
) -> RegistrationRequest:
    target = subject.get("person") or subject.get("household")
    if target is None:  # the callers route only what they found elsewhere
        raise ValueError("a registration request names the person or family found elsewhere")
    since = timezone.now() - timedelta(days=1)
    if RegistrationRequest.objects.filter(requested_by=actor, created_at__gte=since).count() >= _limit():
        with transaction.atomic():  # the refusal is recorded even though the caller gets an error
            audit.record(
                actor,
                "registry.registration_request.refused",
                target,
                data={"reason": "limit", "kelurahan": kelurahan.code},
            )
        raise RequestLimit(
            _(
                "Terlalu banyak pendaftaran yang diteruskan ke Dinas Sosial hari ini. Coba lagi besok atau hubungi "
                "operator Dinas Sosial."
            ),
            code="limit",
        )
    with transaction.atomic():
        request = RegistrationRequest.objects.create(
            kind=kind, requested_by=actor, kelurahan=kelurahan, submitted=submitted, **subject
        )
        audit.record(
            actor,
            "registry.registration_request.created",
            request,
            data={"kind": kind, "kelurahan": kelurahan.code, "existing": target.pk},
        )
        operators = RoleAssignment.objects.current().filter(role__in=[Role.OPERATOR, Role.ADMIN])
        notify(
            recipients={a.user for a in operators.select_related("user")},
            kind="registry.registration_request",
            title=_("Permintaan pendaftaran #%(id)s dari luar wilayah") % {"id": request.pk},
            url=request.get_absolute_url(),
        )
    return request


def person_elsewhere(actor: User, nik: str | None, *, exclude: Person | None = None) -> Person | None:
    """The person holding ``nik`` when the actor may not see them; None when the NIK is free or in their area."""
    nik = clean_nik(nik)
    holders = Person.objects.filter(nik=nik)
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    found = holders.first() if nik else None
    if found is None or persons_visible_to(actor).filter(pk=found.pk).exists():
        return None
    return found


def household_elsewhere(actor: User, kk: str | None, *, exclude: Household | None = None) -> Household | None:
    """The family holding ``kk`` when the actor may not see it; None when the KK is free or in their area."""
    kk = clean_nik(kk)  # a KK has the same separators as a NIK
    holders = Household.objects.filter(kk_number=kk)
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    found = holders.first() if kk else None
    if found is None or Household.objects.visible_to(actor).filter(pk=found.pk).exists():
        return None
    return found


def correction_routed(
    *, actor: User, subject: Person | Household, kelurahan: Region, value: str
) -> RegistrationRequest:
    """A correction to a NIK/KK held outside the actor's area: the same request as a registration would make."""
    found: dict[str, Person | Household | None]
    if isinstance(subject, Person):
        kind, found = RegistrationRequest.Kind.PERSON, {"person": person_elsewhere(actor, value, exclude=subject)}
    else:
        kind = RegistrationRequest.Kind.HOUSEHOLD
        found = {"household": household_elsewhere(actor, value, exclude=subject)}
    return _route(actor=actor, kind=kind, kelurahan=kelurahan, submitted={"koreksi_untuk": subject.pk}, **found)


def person_register(*, actor: User, data: services.PersonData) -> Person | RegistrationRequest:
    """A new registry person, or a request to Dinsos when the NIK is a person outside the actor's area."""
    existing = person_elsewhere(actor, data.nik)
    if existing is None:
        return services.person_create(actor=actor, data=data)  # new, or visible: the ordinary answer
    village = data.village
    if village is None:
        raise DomainError(_("Pilih kelurahan alamat KTP."), field="village")
    submitted = {
        k: (v.isoformat() if hasattr(v, "isoformat") else getattr(v, "code", v))
        for k, v in data.__dict__.items()
        if k != "nik"
    }
    return _route(
        actor=actor, kind=RegistrationRequest.Kind.PERSON, kelurahan=village, submitted=submitted, person=existing
    )


def household_register(
    *, actor: User, kk_number: str, kelurahan: Region, members: list[tuple[Person, str]], **fields: Any
) -> Household | RegistrationRequest:
    """A new family, or a request to Dinsos when the No. KK is a family outside the actor's area."""
    existing = household_elsewhere(actor, kk_number)
    if existing is None:
        return services.household_create(
            actor=actor, kk_number=kk_number, kelurahan=kelurahan, members=members, **fields
        )
    submitted = {
        "members": [[p.pk, rel] for p, rel in members],
        **{k: str(v) for k, v in fields.items() if v not in (None, "")},
    }
    return _route(
        actor=actor,
        kind=RegistrationRequest.Kind.HOUSEHOLD,
        kelurahan=kelurahan,
        submitted=submitted,
        household=existing,
    )


def _decided(request: RegistrationRequest, actor: User, status: str, note: str) -> RegistrationRequest:
    locked = RegistrationRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RegistrationRequest.Status.PENDING:
        raise DomainError(_("Permintaan ini sudah diputuskan."), code="conflict")
    locked.status, locked.decided_by, locked.decided_at, locked.note = status, actor, timezone.now(), note
    locked.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    return locked


@transaction.atomic
def registration_request_move(*, request: RegistrationRequest, actor: User, note: str = "") -> RegistrationRequest:
    """The person (KTP kelurahan and address) or the family moves into the requester's kelurahan."""
    request = _decided(request, actor, RegistrationRequest.Status.MOVED, note)
    village, sent = request.kelurahan, request.submitted
    # A request names a person or a family, never both (the model's check constraint).
    person, household = request.person, request.household
    if person is not None:
        person.village, person.address = village, sent.get("address") or person.address
        person.rt, person.rw = sent.get("rt") or person.rt, sent.get("rw") or person.rw
        person.save(update_fields=["village", "address", "rt", "rw", "updated_at"])
    elif household is not None:
        household.kelurahan, household.kecamatan = village, kecamatan_of_village(village)
        household.address = sent.get("address") or household.address
        household.save(update_fields=["kelurahan", "kecamatan", "address", "updated_at"])
    audit.record(actor, "registry.registration_request.moved", request, data={"kelurahan": village.code})
    notify(
        recipients=[request.requested_by],
        kind="registry.registration_request.moved",
        title=_("Permintaan pendaftaran #%(id)s: data dipindahkan ke wilayah Anda") % {"id": request.pk},
        body=note,
    )
    return request


@transaction.atomic
def registration_request_refuse(*, request: RegistrationRequest, actor: User, note: str) -> RegistrationRequest:
    if not note.strip():
        raise DomainError(_("Tulis alasan penolakan untuk pemohon."), field="note")
    request = _decided(request, actor, RegistrationRequest.Status.REFUSED, note.strip())
    audit.record(actor, "registry.registration_request.refused", request, data={"note": note.strip()})
    notify(
        recipients=[request.requested_by],
        kind="registry.registration_request.refused",
        title=_("Permintaan pendaftaran #%(id)s ditolak") % {"id": request.pk},
        body=note.strip(),
    )
    return request
