"""Every change to the workforce: one function each, in a transaction, with its audit entry."""

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import User
from pilar.audit.services import diff, snapshot
from pilar.identity.models import Person
from pilar.regions.models import Region
from pilar.regions.selectors import kecamatan_of_village
from pilar.workers import rules
from pilar.workers.accounts import account_follow_worker
from pilar.workers.models import (
    Assignment,
    BoardMembership,
    BoardPeriod,
    BoardPosition,
    Decree,
    StatusChange,
    Worker,
    WorkerRole,
    WorkerStatus,
)

PERSON_FIELDS = (
    "nik",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "address",
    "rt",
    "rw",
    "village",
    "phone",
    "education",
    "is_rt_rw_head",
)
BANK_FIELDS = ("bank_name", "account_number", "account_holder")
WORKER_AUDIT_FIELDS = ("role", "status", "kecamatan", "kelurahan", "joined_on", *BANK_FIELDS)


@dataclass
class PersonInput:
    nik: str
    name: str
    sex: str
    birth_date: date | None
    birth_place: str = ""
    address: str = ""
    rt: str = ""
    rw: str = ""
    village: Region | None = None
    phone: str = ""
    education: str = ""
    is_rt_rw_head: bool = False


def _raise_if(errors: rules.Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _checked_area(region: Region | None) -> Region:
    """The posting's region once ``rules.check_area`` has passed: it refuses a missing one."""
    if region is None:
        raise ValueError("rules.check_area lets no posting without a region through")
    return region


def _confirm_address(*, role: str, region: Region | None, home: Region | None, confirmed: bool) -> None:
    warning = rules.address_warning(role=role, region=region, home_village=home)
    if warning and not confirmed:
        raise ValidationError({"confirm_address": [warning]}, code="confirm")


def _place(worker: Worker, role: str, region: Region) -> None:
    """Keep the worker's current-area columns in step with its open assignment."""
    worker.role = role
    if role == WorkerRole.PSM:
        worker.kelurahan, worker.kecamatan = region, kecamatan_of_village(region)
    else:
        worker.kelurahan, worker.kecamatan = None, region


def _save_unique(obj: Any, **kwargs: Any) -> None:
    """Save, turning a lost race on a unique rule into the same message the checks give."""
    try:
        with transaction.atomic():
            obj.save(**kwargs)
    except IntegrityError as exc:
        text = str(exc)
        if "one_active_tksk_per_kecamatan" in text or "kecamatan_id" in text:
            raise ValidationError({"region": [_("Kecamatan ini sudah memiliki TKSK aktif.")]}) from exc
        if "nik" in text:
            raise ValidationError({"nik": [_("NIK ini sudah terdaftar.")]}) from exc
        raise


def _check_person(errors: rules.Errors, person: PersonInput | Person, *, exclude_pk: int | None) -> None:
    rules.check_identity(errors, nik=person.nik or "", birth_date=person.birth_date, sex=person.sex)
    holders = Person.objects.filter(nik=person.nik)
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    if person.nik and holders.exists():
        rules.add(errors, "nik", _("NIK ini sudah terdaftar. Satu NIK hanya untuk satu orang."))


@transaction.atomic
def worker_create(
    *,
    actor: User,
    person: PersonInput,
    role: str,
    region: Region | None,
    start_date: date,
    decree_number: str = "",
    decree_date: date | None = None,
    decree_issuer: str = "",
    bank_name: str = "",
    account_number: str = "",
    account_holder: str = "",
    confirm_address: bool = False,
) -> Worker:
    errors: rules.Errors = {}
    # A person already in the registry becomes a worker on the same record (not a second person).
    existing = Person.objects.select_for_update().filter(nik=person.nik).first() if person.nik else None
    if existing is not None and Worker.objects.filter(person=existing).exists():
        rules.add(errors, "nik", _("NIK ini sudah terdaftar sebagai PSM/TKSK."))
    rules.check_identity(errors, nik=person.nik or "", birth_date=person.birth_date, sex=person.sex)
    rules.check_age(errors, birth_date=person.birth_date, on=start_date)
    rules.check_area(errors, role=role, region=region, city_code=settings.PILAR_REGION)
    rules.check_not_rt_rw_head(errors, role=role, is_rt_rw_head=person.is_rt_rw_head)
    if role == WorkerRole.TKSK and region is not None and "region" not in errors:
        rules.check_single_tksk(errors, kecamatan=region)
    _raise_if(errors)
    region = _checked_area(region)
    _confirm_address(role=role, region=region, home=person.village, confirmed=confirm_address)

    if existing is not None:
        person_obj = existing  # the registry's record stays as it is: its history and links are kept
    else:
        person_obj = Person(**asdict(person) | {"nik": person.nik or None, "village": person.village})
        _save_unique(person_obj)
    worker = Worker(
        person=person_obj,
        status=WorkerStatus.ACTIVE,
        status_date=start_date,
        joined_on=start_date,
        bank_name=bank_name,
        account_number=account_number,
        account_holder=account_holder or (person.name if account_number else ""),
    )
    _place(worker, role, region)
    _save_unique(worker)
    Assignment.objects.create(worker=worker, role=role, region=region, start_date=start_date)
    StatusChange.objects.create(worker=worker, status=WorkerStatus.ACTIVE, date=start_date, actor=actor)
    if decree_number:
        Decree.objects.create(worker=worker, number=decree_number, date=decree_date or start_date, issuer=decree_issuer)
    audit.record_created(
        actor,
        "workers.worker.created",
        worker,
        (*WORKER_AUDIT_FIELDS,),
        data=snapshot(person_obj, PERSON_FIELDS)
        | ({"decree_number": decree_number} if decree_number else {})
        | ({"existing_person": person_obj.pk} if existing is not None else {}),
    )
    return worker


@transaction.atomic
def worker_update(*, worker: Worker, actor: User, data: dict[str, Any], confirm_address: bool = False) -> Worker:
    """Change a worker's personal, contact or bank details (not the posting or status)."""
    worker = Worker.objects.select_for_update().select_related("person").get(pk=worker.pk)
    person = worker.person
    unknown = set(data) - set(PERSON_FIELDS) - set(BANK_FIELDS)
    if unknown:
        raise ValueError(f"worker_update cannot change {sorted(unknown)}")
    before = snapshot(person, PERSON_FIELDS) | snapshot(worker, BANK_FIELDS)
    for field, value in data.items():
        setattr(person if field in PERSON_FIELDS else worker, field, value)
    person.nik = person.nik or None

    errors: rules.Errors = {}
    _check_person(errors, person, exclude_pk=person.pk)
    rules.check_age(errors, birth_date=person.birth_date, on=worker.joined_on)
    rules.check_not_rt_rw_head(errors, role=worker.role, is_rt_rw_head=person.is_rt_rw_head)
    _raise_if(errors)
    if "village" in data:
        _confirm_address(role=worker.role, region=worker.kelurahan, home=person.village, confirmed=confirm_address)

    changes = diff(before, snapshot(person, PERSON_FIELDS) | snapshot(worker, BANK_FIELDS))
    if not changes:
        return worker
    _save_unique(person)
    worker.save()
    audit.record(actor, "workers.worker.updated", worker, changes=changes)
    return worker


@transaction.atomic
def worker_set_status(*, worker: Worker, actor: User, status: str, on: date, reason: str = "") -> Worker:
    """Activate, suspend (nonaktif) or end (berhenti) a worker's service."""
    worker = Worker.objects.select_for_update().select_related("person").get(pk=worker.pk)
    if status == worker.status:
        raise ValidationError({"status": [_("Status pekerja sudah %(s)s.") % {"s": worker.get_status_display()}]})
    if status != WorkerStatus.ACTIVE and not reason.strip():
        raise ValidationError({"reason": [_("Alasan wajib diisi untuk status nonaktif atau berhenti.")]})
    if on < worker.status_date:
        raise ValidationError({"on": [_("Tanggal tidak boleh sebelum perubahan status terakhir.")]})
    errors: rules.Errors = {}
    if status == WorkerStatus.ACTIVE and worker.role == WorkerRole.TKSK:
        rules.check_single_tksk(errors, kecamatan=worker.kecamatan, exclude=worker)
    _raise_if(errors)

    before = snapshot(worker, ("status", "status_date", "status_reason"))
    open_posting = worker.assignments.filter(end_date__isnull=True).first()
    if status == WorkerStatus.STOPPED and open_posting:
        open_posting.end_date = max(on, open_posting.start_date)
        open_posting.save(update_fields=["end_date", "updated_at"])
    elif status == WorkerStatus.ACTIVE and open_posting is None:
        # Re-appointed after having stopped: a new posting in the same area.
        Assignment.objects.create(worker=worker, role=worker.role, region=worker.area, start_date=on)
    worker.status, worker.status_date, worker.status_reason = status, on, reason.strip()
    _save_unique(worker)
    StatusChange.objects.create(worker=worker, status=status, date=on, reason=reason.strip(), actor=actor)
    changes = diff(before, snapshot(worker, ("status", "status_date", "status_reason")))
    audit.record(actor, "workers.worker.status_changed", worker, changes=changes)
    account_follow_worker(worker=worker, actor=actor)  # stopped: the linked account is deactivated
    return worker


@transaction.atomic
def worker_transfer(
    *,
    worker: Worker,
    actor: User,
    region: Region | None,
    start_date: date,
    role: str | None = None,
    note: str = "",
    confirm_address: bool = False,
) -> Worker:
    """Move a worker to another area (or role) from ``start_date``; the old posting ends the day before."""
    worker = Worker.objects.select_for_update().select_related("person").get(pk=worker.pk)
    role = role or worker.role
    errors: rules.Errors = {}
    rules.check_area(errors, role=role, region=region, city_code=settings.PILAR_REGION)
    if worker.status != WorkerStatus.ACTIVE:
        rules.add(errors, "region", _("Hanya pekerja aktif yang dapat dimutasi."))
    current = worker.assignments.filter(end_date__isnull=True).first()
    if current and start_date <= current.start_date:
        rules.add(errors, "start_date", _("Tanggal mutasi harus setelah awal penugasan sekarang."))
    if current and current.region == region and current.role == role:
        rules.add(errors, "region", _("Pekerja sudah bertugas di wilayah ini."))
    if role == WorkerRole.TKSK and region is not None and not errors:
        rules.check_single_tksk(errors, kecamatan=region, exclude=worker)
    rules.check_not_rt_rw_head(errors, role=role, is_rt_rw_head=worker.person.is_rt_rw_head)
    _raise_if(errors)
    region = _checked_area(region)
    _confirm_address(role=role, region=region, home=worker.person.village, confirmed=confirm_address)

    before = snapshot(worker, ("role", "kecamatan", "kelurahan"))
    if current:
        current.end_date = start_date - timedelta(days=1)
        current.save(update_fields=["end_date", "updated_at"])
    Assignment.objects.create(worker=worker, role=role, region=region, start_date=start_date, note=note)
    _place(worker, role, region)
    _save_unique(worker)
    changes = diff(before, snapshot(worker, ("role", "kecamatan", "kelurahan")))
    audit.record(actor, "workers.worker.transferred", worker, changes=changes, data={"note": note})
    account_follow_worker(worker=worker, actor=actor, on=start_date)  # the account's area follows the posting
    return worker


@transaction.atomic
def decree_add(*, worker: Worker, actor: User, kind: str, number: str, on: date, issuer: str) -> Decree:
    if worker.decrees.filter(number=number.strip()).exists():
        raise ValidationError({"number": [_("Nomor SK ini sudah tercatat untuk pekerja ini.")]})
    decree = Decree.objects.create(worker=worker, kind=kind, number=number.strip(), date=on, issuer=issuer.strip())
    audit.record(actor, "workers.decree.added", worker, data={"kind": kind, "number": decree.number, "date": on})
    return decree


@transaction.atomic
def board_period_create(
    *, actor: User, start_year: int, end_year: int, decree_number: str = "", inaugurated_on: date | None = None
) -> BoardPeriod:
    if end_year <= start_year:
        raise ValidationError({"end_year": [_("Tahun selesai harus setelah tahun mulai.")]})
    if BoardPeriod.objects.filter(start_year=start_year, end_year=end_year).exists():
        raise ValidationError({"start_year": [_("Periode ini sudah ada.")]})
    period = BoardPeriod.objects.create(
        start_year=start_year, end_year=end_year, decree_number=decree_number, inaugurated_on=inaugurated_on
    )
    audit.record_created(actor, "workers.board_period.created", period, ("start_year", "end_year", "decree_number"))
    return period


@transaction.atomic
def board_member_set(*, actor: User, period: BoardPeriod, position: str, worker: Worker) -> BoardMembership:
    """Seat an active PSM on the IPSM board; single-holder positions take one person per period."""
    errors: rules.Errors = {}
    if worker.role != WorkerRole.PSM or worker.status != WorkerStatus.ACTIVE:
        rules.add(errors, "worker", _("Pengurus IPSM harus PSM yang berstatus aktif."))
    holder = (
        BoardMembership.objects.select_related("worker__person").filter(period=period, position=position).first()
        if position != BoardPosition.MEMBER
        else None
    )
    if holder is not None:
        rules.add(
            errors,
            "position",
            _("Jabatan %(pos)s periode %(period)s sudah dipegang %(name)s.")
            % {"pos": holder.get_position_display(), "period": period, "name": holder.worker.person.name},
        )
    if BoardMembership.objects.filter(period=period, worker=worker).exists():
        rules.add(errors, "worker", _("PSM ini sudah menjadi pengurus pada periode ini."))
    _raise_if(errors)
    membership = BoardMembership(period=period, position=position, worker=worker)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise ValidationError({"position": [_("Jabatan ini baru saja diisi pengguna lain.")]}) from exc
    audit.record(actor, "workers.board.member_set", period, data={"position": position, "worker": str(worker)})
    return membership


@transaction.atomic
def board_member_remove(*, actor: User, membership: BoardMembership) -> None:
    period = membership.period
    audit.record(
        actor,
        "workers.board.member_removed",
        period,
        data={"position": membership.position, "worker": str(membership.worker)},
    )
    membership.delete()
