"""Registry test data built through the services, so that records look like real ones (events, audit)."""

import itertools
from typing import Any

from pilar.identity.models import Person
from pilar.registry import services
from pilar.registry.models import Category, Household, PpksRecord, Relationship
from tests.conftest import KEL_A
from tests.factories import PersonFactory, region

_kk_serials = itertools.count(1)
HOMELESS = "PPKS-11"  # Gelandangan: a category for one person
POOR_FAMILY = "PPKS-24"  # Fakir Miskin: a category for a household


def next_kk() -> str:
    """A fresh, valid No. KK issued in Kecamatan Tangerang (3671.01)."""
    return f"367101{next(_kk_serials) + 1200000000:010d}"


def person_in(kelurahan_code: str = KEL_A, **kwargs: Any) -> Person:
    return PersonFactory(village=region(kelurahan_code), **kwargs)


def household_in(kelurahan_code: str = KEL_A, *, actor: Any = None, size: int = 2) -> Household:
    """A household whose first member heads it; the others are its children."""
    members = [(person_in(kelurahan_code), Relationship.HEAD)]
    members += [(person_in(kelurahan_code), Relationship.CHILD) for _ in range(size - 1)]
    return services.household_create(
        actor=actor, kk_number=next_kk(), kelurahan=region(kelurahan_code), members=members, address="Jl. Mawar 1"
    )


def propose(
    actor: Any,
    *,
    person: Person | None = None,
    household: Household | None = None,
    kelurahan_code: str = KEL_A,
    category: str = HOMELESS,
    **kwargs: Any,
) -> PpksRecord:
    if person is None and household is None:
        person = person_in(kelurahan_code)
    return services.ppks_propose(
        actor=actor,
        category=Category.objects.get(code=category),
        kelurahan=region(kelurahan_code),
        source=kwargs.pop("source", "psm"),
        person=person,
        household=household,
        **kwargs,
    )
