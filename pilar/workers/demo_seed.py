"""Write the demo workforce, users and IPSM board in one transaction; a second run changes nothing."""

import secrets
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction

from pilar import audit
from pilar.accounts.models import Agency, Role, RoleAssignment, User
from pilar.identity.models import Person
from pilar.identity.names import normalize_name
from pilar.regions.loader import load_region
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan, city_villages
from pilar.workers.demo import ISSUER, DemoWorker, plan
from pilar.workers.models import (
    Assignment,
    BoardMembership,
    BoardPeriod,
    BoardPosition,
    Decree,
    StatusChange,
    Worker,
    WorkerStatus,
)

AGENCIES = {
    "dinkes": "Dinas Kesehatan",
    "disnaker": "Dinas Ketenagakerjaan",
    "dp3ap2kb": "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
    "disdik": "Dinas Pendidikan",
    "disperkimtan": "Dinas Perumahan, Permukiman dan Pertanahan",
    "bpjs": "BPJS Kesehatan",
}
OFFICE_USERS = [
    ("admin", "Administrator Dinsos", Role.ADMIN),
    ("operator", "Operator Dinsos", Role.OPERATOR),
    ("pimpinan", "Kepala Dinas Sosial", Role.PIMPINAN),
]
ROLES_FROM = date(2017, 1, 1)
BOARD_SEATS = [BoardPosition.CHAIR, BoardPosition.VICE_CHAIR, BoardPosition.SECRETARY, BoardPosition.TREASURER]
BOARD_MEMBERS = 9


@dataclass
class SeedResult:
    created: dict[str, int] = field(default_factory=dict)
    password: str | None = None  # None: the passwords of an earlier run were kept

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def _password_hash(password: str | None, result: SeedResult) -> str | None:
    """One hash for every demo user: hashing a thousand times would take minutes."""
    admin = User.objects.filter(username="admin").first()
    if password is None:
        if admin is not None:
            return None
        password = secrets.token_urlsafe(9)
    result.password = password
    if admin is not None and admin.check_password(password):
        return admin.password
    return make_password(password)


def _create_people(planned: list[DemoWorker], result: SeedResult) -> dict[str, Worker]:
    existing = set(Person.objects.filter(nik__in=[w.nik for w in planned]).values_list("nik", flat=True))
    todo = [w for w in planned if w.nik not in existing]
    persons = Person.objects.bulk_create(
        [
            Person(
                nik=w.nik,
                name=w.name,
                name_normalized=normalize_name(w.name),
                sex=w.sex,
                birth_place=w.birth_place,
                birth_date=w.birth_date,
                address=w.address,
                rt=w.rt,
                rw=w.rw,
                phone=w.phone,
                education=w.education,
                # PSM hold a KTP of the kelurahan they serve (Permensos 10/2019); a TKSK lives in the kecamatan.
                village=w.kelurahan or w.kecamatan.children.order_by("code").first(),
            )  # fmt: skip
            for w in todo
        ],
        batch_size=500,
    )
    workers = Worker.objects.bulk_create(
        [
            Worker(
                person=p,
                role=w.role,
                kecamatan=w.kecamatan,
                kelurahan=w.kelurahan,
                joined_on=w.joined_on,
                status=WorkerStatus.STOPPED if w.stopped_on else WorkerStatus.ACTIVE,
                status_date=w.stopped_on or w.joined_on,
                status_reason=w.stop_reason,
                bank_name=w.bank_name,
                account_number=w.account_number,
                account_holder=w.name,
            )  # fmt: skip
            for w, p in zip(todo, persons, strict=True)
        ],
        batch_size=500,
    )
    pairs = list(zip(todo, workers, strict=True))
    Assignment.objects.bulk_create(
        [
            Assignment(
                worker=wk, role=w.role, region=w.kelurahan or w.kecamatan, start_date=w.joined_on, end_date=w.stopped_on
            )  # fmt: skip
            for w, wk in pairs
        ],
        batch_size=500,
    )
    changes = [StatusChange(worker=wk, status=WorkerStatus.ACTIVE, date=w.joined_on) for w, wk in pairs]
    changes += [
        StatusChange(worker=wk, status=WorkerStatus.STOPPED, date=w.stopped_on, reason=w.stop_reason)
        for w, wk in pairs
        if w.stopped_on
    ]
    StatusChange.objects.bulk_create(changes, batch_size=500)
    Decree.objects.bulk_create(
        [Decree(worker=wk, number=w.decree_number, date=w.joined_on, issuer=ISSUER) for w, wk in pairs],
        batch_size=500,
    )
    audit.record_many(None, "workers.worker.created", workers, data={"source": "seed-demo"})
    result.created |= {"pekerja": len(workers)}
    return {w.nik: wk for w, wk in pairs} | {
        wk.person.nik: wk for wk in Worker.objects.select_related("person").filter(person__nik__in=existing)
    }


