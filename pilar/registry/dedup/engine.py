"""The scan: persons in, scored candidate pairs out, in memory and in bulk.

``find_pairs`` is pure (a list of ``scoring.Person`` tuples in, ``(id_a, id_b, score)`` out) so the
benchmark can feed it a million generated persons without a database. ``load_persons`` and
``store_candidates`` are its database ends: ``values_list`` in chunks (no model instances) and
``bulk_create``. Each blocking key is indexed in its own dict, built and dropped in turn, so that
peak memory is the persons plus one index.
"""

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Q

from pilar.identity.models import Person as PersonModel
from pilar.identity.nik import FEMALE_DAY_OFFSET
from pilar.registry.dedup.blocking import date_key, initials, match_tokens, name_key, spelled, swapped, year_moved
from pilar.registry.dedup.scoring import (
    COMMON_SHARE,
    DIFFERENT_NIK_FACTOR,
    NIK_LENGTH,
    PLACEHOLDER_DAYS,
    THRESHOLD,
    Person,
    score_at_least,
    two_sets_of_papers,
)
from pilar.registry.models import DuplicateCandidate, HouseholdMember

CHUNK = 20_000
# A block bigger than this is a data problem (hundreds of "Budi" without birth date in one
# kelurahan), not a set of duplicates; comparing it all-pairs would make the scan quadratic.
MAX_BLOCK = 300
# Past this many persons, a block of a vague-date key is a common word: see _find_pairs.
COMMON_BLOCK = 40
# A record without NIK keeps only the matches this close to its best (see _best_links). Measured on the office
# data (bench/dedup.py, 2026-12-07): at 1,000,000 persons 0.05 took precision from 0.956 to 0.974 for 0.0002 of
# recall (0.10: 0.971; 0.20: 0.961); at 300,000, 0.982 → 0.991 with recall unchanged.
BEST_LINK_MARGIN = 0.05
# A record without NIK that this many unrelated records match alike is proposed with none (see _best_links).
# 1,000,000 office persons: precision 0.974 -> 0.990, recall 0.964 -> 0.963, date_missing 0.914 -> 0.882
# (at 2: 0.994 / 0.960 / 0.850; at 4: 0.989 / 0.964 / 0.894); at 100,000 the same precision ± 0.0004.
AMBIGUOUS_MATCHES = 3
MERGED_ACTION = "registry.person.merged"
Pair = tuple[int, int, float]


def prepare(
    pid: int, nik: str | None, kk: str | None, name: str, sex: str, born: date | None, area: int | None
) -> Person:
    canon, key, words = name_parts(name)
    return Person(pid, nik or "", kk or "", canon, key, words, sex, matching_birth(born, nik or ""), area or 0)


@lru_cache(maxsize=1 << 18)
def name_parts(name: str) -> tuple[str, str, str]:
    """(canon, key, words) of a raw name; cached because names repeat (a million persons hold far fewer
    distinct names), and normalising one is most of the preparation."""
    tokens = match_tokens(name)
    return " ".join(tokens), name_key(tokens), " ".join(spelled(tokens))


def matching_birth(born: date | None, nik: str) -> int:
    """The birth date matching compares, as an ordinal (0 unknown).

    Where only the year was known (a placeholder day) or nothing, the NIK still carries the real date
    Dukcapil registered: matching uses that, so that "01-01-1972" with NIK ...140972... meets the record
    that says 14-09-1972. A NIK whose year disagrees with the stated year is not trusted for it."""
    if born is not None and (born.day, born.month) not in PLACEHOLDER_DAYS:
        return born.toordinal()
    told = nik_birth(nik, born.year if born else None)
    if told is not None:
        return told.toordinal()
    return born.toordinal() if born else 0


def nik_birth(nik: str, year: int | None) -> date | None:
    """The birth date a well-formed NIK encodes, in ``year`` when given (its last two digits must agree),
    else in the latest century not in the future."""
    if len(nik) != NIK_LENGTH or not nik.isdigit():
        return None
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    day -= FEMALE_DAY_OFFSET if day > FEMALE_DAY_OFFSET else 0
    if year is not None and year % 100 != yy:
        return None
    if year is None:
        this = date.today().year
        year = this - this % 100 + yy
        year -= 100 if year > this else 0
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _blocks(index: dict[Any, list[int] | int]) -> Iterator[list[int]]:
    for members in index.values():
        if isinstance(members, list) and len(members) <= MAX_BLOCK:
            yield members


def _file(index: dict[Any, list[int] | int], key: Any, i: int) -> None:
    """Files position ``i`` under ``key``. A singleton is stored as the bare position: most keys have one person,
    and a list each would cost ~100 MB."""
    found = index.get(key)
    if found is None:
        index[key] = i
    elif isinstance(found, int):
        index[key] = [found, i]
    else:
        found.append(i)


