"""The score of a candidate pair (0–1) and its reasons in Bahasa Indonesia.

A weighted sum of agreements, each in 0–1: the name (half of the weight: it is what officers get
wrong in the most ways), the birth date, the sex and the kelurahan. NIKs override: the same NIK is
one person for certain; two different valid NIKs are strong evidence of two persons, strongest when
they disagree on the region, birth date or sex they encode. When only the 4-digit serial differs the
pair may be a NIK issued twice (a known Dukcapil problem), so it is still shown, lower, for review;
likewise when the two encoded birth dates are the same date with day and month swapped;
such a pair can never be merged here (see ``services.duplicate_merge``).

The engine calls ``score_at_least`` on every blocked pair (plain tuples, and the NIKs read only when
the rest could reach the threshold); ``reasons`` runs only on the pairs kept.
"""

from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext as _
from rapidfuzz.distance import OSA, Indel
from rapidfuzz.fuzz import token_sort_ratio

from pilar.identity.nik import FEMALE_DAY_OFFSET

THRESHOLD = 0.75  # pairs below are not stored; tuned on the synthetic registry (bench/dedup.py)
NAME_FLOOR = 0.70  # name similarity at which the name starts to count at all
ONE_TYPO = 0.90  # one edit in a name of 4+ letters ("Pardi"/"Parid"), which Indel alone rates 0.80
SUBSET_SIMILARITY = 0.85  # "Budi" vs "Budi Santoso": one name is the other's, shortened
W_NAME, W_DATE, W_SEX, W_AREA = 0.50, 0.30, 0.08, 0.12
DIFFERENT_NIK_FACTOR = 0.3  # different region/date/sex encoded: practically never a candidate
NIK_NEAR_PENALTY = 0.05  # NIKs that agree on all they encode: maybe one person with a NIK issued twice
# Dates the civil registry and officers write when only the year is known.
PLACEHOLDER_DAYS = frozenset({(1, 1), (1, 7), (31, 12)})
NIK_LENGTH = 16


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
    """``same``; ``unknown`` (one missing or malformed); ``near`` (same kecamatan and sex, birth dates equal
    or with day and month swapped: a NIK issued twice, or issued on a mistyped date); else ``different``."""
    if not a or not b:
        return "unknown"
    if a == b:
        return "same"
    pa, pb = _nik_parts(a), _nik_parts(b)
    if pa is None or pb is None:
        return "unknown"
    (kec_a, day_a, month_a, rest_a), (kec_b, day_b, month_b, rest_b) = pa, pb
    if kec_a == kec_b and rest_a == rest_b and (day_a, month_a) in ((day_b, month_b), (month_b, day_b)):
        return "near"
    return "different"


def _nik_parts(nik: str) -> tuple[str, int, int, tuple[str, bool]] | None:
    """(kecamatan, day, month, (yy, female)) of a well-formed NIK. Cheaper than ``parse_nik`` (which
    also checks the province list and resolves the century), and the pairs scored run to millions;
    NIKs in the registry were fully validated when entered."""
    if len(nik) != NIK_LENGTH or not nik.isascii() or not nik.isdigit() or nik[12:] == "0000":
        return None
    day, month = int(nik[6:8]), int(nik[8:10])
    female = day > FEMALE_DAY_OFFSET
    day -= FEMALE_DAY_OFFSET if female else 0
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return nik[:6], day, month, (nik[10:12], female)


def _agreement(a: Person, b: Person, name: float) -> float:
    value = W_NAME * max(0.0, (name - NAME_FLOOR) / (1 - NAME_FLOOR))
    value += W_DATE * date_agreement(a.born, b.born)[0]
    value += W_SEX * (a.sex == b.sex)
    return value + W_AREA * (0.5 if not a.area or not b.area else a.area == b.area)


def score(a: Person, b: Person, name_sim: float | None = None) -> float:
    name = name_similarity(a, b) if name_sim is None else name_sim
    nik = nik_relation(a.nik, b.nik)
    if nik == "same":
        return 1.0
    value = _agreement(a, b, name)
    if nik == "different":
        value *= DIFFERENT_NIK_FACTOR
    elif nik == "near":
        value -= NIK_NEAR_PENALTY
    return round(min(1.0, max(0.0, value)), 3)


def score_at_least(a: Person, b: Person, threshold: float) -> float | None:
    """The score when it reaches ``threshold``, else None; the NIKs are read only if the rest could reach it
    (most blocked pairs are strangers born on one day, and reading two NIKs costs as much as the name)."""
    if a.nik and a.nik == b.nik:
        return 1.0
    name = name_similarity(a, b)
    if _agreement(a, b, name) < threshold:  # a NIK can only lower it
        return None
    value = score(a, b, name)
    return value if value >= threshold else None


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
