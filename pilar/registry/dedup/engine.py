"""The scan: persons in, scored candidate pairs out, in memory and in bulk.

``find_pairs`` is pure (a list of ``scoring.Person`` tuples in, ``(id_a, id_b, score)`` out) so the
benchmark can feed it a million generated persons without a database. ``load_persons`` and
``store_candidates`` are its database ends: ``values_list`` in chunks (no model instances) and
``bulk_create``. Each blocking key is indexed in its own dict, built and dropped in turn, so that
peak memory is the persons plus one index.
"""

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from pilar.identity.models import Person as PersonModel
from pilar.registry.dedup.blocking import date_key, match_tokens, name_key, swapped
from pilar.registry.dedup.scoring import THRESHOLD, Person, score_at_least
from pilar.registry.models import DuplicateCandidate, HouseholdMember

CHUNK = 20_000
# A block bigger than this is a data problem (hundreds of "Budi" without birth date in one
# kelurahan), not a set of duplicates; comparing it all-pairs would make the scan quadratic.
MAX_BLOCK = 300
MERGED_ACTION = "registry.person.merged"
Pair = tuple[int, int, float]


def prepare(pid: int, nik: str | None, name: str, sex: str, born: date | None, area: int | None) -> Person:
    tokens = match_tokens(name)
    return Person(pid, nik or "", " ".join(tokens), name_key(tokens), sex, born.toordinal() if born else 0, area or 0)


def _blocks(index: dict[Any, list[int] | int]) -> Iterator[list[int]]:
    for members in index.values():
        if isinstance(members, list) and len(members) <= MAX_BLOCK:
            yield members


def _index(persons: list[Person], key_of: Callable[[Person], Any]) -> dict[Any, list[int] | int]:
    # A singleton is stored as the bare position: most keys have one person, and a list each would cost ~100 MB.
    index: dict[Any, list[int] | int] = {}
    for i, p in enumerate(persons):
        key = key_of(p)
        if key is None:
            continue
        found = index.get(key)
        if found is None:
            index[key] = i
        elif isinstance(found, int):
            index[key] = [found, i]
        else:
            found.append(i)
    return index


def _key_date(p: Person) -> int | None:
    return date_key(p.born, p.key, p.sex) if p.born and p.key else None


def _key_year(p: Person) -> str | None:
    return f"{date.fromordinal(p.born).year}:{p.key}" if p.born and p.key else None


def _key_area(p: Person) -> str | None:
    return f"{p.area}:{p.key}" if p.area and p.key else None


@contextmanager
def _no_gc() -> Iterator[None]:
    """Millions of small tuples and no reference cycles: the cyclic collector would only rescan them, again
    and again (a million persons took four times longer with it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def find_pairs(persons: list[Person], *, threshold: float = THRESHOLD, focus: set[int] | None = None) -> list[Pair]:
    """Scored pairs at or above ``threshold`` (``id_a < id_b``); with ``focus``, only pairs touching those ids."""
    with _no_gc():
        return _find_pairs(persons, threshold, focus)


def _find_pairs(persons: list[Person], threshold: float, focus: set[int] | None) -> list[Pair]:
    found: dict[tuple[int, int], float] = {}
    seen: set[tuple[int, int]] = set()

    def consider(i: int, j: int) -> None:
        a, b = persons[i], persons[j]
        if focus is not None and a.id not in focus and b.id not in focus:
            return
        pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if pair in seen:
            return
        seen.add(pair)
        value = score_at_least(a, b, threshold)
        if value is not None:
            found[pair] = value

    by_date = _index(persons, _key_date)
    for block in _blocks(by_date):
        for x, i in enumerate(block):
            for j in block[x + 1 :]:
                consider(i, j)
    # Day and month swapped: probe the same index, no second one needed.
    for i, p in enumerate(persons):
        other = swapped(date.fromordinal(p.born)) if p.born and p.key else None
        hit = by_date.get(date_key(other.toordinal(), p.key, p.sex)) if other else None
        for j in [hit] if isinstance(hit, int) else (hit or [])[:MAX_BLOCK]:
            consider(i, j)
    del by_date
    for key_of in (_key_year, _key_area):
        for block in _blocks(_index(persons, key_of)):
            for x, i in enumerate(block):
                for j in block[x + 1 :]:
                    consider(i, j)
    return [(a, b, s) for (a, b), s in found.items()]


def merged_person_ids() -> set[int]:
    """Persons merged into another: kept (they may not be deleted) but never proposed again."""
    from pilar.audit.models import AuditEntry

    ids = AuditEntry.objects.filter(action=MERGED_ACTION).values_list("object_id", flat=True)
    return {int(i) for i in ids}


def load_persons(where: Q | None = None) -> list[Person]:
    """The persons to match, read in chunks as tuples; the kelurahan is the KTP one, else the household's."""
    skip = merged_person_ids()
    qs = PersonModel.objects.order_by().values_list("id", "nik", "name", "sex", "birth_date", "village_id")
    if where is not None:
        qs = qs.filter(where)
    with _no_gc():
        persons = [prepare(*row) for row in qs.iterator(chunk_size=CHUNK) if row[0] not in skip]
    homeless = {p.id for p in persons if not p.area}
    if homeless:
        areas = _household_areas(homeless)
        persons = [p._replace(area=areas.get(p.id, 0)) if not p.area else p for p in persons]
    return persons


def _household_areas(person_ids: set[int]) -> dict[int, int]:
    rows = HouseholdMember.objects.filter(until__isnull=True, person__village__isnull=True).values_list(
        "person_id", "household__kelurahan_id"
    )
    return {pid: kel for pid, kel in rows.iterator(chunk_size=CHUNK) if pid in person_ids}


def store_candidates(pairs: Iterable[Pair], persons: list[Person]) -> list[DuplicateCandidate]:
    """Insert the pairs not stored yet; an open pair keeps its row, a decided one is never proposed again.

    No ``ignore_conflicts``: the new rows come back with their ids for the audit entries. Two scans at
    once may collide on the unique pair; the later one then fails whole and can simply run again.
    """
    from pilar.regions.models import Region
    from pilar.registry.dedup.scoring import reasons

    pairs = list(pairs)
    if not pairs:
        return []
    by_id = {p.id: p for p in persons}
    ids = {x for a, b, _s in pairs for x in (a, b)}
    stored = DuplicateCandidate.objects.values_list("person_a_id", "person_b_id")
    # A small scan (after an import) asks only about its persons; a full one reads all pairs once.
    existing = set(stored.filter(person_a_id__in=ids) if len(ids) < 5_000 else stored.iterator(chunk_size=CHUNK))
    villages = Region.objects.villages()
    parent = dict(villages.values_list("id", "parent_id"))
    rows = []
    for a, b, value in pairs:
        if (a, b) in existing:
            continue
        pa, pb = by_id[a], by_id[b]
        area = pa.area or pb.area or None
        rows.append(
            DuplicateCandidate(
                person_a_id=a, person_b_id=b, score=Decimal(f"{value:.3f}"), reasons=reasons(pa, pb),
                kelurahan_id=area, kecamatan_id=parent.get(area) if area else None,
            )
        )  # fmt: skip
    return DuplicateCandidate.objects.bulk_create(rows, batch_size=2000)