def _index_many(persons: list[Person], keys_of: Callable[[Person], list[Any]]) -> dict[Any, list[int] | int]:
    """As ``_index``, for a person filed under several keys."""
    index: dict[Any, list[int] | int] = {}
    for i, p in enumerate(persons):
        for key in keys_of(p):
            _file(index, key, i)
    return index


def _index(persons: list[Person], key_of: Callable[[Person], Any]) -> dict[Any, list[int] | int]:
    index: dict[Any, list[int] | int] = {}
    for i, p in enumerate(persons):
        key = key_of(p)
        if key is not None:
            _file(index, key, i)
    return index


def _keys_date(p: Person) -> list[int]:
    return [date_key(p.born, i, p.sex) for i in initials(p.words)] if p.born else []


def _keys_date_word(p: Person) -> list[str]:
    return [f"{p.born}{p.sex}{w}" for w in _ends(p)] if p.born else []


def _key_area(p: Person) -> str | None:
    return f"{p.area}:{p.key}" if p.area and p.key else None


def _key_nik_serial(p: Person) -> str | None:
    return p.nik[:12] if len(p.nik) == 16 else None


def _key_nik_region(p: Person) -> str | None:
    return f"{p.nik[6:]}{p.words[:1]}" if len(p.nik) == 16 else None


def _key_kk(p: Person) -> str | None:
    # Not keyed on the last word's initial as well: a family shares its name, and pairing all its members
    # cost a third more scoring for a handful of reversed names (measured on the office data, 2026-12-07).
    return f"{p.kk}{p.words[:1]}" if p.kk else None


def _ends(p: Person) -> set[str]:
    """The first and the last word: a reversed name still shares one of them in place."""
    words = p.words.split()
    return {words[0], words[-1]} if words else set()


def _keys_year(p: Person) -> list[str]:
    return [f"{date.fromordinal(p.born).year}{p.sex}{w}" for w in _ends(p)] if p.born else []


def _keys_area(p: Person) -> list[str]:
    return [f"{p.area}{p.sex}{w}" for w in _ends(p)] if p.area else []


def _vague(p: Person) -> bool:
    """Only the year of birth is known (a placeholder day and month), or nothing at all."""
    if not p.born:
        return True
    born = date.fromordinal(p.born)
    return (born.day, born.month) in PLACEHOLDER_DAYS


def _same_area(p: Person, q: Person) -> bool:
    return p.area == q.area or not p.area or not q.area


def _same_year(p: Person, q: Person) -> bool:
    """Born the same year, or either date unknown."""
    return not p.born or not q.born or date.fromordinal(p.born).year == date.fromordinal(q.born).year


def _all_registered_apart(persons: list[Person], block: list[int]) -> bool:
    """Every member has a NIK and a KK, all NIKs and all KKs differ: every pair is two sets of papers
    (``scoring.two_sets_of_papers``), so the block holds no candidate; checked in one pass, not pair by pair."""
    niks: set[str] = set()
    kks: set[str] = set()
    for i in block:
        p = persons[i]
        if not p.nik or not p.kk or p.nik in niks or p.kk in kks:
            return False
        niks.add(p.nik)
        kks.add(p.kk)
    return True


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


def find_pairs(
    persons: list[Person],
    *,
    threshold: float = THRESHOLD,
    focus: set[int] | None = None,
    stats: dict[str, Any] | None = None,
    best_only: bool = True,
) -> list[Pair]:
    """Scored pairs at or above ``threshold`` (``id_a < id_b``); with ``focus``, only pairs touching those ids;
    with ``best_only``, without the weaker matches of a record without NIK beside a far stronger one
    (``_best_links``).

    ``stats``, when given, is filled per blocking key (``"keys"``: block sizes, pairs tried and kept, CPU
    seconds) and with the key that first met each pair kept (``"met_by"``): what the benchmark prints to
    see which key grows with the registry."""
    with _no_gc():
        pairs = _find_pairs(persons, threshold, focus, stats)
        return _best_links(pairs, persons) if best_only else pairs


def common_keys(persons: list[Person]) -> frozenset[str]:
    """Name keys many persons share ("Siti", "Budi"): at least ``COMMON_SHARE`` of the registry, and 3."""
    limit = max(3, int(len(persons) * COMMON_SHARE))
    return frozenset(k for k, n in Counter(p.key for p in persons).items() if n > limit)