def _create_users(planned: list[DemoWorker], workers: dict[str, Worker], pw_hash: str | None, result: SeedResult):
    agencies = {a.code: a for a in Agency.objects.all()}
    new_agencies = [Agency(code=c, name=n) for c, n in AGENCIES.items() if c not in agencies]
    for agency in Agency.objects.bulk_create(new_agencies):
        agencies[agency.code] = agency
    wanted: list[tuple[str, str, str, Region | None, Agency | None]] = [
        (u, n, r, None, None) for u, n, r in OFFICE_USERS
    ] + [("opd.dinkes", "Petugas Dinas Kesehatan", Role.OPD, None, agencies["dinkes"])]
    wanted += [(w.username, w.name, w.role, w.kelurahan or w.kecamatan, None) for w in planned if w.username]
    existing = set(User.objects.filter(username__in=[u for u, *_ in wanted]).values_list("username", flat=True))
    if pw_hash is not None and existing:
        # A new password was asked for: every demo user gets it (one hash, one query).
        User.objects.filter(username__in=existing).exclude(password=pw_hash).update(password=pw_hash)
    new = [row for row in wanted if row[0] not in existing]
    users = User.objects.bulk_create(
        [
            User(
                username=u,
                full_name=n,
                password=pw_hash or make_password(None),
                is_staff=r == Role.ADMIN,
                is_superuser=r == Role.ADMIN,
            )  # fmt: skip
            for u, n, r, _region, _agency in new
        ],
        batch_size=500,
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=user, role=r, region=region, agency=agency, valid_from=ROLES_FROM)
            for user, (_u, _n, r, region, agency) in zip(users, new, strict=True)
        ],
        batch_size=500,
    )
    by_name = {u.username: u for u in users}
    linked = []
    for w in planned:
        worker = workers[w.nik]
        if w.username in by_name and worker.user_id is None:
            worker.user = by_name[w.username]
            linked.append(worker)
    Worker.objects.bulk_update(linked, ["user"], batch_size=500)
    result.created |= {"OPD": len(new_agencies), "pengguna": len(users)}


def _create_board(planned: list[DemoWorker], workers: dict[str, Worker], result: SeedResult) -> None:
    period, created = BoardPeriod.objects.get_or_create(
        start_year=2021,
        end_year=2026,
        defaults={"decree_number": "400/Kep.112-Dinsos/2023", "inaugurated_on": date(2023, 3, 16)},
    )
    if not created:
        result.created |= {"pengurus IPSM": 0}
        return
    # One board member from each of the first kelurahan, by seniority: stable from run to run.
    seen: set[str] = set()
    holders = []
    for w in sorted(planned, key=lambda w: (w.joined_on, w.nik)):
        if w.role == "psm" and not w.stopped_on and w.kelurahan.code not in seen:
            seen.add(w.kelurahan.code)
            holders.append(workers[w.nik])
    positions = BOARD_SEATS + [BoardPosition.MEMBER] * BOARD_MEMBERS
    BoardMembership.objects.bulk_create(
        [BoardMembership(period=period, position=p, worker=h) for p, h in zip(positions, holders, strict=False)]
    )
    result.created |= {"pengurus IPSM": len(positions)}


@transaction.atomic
def seed_demo(*, region_code: str, password: str | None) -> SeedResult:
    result = SeedResult()
    loaded = load_region(region_code)
    result.created["wilayah"] = loaded.created
    planned = plan(list(city_kecamatan()), list(city_villages()))
    pw_hash = _password_hash(password, result)
    workers = _create_people(planned, result)
    _create_users(planned, workers, pw_hash, result)
    _create_board(planned, workers, result)
    if result.changed:
        audit.record(None, "workers.demo.seeded", Region.objects.get(code=loaded.code), data=result.created)
    return result
