"""Factories for tests: valid Indonesian persons (NIK consistent with birth date and sex) and workers."""

import itertools
from datetime import date

import factory
from factory.django import DjangoModelFactory

from pilar.accounts.models import Agency, Role, RoleAssignment, User
from pilar.identity.models import Person, Sex
from pilar.identity.nik import make_nik
from pilar.regions.models import Region
from pilar.workers.models import Assignment, Worker, WorkerRole, WorkerStatus

_serials = itertools.count(1)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="id_ID")
    sex = factory.Iterator([Sex.FEMALE, Sex.MALE])
    birth_place = "Tangerang"
    birth_date = factory.Faker("date_between", start_date=date(1960, 1, 1), end_date=date(2000, 12, 31))
    address = factory.Faker("street_address", locale="id_ID")
    rt = "001"
    rw = "002"
    nik = factory.LazyAttribute(
        lambda p: make_nik(
            kecamatan_code="36.71.01", birth_date=p.birth_date, sex=p.sex, serial=next(_serials) % 9999 + 1
        )
    )


class WorkerFactory(DjangoModelFactory):
    """A PSM of ``kelurahan`` (default 36.71.01.1001), active since 2020 with an open posting."""

    class Meta:
        model = Worker
        exclude = ["region"]
        skip_postgeneration_save = True

    region = factory.LazyFunction(lambda: region("36.71.01.1001"))
    person = factory.SubFactory(PersonFactory, village=factory.SelfAttribute("..region"))
    role = WorkerRole.PSM
    status = WorkerStatus.ACTIVE
    status_date = date(2020, 1, 6)
    joined_on = date(2020, 1, 6)
    kelurahan = factory.LazyAttribute(lambda w: w.region if w.role == WorkerRole.PSM else None)
    kecamatan = factory.LazyAttribute(lambda w: w.region.parent if w.role == WorkerRole.PSM else w.region)
    bank_name = "Bank BJB"
    account_number = factory.Sequence(lambda n: f"00112233{n:04d}")
    account_holder = factory.SelfAttribute("person.name")

    @factory.post_generation
    def posting(obj, create, extracted, **kwargs):
        if create:
            Assignment.objects.create(worker=obj, role=obj.role, region=obj.area, start_date=obj.joined_on)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password("rahasia-pilar-123")


def user_with_role(username: str, role: str, *, region_code: str | None = None, agency: Agency | None = None) -> User:
    user = UserFactory(username=username)
    RoleAssignment.objects.create(
        user=user,
        role=role,
        region=region(region_code) if region_code else None,
        agency=agency,
        valid_from=date(2020, 1, 1),
    )
    return user


def psm_user(username: str, kelurahan_code: str) -> User:
    user = user_with_role(username, Role.PSM, region_code=kelurahan_code)
    WorkerFactory(region=region(kelurahan_code), user=user)
    return user


def new_psm_data(**overrides) -> dict[str, str]:
    """What an operator types to register a PSM of Sukarasa: the same fields for the page and the API."""
    born = date(1988, 4, 21)
    return {
        "nik": make_nik(kecamatan_code="36.71.01", birth_date=born, sex="P", serial=41),
        "name": "Hj. Nur Aisyah, S.Pd.",
        "sex": "P",
        "birth_place": "Tangerang",
        "birth_date": born.isoformat(),
        "address": "Jl. Ki Samaun No. 5",
        "rt": "003",
        "rw": "004",
        "village": "36.71.01.1001",
        "phone": "0812-1111-2222",
        "education": "s1",
        "role": "psm",
        "kecamatan": "36.71.01",
        "kelurahan": "36.71.01.1001",
        "start_date": "2023-02-01",
        "bank_name": "Bank BJB",
        "account_number": "0012345678",
    } | overrides