class _Tally:
    """Per blocking key: a histogram of block sizes, the pairs in its blocks, those scored (not rejected on their
    papers alone) and kept, CPU seconds (for ``stats``)."""

    def __init__(self, stats: dict[str, Any] | None) -> None:
        self.stats = stats
        self.keys: dict[str, dict[str, Any]] = {}
        self.met_by: dict[tuple[int, int], str] = {}
        self.current = ""
        self.tried = 0
        self.started = 0.0
        if stats is not None:
            stats["keys"], stats["met_by"] = self.keys, self.met_by

    def start(self, name: str) -> None:
        if self.stats is not None:
            self.current, self.started = name, time.process_time()
            self.keys[name] = {"blocks": Counter(), "in_blocks": 0, "tried": 0, "kept": 0, "cpu_s": 0.0}
            self.tried = 0

    def block(self, size: int, pairs: int) -> None:
        if self.stats is not None:
            entry = self.keys[self.current]
            entry["blocks"][_bucket(size)] += 1
            entry["in_blocks"] += pairs if size <= MAX_BLOCK else 0

    def kept(self, pair: tuple[int, int]) -> None:
        if self.stats is not None:
            self.keys[self.current]["kept"] += 1
            self.met_by[pair] = self.current

    def stop(self) -> None:
        if self.stats is not None:
            entry = self.keys[self.current]
            entry["tried"], entry["cpu_s"] = self.tried, time.process_time() - self.started


BUCKETS = (2, 5, 10, 20, 40, 100, 300, 1000)


def _bucket(size: int) -> str:
    """``"≤5"`` … ``">1000"``: block sizes as the benchmark prints them."""
    return next((f"≤{b}" for b in BUCKETS if size <= b), f">{BUCKETS[-1]}")


