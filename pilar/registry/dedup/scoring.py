"""The score of a candidate pair (0–1) and its reasons in Bahasa Indonesia.

A weighted sum of agreements, each in 0–1: the name (half of the weight: it is what officers get
wrong in the most ways), the birth date, the sex and the kelurahan. NIKs override: the same NIK is
one person for certain; two different valid NIKs are strong evidence of two persons, strongest when
they disagree on the region, birth date or sex they encode. When only the 4-digit serial differs the
pair may be a NIK issued twice (a known Dukcapil problem), so it is still shown, lower, for review;
likewise when the two encoded birth dates are the same date with day and month swapped;
such a pair can never be merged here (see ``services.duplicate_merge``).

``score`` runs on every blocked pair, so it takes plain tuples and bails out early; ``reasons`` runs
only on the pairs kept.
"""

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from django.utils.translation import gettext as _
from rapidfuzz.distance import OSA, Indel
from rapidfuzz.fuzz import token_sort_ratio

from pilar.identity.nik import NikError, NikInfo, parse_nik

THRESHOLD = 0.75  # pairs below are not stored; tuned on the synthetic registry (bench/dedup.py)
NAME_FLOOR = 0.70  # name similarity at which the name starts to count at all
ONE_TYPO = 0.90
SUBSET_SIMILARITY = 0.85  # "Budi" vs "Budi Santoso": one name is the other's, shortened
W_NAME, W_DATE, W_SEX, W_AREA = 0.50, 0.30, 0.08, 0.12
DIFFERENT_NIK_FACTOR = 0.3  # different region/date/sex encoded: practically never a candidate
NIK_NEAR_PENALTY = 0.05  # NIKs that agree on all they encode: maybe one person with a NIK issued twice
# Dates the civil registry and officers write when only the year is known.
PLACEHOLDER_DAYS = frozenset({(1, 1), (1, 7), (31, 12)})
_TODAY = date.today()  # NIK years are read relative to today; fixed per process so the cache stays valid


class Person(NamedTuple):
    """What matching needs of a person, as plain values (one of these per person in memory)."""

    id: int
    nik: str  # "" when unknown
    canon: str  # matching tokens joined by spaces: "muhammad rizki"
    key: str  # blocking.name_key: "rizki"
    sex: str
    born: int  # date.toordinal(), 0 when unknown
    area: int  # kelurahan id, 0 when unknown


def name_similarity(a: Person, b: Person) -> float:
    best = max(Indel.normalized_similarity(a.key, b.key), token_sort_ratio(a.canon, b.canon) / 100)
    if best < ONE_TYPO and min(len(a.key), len(b.key)) >= 4 and OSA.distance(a.key, b.key, score_cutoff=1) <= 1:
        # One typo (a letter doubled, dropped, changed or two swapped) weighs the same in "Pardi" as in a long name.
        return ONE_TYPO
    if best < SUBSET_SIMILARITY and _is_subset(a, b):
        return SUBSET_SIMILARITY
    return best


def _is_subset(a: Person, b: Person) -> bool:
    ta, tb = set(a.canon.split()) - {"muhammad"}, set(b.canon.split()) - {"muhammad"}
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


def date_agreement(a: int, b: int) -> tuple[float, str]:
    """(agreement 0–1, kind) for two birth-date ordinals; kind names the case for the reasons."""
    if not a or not b:
        return 0.5, "missing"
    if a == b:
        return 1.0, "equal"
    da, db = date.fromordinal(a), date.fromordinal(b)
    if (da.day, da.month) == (db.month, db.day) and da.year == db.year:
        return 0.85, "swapped"
    if da.year == db.year:
        placeholder = (da.day, da.month) in PLACEHOLDER_DAYS or (db.day, db.month) in PLACEHOLDER_DAYS
        return (0.6, "year_only") if placeholder else (0.45, "same_year")
    return 0.0, "different"


def nik_relation(a: str, b: str) -> str:
    """``same``; ``unknown`` (one missing or invalid); ``near`` (same kecamatan and sex, birth dates equal or
    with day and month swapped: a NIK issued twice, or issued on a mistyped date); else ``different``."""
    if not a or not b:
        return "unknown"
    if a == b:
        return "same"
    ia, ib = _parsed(a), _parsed(b)
    if ia is None or ib is None:
        return "unknown"
    if ia.kecamatan == ib.kecamatan and ia.sex == ib.sex:
        da, db = ia.birth_date, ib.birth_date
        if da == db or (da.year, da.month, da.day) == (db.year, db.day, db.month):
            return "near"
    return "different"


@lru_cache(maxsize=65_536)
def _parsed(nik: str) -> NikInfo | None:
    try:
        return parse_nik(nik, today=_TODAY)
    except NikError:
        return None


def score(a: Person, b: Person, name_sim: float | None = None) -> float:
    name = name_similarity(a, b) if name_sim is None else name_sim
    nik = nik_relation(a.nik, b.nik)
    if nik == "same":
        return 1.0
    value = W_NAME * max(0.0, (name - NAME_FLOOR) / (1 - NAME_FLOOR))
    value += W_DATE * date_agreement(a.born, b.born)[0]
    value += W_SEX * (a.sex == b.sex)
    value += W_AREA * (0.5 if not a.area or not b.area else a.area == b.area)
    if nik == "different":
        value *= DIFFERENT_NIK_FACTOR
    elif nik == "near":
        value -= NIK_NEAR_PENALTY
    return round(min(1.0, max(0.0, value)), 3)


def reasons(a: Person, b: Person) -> list[str]:
    """Why the pair was proposed, for the reviewer: one short Indonesian sentence per signal."""
    out: list[str] = []
    nik = nik_relation(a.nik, b.nik)
    if nik == "same":
        return [_("NIK sama")]
    name = name_similarity(a, b)
    if a.canon == b.canon or a.key == b.key:
        out.append(_("Nama sama setelah dinormalkan (gelar, ejaan Muhammad, spasi)"))
    else:
        out.append(_("Nama mirip (%(pct)d%%)") % {"pct": round(name * 100)})
    out.append(
        {
            "equal": _("Tanggal lahir sama"),
            "swapped": _("Tanggal dan bulan lahir tertukar"),
            "year_only": _("Tahun lahir sama (tanggal lahir hanya perkiraan)"),
            "same_year": _("Tahun lahir sama, tanggal berbeda"),
            "missing": _("Tanggal lahir tidak tercatat pada salah satu data"),
            "different": _("Tanggal lahir berbeda"),
        }[date_agreement(a.born, b.born)[1]]
    )
    out.append(_("Jenis kelamin sama") if a.sex == b.sex else _("Jenis kelamin berbeda"))
    if a.area and a.area == b.area:
        out.append(_("Kelurahan sama"))
    if nik == "near":
        out.append(_("NIK berbeda tetapi isinya cocok (wilayah, tanggal lahir, jenis kelamin): mungkin NIK ganda"))
    elif nik == "different":
        out.append(_("NIK berbeda: kemungkinan besar dua orang"))
    elif bool(a.nik) != bool(b.nik):
        out.append(_("Hanya satu data yang memiliki NIK"))
    return out
