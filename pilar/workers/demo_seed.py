"""Write the demo workforce, agencies, users and IPSM board in one transaction; a second run changes nothing.

Rows are written with ``bulk_create`` (about 6,000 of them) so the seed takes a second or two, and
what exists is checked first: a worker whose NIK is known, a user whose name is taken, a board period
that has members are all left as they are.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Q

from pilar import audit
from pilar.accounts.models import Agency, Role, RoleAssignment, User
from pilar.core.formatting import tanggal
from pilar.identity.models import Person
from pilar.identity.names import normalize_name
from pilar.regions.loader import load_region
from pilar.regions.models import Region
from pilar.workers.accounts import ROLE_OF
from pilar.workers.demo import (
    BOARD_DECREE,
    BOARD_INAUGURATION_DAY,
    CAPACITY_BUILDING_DAY,
    DEMO_CITY,
    ISSUER,
    DemoWorker,
    board_seats,
    plan,
)
from pilar.workers.models import (
    Assignment,
    BoardMembership,
    BoardPeriod,
    Decree,
    StatusChange,
    Worker,
    WorkerRole,
    WorkerStatus,
)

AGENCIES = {
    "dinkes": "Dinas Kesehatan",
    "disnaker": "Dinas Ketenagakerjaan",
    "dp3ap2kb": "DP3AP2KB (Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan KB)",
    "disdik": "Dinas Pendidikan",
    "disperkimtan": "Dinas Perumahan, Permukiman dan Pertanahan",
    "bpjs": "BPJS Kesehatan",
}
# username, full name, role, agency code
OFFICE_USERS = [
    ("admin", "Administrator Pilar", Role.ADMIN, None),
    ("operator", "Operator Dinas Sosial", Role.OPERATOR, None),
    ("pimpinan", "Kepala Dinas Sosial", Role.PIMPINAN, None),
    ("keuangan", "Bendahara Dinas Sosial", Role.KEUANGAN, None),
    ("opd.dinkes", "Petugas Dinas Kesehatan", Role.OPD, "dinkes"),
]
# A demo-only account: if it exists, an earlier run set the demo passwords (an "admin" may predate the seed).
REFERENCE_USER = "operator"
ROLES_FROM = date(2017, 1, 1)
BATCH = 500


@dataclass
class SeedResult:
    created: dict[str, int] = field(default_factory=dict)
    passwords_set: int = 0
    password: str | None = None  # None: the passwords of an earlier run were kept

    @property
    def changed(self) -> bool:
        return self.passwords_set > 0 or any(self.created.values())


@dataclass
class UserRow:
    username: str
    full_name: str
    role: str
    region: Region | None = None
    agency: Agency | None = None


def _password_hash(password: str | None) -> tuple[str, str | None]:
    """(the one hash every demo user gets, the password to print or None when kept).

    Hashed once: PBKDF2 a thousand times would take minutes. ``check_password`` from the hashers
    module, unlike ``User.check_password``, never re-saves an old-style hash, so nothing changes.
    """
    reference = User.objects.filter(username=REFERENCE_USER).first()
    if password is None:
        if reference is not None and reference.has_usable_password():
            return reference.password, None
        password = secrets.token_urlsafe(9)
    if reference is not None and check_password(password, reference.password):
        return reference.password, password
    return make_password(password), password


def _person(w: DemoWorker) -> Person:
    # bulk_create skips Person.save(), which derives the search key.
    return Person(
        nik=w.nik,
        name=w.name,
        name_normalized=normalize_name(w.name),
        sex=w.sex,
        birth_place=w.birth_place,
        birth_date=w.birth_date,
        address=w.address,
        rt=w.rt,
        rw=w.rw,
        village=w.home,
        phone=w.phone,
        education=w.education,
    )


def _worker(w: DemoWorker, person: Person, user: User | None) -> Worker:
    # The denormalized columns mirror the posting written in _history(): open if active, closed if stopped.
    return Worker(
        person=person,
        role=w.role,
        kecamatan=w.kecamatan,
        kelurahan=w.kelurahan,
        joined_on=w.joined_on,
        status=WorkerStatus.ACTIVE if w.is_active else WorkerStatus.STOPPED,
        status_date=w.stopped_on or w.joined_on,
        status_reason=w.stop_reason,
        bank_name=w.bank_name,
        account_number=w.account_number,
        account_holder=w.name,
        user=user,
    )


def _history(pairs: list[tuple[DemoWorker, Worker]]) -> None:
    """Posting, status changes and decrees of each new worker."""
    postings, changes, decrees = [], [], []
    for w, wk in pairs:
        postings.append(
            Assignment(worker=wk, role=w.role, region=w.area, start_date=w.joined_on, end_date=w.stopped_on)
        )
        changes.append(StatusChange(worker=wk, status=WorkerStatus.ACTIVE, date=w.joined_on))
        decrees.append(Decree(worker=wk, number=w.decree_number, date=w.joined_on, issuer=ISSUER))
        if w.stopped_on:
            changes.append(
                StatusChange(worker=wk, status=WorkerStatus.STOPPED, date=w.stopped_on, reason=w.stop_reason)
            )
            decrees.append(
                Decree(
                    worker=wk, kind=Decree.Kind.DISMISSAL, number=w.dismissal_number, date=w.stopped_on, issuer=ISSUER
                )
            )
    Assignment.objects.bulk_create(postings, batch_size=BATCH)
    StatusChange.objects.bulk_create(changes, batch_size=BATCH)
    Decree.objects.bulk_create(decrees, batch_size=BATCH)


def _create_agencies(result: SeedResult) -> dict[str, Agency]:
    agencies = {a.code: a for a in Agency.objects.filter(code__in=AGENCIES)}
    new = Agency.objects.bulk_create([Agency(code=c, name=n) for c, n in AGENCIES.items() if c not in agencies])
    result.created["OPD"] = len(new)
    return agencies | {a.code: a for a in new}


def _wanted_users(planned: list[DemoWorker], agencies: dict[str, Agency]) -> list[UserRow]:
    rows = [UserRow(u, n, r, agency=agencies[a] if a else None) for u, n, r, a in OFFICE_USERS]
    return rows + [UserRow(w.username, w.name, ROLE_OF[w.role], region=w.area) for w in planned if w.username]


def _create_users(rows: list[UserRow], pw_hash: str, result: SeedResult) -> dict[str, User]:
    """Create the missing demo users; returns those not yet linked to a worker, by username."""
    existing = {u.username: u for u in User.objects.filter(username__in=[r.username for r in rows])}
    if result.password is not None:
        # A password was asked for (or this is the first run): every demo user gets it, in one UPDATE.
        stale = User.objects.filter(username__in=existing).exclude(password=pw_hash)
        result.passwords_set = stale.update(password=pw_hash)
    new = [r for r in rows if r.username not in existing]
    users = User.objects.bulk_create(
        [
            User(
                username=r.username,
                full_name=r.full_name,
                password=pw_hash,
                is_staff=r.role == Role.ADMIN,
                is_superuser=r.role == Role.ADMIN,
            )
            for r in new
        ],
        batch_size=BATCH,
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=u, role=r.role, region=r.region, agency=r.agency, valid_from=ROLES_FROM)
            for u, r in zip(users, new, strict=True)
        ],
        batch_size=BATCH,
    )
    result.created["pengguna"] = len(users)
    linked = set(Worker.objects.filter(user__username__in=existing).values_list("user__username", flat=True))
    return {n: u for n, u in existing.items() if n not in linked} | {u.username: u for u in users}


def _create_workers(planned: list[DemoWorker], free_users: dict[str, User], result: SeedResult) -> dict[str, Worker]:
    """Create the workers whose NIK is unknown; returns every planned worker that exists, by NIK."""
    known = set(Person.objects.filter(nik__in=[w.nik for w in planned]).values_list("nik", flat=True))
    todo = [w for w in planned if w.nik not in known]
    persons = Person.objects.bulk_create([_person(w) for w in todo], batch_size=BATCH)
    workers = Worker.objects.bulk_create(
        [_worker(w, p, free_users.pop(w.username, None)) for w, p in zip(todo, persons, strict=True)],
        batch_size=BATCH,
    )
    _history(list(zip(todo, workers, strict=True)))
    result.created["pekerja"] = len(workers)
    existing = Worker.objects.select_related("person").filter(person__nik__in=known)
    found = {wk.person.nik: wk for wk in existing if wk.person.nik}  # every one: they were found by their NIK
    return {w.nik: wk for w, wk in zip(todo, workers, strict=True)} | found


def _link_users(
    planned: list[DemoWorker], workers: dict[str, Worker], free_users: dict[str, User], result: SeedResult
) -> None:
    """Worker.user for a worker that existed without an account (only after an interrupted or edited seed)."""
    linked = []
    for w in planned:
        worker = workers.get(w.nik)
        if worker is not None and worker.user_id is None and w.username in free_users:
            worker.user = free_users.pop(w.username)
            linked.append(worker)
    Worker.objects.bulk_update(linked, ["user"], batch_size=BATCH)
    result.created["akun ditautkan"] = len(linked)


def _create_board(planned: list[DemoWorker], workers: dict[str, Worker], result: SeedResult) -> None:
    period, _ = BoardPeriod.objects.get_or_create(
        start_year=2021,
        end_year=2026,
        defaults={"decree_number": BOARD_DECREE, "inaugurated_on": BOARD_INAUGURATION_DAY},
    )
    seats = []
    # A period that already has members was set up by hand (or by an earlier run): leave it.
    if not period.memberships.exists():
        seats = [
            BoardMembership(period=period, position=p, worker=workers[w.nik])
            for p, w in board_seats(planned)
            if w.nik in workers
        ]
        BoardMembership.objects.bulk_create(seats)
    result.created["pengurus IPSM"] = len(seats)


@transaction.atomic
def seed_demo(*, password: str | None) -> SeedResult:
    """Kota Tangerang's regions, 13 TKSK, 987 active (+25 stopped) PSM, 6 OPD, their users, the IPSM board."""
    result = SeedResult()
    result.created["wilayah"] = load_region(DEMO_CITY).created
    city = Region.objects.get(code=DEMO_CITY)
    kecamatan = list(Region.objects.within(DEMO_CITY).kecamatan().order_by("code"))
    villages = list(Region.objects.within(DEMO_CITY).villages().order_by("code"))
    planned = plan(kecamatan, villages)
    pw_hash, result.password = _password_hash(password)
    agencies = _create_agencies(result)
    free_users = _create_users(_wanted_users(planned, agencies), pw_hash, result)
    workers = _create_workers(planned, free_users, result)
    _link_users(planned, workers, free_users, result)
    _create_board(planned, workers, result)
    if result.changed:
        # One entry for the whole run: a thousand "worker created" entries would drown the real trail.
        audit.record(None, "workers.demo.seeded", city, data=result.created | {"sandi": result.passwords_set})
    return result


def demo_totals() -> dict[str, int]:
    """What the demo city holds now, for the summary the command prints."""
    city = Region.objects.within(DEMO_CITY)
    psm = Worker.objects.psm().filter(kelurahan__in=city)
    day = CAPACITY_BUILDING_DAY
    on_day = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
    return {
        "Kecamatan": city.kecamatan().count(),
        "Kelurahan": city.villages().count(),
        "TKSK aktif": Worker.objects.tksk().active().filter(kecamatan__in=city).count(),
        "PSM aktif": psm.active().count(),
        f"PSM aktif pada {tanggal(day)}": Assignment.objects.filter(on_day, role=WorkerRole.PSM, region__in=city)
        .values("worker")
        .distinct()
        .count(),
        "PSM berhenti": psm.filter(status=WorkerStatus.STOPPED).count(),
        "Pengurus IPSM 2021–2026": BoardMembership.objects.filter(
            period__start_year=2021, period__end_year=2026
        ).count(),
        "OPD": Agency.objects.filter(code__in=AGENCIES).count(),
        "Pengguna": User.objects.count(),
    }