def _find_pairs(
    persons: list[Person], threshold: float, focus: set[int] | None, stats: dict[str, Any] | None
) -> list[Pair]:
    found: dict[tuple[int, int], float] = {}
    seen: set[tuple[int, int]] = set()
    common = common_keys(persons)
    tally = _Tally(stats)
    hopeless = threshold > DIFFERENT_NIK_FACTOR

    def consider(i: int, j: int) -> None:
        a, b = persons[i], persons[j]
        if focus is not None and a.id not in focus and b.id not in focus:
            return
        if hopeless and two_sets_of_papers(a, b):
            return  # most blocked pairs are two registered strangers: rejected before the pair is even kept as seen
        pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if pair in seen:
            return
        seen.add(pair)
        tally.tried += 1
        value = score_at_least(a, b, threshold, common)
        if value is not None:
            found[pair] = value
            tally.kept(pair)

    # With a focus, only the blocks holding one of its persons are compared: the same pairs, far fewer tried.
    focused = None if focus is None else {i for i, p in enumerate(persons) if p.id in focus}

    def pairs_in(index: dict[Any, list[int] | int]) -> None:
        if stats is not None:
            for members in index.values():
                if isinstance(members, list):
                    tally.block(len(members), len(members) * (len(members) - 1) // 2)
        for block in _blocks(index):
            if focused is not None and focused.isdisjoint(block):
                continue
            if hopeless and len(block) > 3 and _all_registered_apart(persons, block):
                continue
            for x, i in enumerate(block):
                for j in block[x + 1 :]:
                    consider(i, j)

    def probe(index: dict[Any, list[int] | int], i: int, key: Any) -> None:
        hit = index.get(key)
        if stats is not None and hit is not None:
            tally.block(len(hit) if isinstance(hit, list) else 1, len(hit) if isinstance(hit, list) else 1)
        for j in [hit] if isinstance(hit, int) else (hit or [])[:MAX_BLOCK]:
            if j != i:
                consider(i, j)

    tally.start("date+sex+initial")
    pairs_in(_index_many(persons, _keys_date))
    tally.stop()
    # Day and month swapped, or the year one off: the other date with the first or last word. A word, not its
    # initial as above: strangers born on one day grow with the registry, and each probe would meet them all.
    tally.start("swapped/year-off date+sex+word")
    by_word = _index_many(persons, _keys_date_word)
    for i, p in enumerate(persons):
        if not p.born:
            continue
        born = date.fromordinal(p.born)
        for other in (swapped(born), year_moved(born, 1)):
            if other is not None:
                for word in _ends(p):
                    probe(by_word, i, f"{other.toordinal()}{p.sex}{word}")
    del by_word
    tally.stop()
    for name, key_of in (
        ("kelurahan+name", _key_area),
        ("nik serial", _key_nik_serial),
        ("nik region", _key_nik_region),
        ("kk+initial", _key_kk),
    ):
        tally.start(name)
        pairs_in(_index(persons, key_of))
        tally.stop()
    # Only the year known, or no date: the person meets the same first word born that year, or in that kelurahan.
    vague = [i for i, p in enumerate(persons) if _vague(p)]
    for name, keys_of, near in (
        ("vague: year+sex+word", _keys_year, _same_area),
        ("vague: kelurahan+sex+word", _keys_area, _same_year),
    ):
        tally.start(name)
        index = _index_many(persons, keys_of)
        for i in vague:
            p = persons[i]
            for key in keys_of(p):
                hit = index.get(key)
                if isinstance(hit, list):
                    tally.block(len(hit), len(hit) - 1)
                if isinstance(hit, list) and len(hit) > COMMON_BLOCK:
                    # A common word ("Siti" born in 1980): only the same kelurahan (or year) could reach the
                    # threshold, and comparing hundreds of strangers made big registries slow.
                    hit = [j for j in hit if near(p, persons[j])]
                for j in [hit] if isinstance(hit, int) else (hit or [])[:MAX_BLOCK]:
                    if j != i:
                        consider(i, j)
        del index
        tally.stop()
    return [(a, b, s) for (a, b), s in found.items()]


def _best_links(pairs: list[Pair], persons: list[Person]) -> list[Pair]:
    """Drop the weaker matches of a person without a NIK beside a much stronger one, and all of its matches when
    several strangers match it equally well.

    Such a record is one person typed once more: when it meets one record far better than another (by
    ``BEST_LINK_MARGIN``), the other is a namesake born on the same day or in the same kelurahan, and those
    grow with the registry (a million persons hold ~20 of each sex born on each day). Kept when the weaker
    partner is itself matched to the better one: three entries of one person. When ``AMBIGUOUS_MATCHES`` or
    more records unrelated to each other match it as well as the best ("Endang", no birth date, KK lost, in a
    kelurahan with twenty Endangs), nothing on the record tells which one it is: none is proposed."""
    loose = {p.id for p in persons if not p.nik}
    best: dict[int, tuple[float, int]] = {}
    for a, b, value in pairs:
        for x, other in ((a, b), (b, a)):
            if x in loose and value > best.get(x, (0.0, 0))[0]:
                best[x] = (value, other)
    linked = {(a, b) for a, b, _s in pairs}

    def related(x: int, y: int) -> bool:
        return x == y or (min(x, y), max(x, y)) in linked

    rivals: Counter[int] = Counter()
    for a, b, value in pairs:
        for x, other in ((a, b), (b, a)):
            if x in loose:
                top, partner = best[x]
                rivals[x] += value >= top - BEST_LINK_MARGIN and not related(partner, other)
    ambiguous = {x for x, n in rivals.items() if n + 1 >= AMBIGUOUS_MATCHES}

    def keeps(x: int, other: int, value: float) -> bool:
        if x not in loose:
            return True
        if x in ambiguous:
            return False
        top, partner = best[x]
        return value >= top - BEST_LINK_MARGIN or related(partner, other)

    return [(a, b, v) for a, b, v in pairs if keeps(a, b, v) and keeps(b, a, v)]


def merged_person_ids() -> set[int]:
    """Persons merged into another: kept (they may not be deleted) but never proposed again."""
    from pilar.audit.models import AuditEntry

    ids = AuditEntry.objects.filter(action=MERGED_ACTION).values_list("object_id", flat=True)
    return {int(i) for i in ids}


def load_persons(where: Q | None = None) -> list[Person]:
    """The persons to match, read in chunks as tuples, with their current KK; the kelurahan is the KTP one,
    else the household's."""
    skip = merged_person_ids()
    qs = PersonModel.objects.order_by().values_list("id", "nik", "name", "sex", "birth_date", "village_id")
    if where is not None:
        qs = qs.filter(where)
    with _no_gc():
        rows = [row for row in qs.iterator(chunk_size=CHUNK) if row[0] not in skip]
        families = _households({row[0] for row in rows})
        persons = []
        for pid, nik, name, sex, born, area in rows:
            kk, kelurahan = families.get(pid, ("", 0))
            persons.append(prepare(pid, nik, kk, name, sex, born, area or kelurahan))
    return persons


def _households(person_ids: set[int]) -> dict[int, tuple[str, int]]:
    """(KK number, kelurahan) of each person's current household."""
    rows = HouseholdMember.objects.filter(until__isnull=True).values_list(
        "person_id", "household__kk_number", "household__kelurahan_id"
    )
    return {pid: (kk or "", kel) for pid, kk, kel in rows.iterator(chunk_size=CHUNK) if pid in person_ids}


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
                person_a_id=a,
                person_b_id=b,
                score=Decimal(f"{value:.3f}"),
                reasons=reasons(pa, pb),
                kelurahan_id=area,
                kecamatan_id=parent.get(area) if area else None,
            )
        )
    return DuplicateCandidate.objects.bulk_create(rows, batch_size=2000)
