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

from pilar.identity.names import spelling_key
from pilar.identity.nik import FEMALE_DAY_OFFSET
from pilar.registry.dedup.blocking import MUHAMMAD

THRESHOLD = 0.71  # pairs below are not stored; tuned on both benchmark datasets (bench/dedup.py)
NAME_FLOOR = 0.70  # name similarity at which the name starts to count at all
SAME_SPELLING = 0.97  # one name in old and new spelling (Djoko / Joko): not quite an exact match
ONE_TYPO = 0.92  # one edit in a name of 4+ letters ("Pardi"/"Parid"), which Indel alone rates 0.80
SUBSET_SIMILARITY = 0.88  # "Budi" vs "Budi Santoso": one name is the other's, shortened
SUBSET_SIMILARITY_LONG = 0.92  # "Sujono Tukiman" vs "Sujono Abdullah Tukiman": two or more words kept
W_NAME, W_DATE, W_SEX, W_AREA = 0.50, 0.30, 0.08, 0.12
DIFFERENT_NIK_FACTOR = 0.3  # different region/date/sex encoded: practically never a candidate
NIK_NEAR_PENALTY = 0.0  # NIKs that agree on all they encode: a NIK issued twice, or twins (see _twins)
# "Amalia" born in 2004 and "Amalia" born on 1 January 2004 are one person only if the name is rare.
# A day a year off is vague too: a common name has several holders born on each day of the year.
VAGUE_DATES = frozenset({"year_only", "same_year", "missing", "different", "year_off"})
COMMON_NAME_PENALTY = 0.12
COMMON_SHARE = 1 / 5000  # a name key held by more than this share of the registry is common
W_KK = 0.06  # one KK number: a family; twins apart, one person rarely has two entries on it by chance
# Two different KK numbers: a person can move to a new KK (marriage, a split household), but mostly it is
# two families; mild, because the registry may still hold the old KK.
W_OTHER_KK = 0.05
TWIN_FACTOR = 0.5  # one KK, one birth date, two NIKs, two first names: twins
TWIN_SERIALS = 10  # twins' NIK serials (same kecamatan and birth date) lie closer than this
# Dates the civil registry and officers write when only the year is known.
PLACEHOLDER_DAYS = frozenset({(1, 1), (1, 7), (31, 12)})
NIK_LENGTH = 16
# Within one KK a shared birth year is strong: only twins share it, and they share the whole date.
FAMILY_YEAR_AGREEMENT = 0.75
SAME_PLACEHOLDER = 0.7
# Two full birth dates, different, in one year: not a corruption either benchmark dataset makes, and every pair
# scored on it at 300,000 office persons was two people (26 of 26, mostly common names; bench/dedup.py,
# 2026-12-07). Kept above nothing for a mistyped day (12/21) of a rare name in one kelurahan.
SAME_YEAR = 0.3


class Person(NamedTuple):
    """What matching needs of a person, as plain values (one of these per person in memory)."""

    id: int
    nik: str  # "" when unknown
    kk: str  # the current household's KK number, "" when none
    canon: str  # matching tokens joined by spaces: "muhammad rizki"
    key: str  # blocking.name_key: "rizki"
    words: str  # the words but Muhammad by spelling key, in order: "riski"
    sex: str
    born: int  # date.toordinal(), 0 when unknown
    area: int  # kelurahan id, 0 when unknown


def name_similarity(a: Person, b: Person) -> float:
    if a.key == b.key:
        return 1.0
    if a.words == b.words or sorted(a.words.split()) == sorted(b.words.split()):
        return SAME_SPELLING  # the same words in another spelling or order (Aminah Siti / Siti Aminah)
    spell_a, spell_b = a.words.replace(" ", ""), b.words.replace(" ", "")
    if spell_a == spell_b:
        return SAME_SPELLING  # joined or split: Nurhayati / Nur Hayati
    as_typed, as_spelled = Indel.normalized_similarity(a.key, b.key), Indel.normalized_similarity(spell_a, spell_b)
    best = max(as_typed, as_spelled, token_sort_ratio(a.words, b.words) / 100)
    if best < ONE_TYPO and (_one_slip_apart(spell_a, spell_b, as_spelled) or _one_slip_apart(a.key, b.key, as_typed)):
        # One typo (a letter doubled, dropped, changed or two swapped) weighs the same in "Pardi" as in a long name;
        # also as typed, where the spelling key makes it two ("Bsyu" is "bsu" by key, one slip from "Bayu").
        return ONE_TYPO
    if best < SUBSET_SIMILARITY_LONG:
        kept = _kept_words(a.words.split(), b.words.split())
        if kept:
            return max(best, SUBSET_SIMILARITY_LONG if kept > 1 else SUBSET_SIMILARITY)
    return best


def _one_slip_apart(x: str, y: str, indel: float) -> bool:
    """Two names of 4+ letters one slip apart; ``indel`` (their Indel similarity, already known) rules most
    pairs out unread: one slip is at most two insertions or deletions."""
    total = len(x) + len(y)
    if min(len(x), len(y)) < 4 or indel < 1 - 2 / total - 1e-9:
        return False
    return OSA.distance(x, y, score_cutoff=1) <= 1


def _family_name(a: Person, b: Person, name: float) -> float:
    """In one KK and on one birth date (the twins rule aside, one person), a short name one slip off
    ("Sri"/"Sti", "Nur"/"Nut") counts as one typo: among strangers such names are other names, not here."""
    if name < ONE_TYPO and a.kk and a.kk == b.kk and a.born and a.born == b.born and _one_slip(a.key, b.key):
        return ONE_TYPO  # _one_slip, not any edit: "Ayi"/"Ayu" in one KK is the twins' pattern
    return name


def _is_subset(a: Person, b: Person) -> bool:
    ta, tb = set(a.words.split()), set(b.words.split())
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


def _kept_words(wa: list[str], wb: list[str]) -> int:
    """How many words the shorter name keeps when it is the longer one with words left out (each kept word
    equal, or one slip apart when 4+ letters long); 0 when it is not."""
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not short or len(short) == len(long_):
        return 0
    rest = list(long_)
    for word in short:
        match = next(
            (
                w
                for w in rest
                if w == word or (min(len(w), len(word)) >= 4 and OSA.distance(w, word, score_cutoff=1) <= 1)
            ),
            None,
        )
        if match is None:
            return 0
        rest.remove(match)
    return len(short)


def date_agreement(a: int, b: int) -> tuple[float, str]:
    """(agreement 0–1, kind) for two birth-date ordinals; kind names the case for the reasons."""
    if not a or not b:
        return 0.5, "missing"
    da, db = date.fromordinal(a), date.fromordinal(b)
    if a == b:
        # One placeholder on both (31-12-1957): the same year, and the same habit of writing it; no more.
        return (SAME_PLACEHOLDER, "year_only") if (da.day, da.month) in PLACEHOLDER_DAYS else (1.0, "equal")
    if (da.day, da.month) == (db.month, db.day) and da.year == db.year:
        return 0.85, "swapped"
    if (da.day, da.month) == (db.day, db.month) and abs(da.year - db.year) == 1:
        return 0.8, "year_off"
    placeholder = (da.day, da.month) in PLACEHOLDER_DAYS or (db.day, db.month) in PLACEHOLDER_DAYS
    if da.year == db.year:
        return (0.55, "year_only") if placeholder else (SAME_YEAR, "same_year")
    return 0.0, "different"


def nik_typo(a: str, b: str) -> bool:
    """One digit changed, or two neighbouring digits exchanged, in two NIKs of 16 digits."""
    if len(a) != NIK_LENGTH or len(b) != NIK_LENGTH:
        return False
    diff = [i for i in range(NIK_LENGTH) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def nik_relation(a: str, b: str) -> str:
    """``same``; ``unknown`` (one missing or malformed); ``near`` (same kecamatan and sex, birth dates equal
    or with day and month swapped: a NIK issued twice, or issued on a mistyped date); ``typo`` (one digit
    mistyped or two neighbours exchanged in the region part); ``region_slip`` (the region one slip apart
    and the birth date and sex agree, or differ as one person's records can, while the serials differ: a
    copy whose region was mistyped beside one reissued or mistyped in its serial, or two strangers born
    on one day in neighbouring kecamatan; ``score`` tells them apart by the household and kelurahan);
    else ``different``.

    A ``typo`` pair counts neither for nor against: in a city, two strangers born on one day in
    neighbouring kecamatan often hold NIKs one digit apart (serials start at 0001), so the NIKs cannot
    tell a mistyped region from another person; the rest of the record decides."""
    if not a or not b:
        return "unknown"
    if a == b:
        return "same"
    if a[6:] == b[6:] and nik_typo(a, b):
        return "typo"
    pa, pb = _nik_parts(a), _nik_parts(b)
    if pa is None or pb is None:
        return "unknown"
    (kec_a, day_a, month_a, rest_a), (kec_b, day_b, month_b, rest_b) = pa, pb
    if kec_a == kec_b and rest_a == rest_b and (day_a, month_a) in ((day_b, month_b), (month_b, day_b)):
        return "near"
    if kec_a == kec_b and rest_a[1] == rest_b[1] and _vaguely_same(a, b, (day_a, month_a), (day_b, month_b)):
        return "unknown"
    dated_alike = (day_a, month_a, rest_a[0]) == (day_b, month_b, rest_b[0])
    if (
        rest_a[1] == rest_b[1]
        and _one_digit_slip(kec_a, kec_b)
        and (dated_alike or _vaguely_same(a, b, (day_a, month_a), (day_b, month_b)))
    ):
        return "region_slip"
    return "different"


def _one_digit_slip(a: str, b: str) -> bool:
    """One digit changed, or two neighbours exchanged, between two region codes of equal length."""
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    i, j = diff if len(diff) == 2 else (0, 0)
    return j == i + 1 and a[i] == b[j] and a[j] == b[i]


def nik_evidence(a: Person, b: Person) -> str:
    """``nik_relation`` read with the rest of the papers: what the two NIKs say about these two records."""
    if two_sets_of_papers(a, b):
        return "different"
    nik = nik_relation(a.nik, b.nik)
    if nik == "region_slip" and not (a.kk and a.kk == b.kk) and (not a.area or a.area != b.area):
        # Strangers born on one day in neighbouring kecamatan hold such NIKs; one person's two entries share
        # the KK or the kelurahan (and a stranger there mostly has a NIK of the same kecamatan: "near").
        return "different"
    return nik


def two_sets_of_papers(a: Person, b: Person) -> bool:
    """Two NIKs and two KKs, each pair different: two persons. A re-issued or mistyped NIK stays on the person's
    KK, and a person who moved to a new KK keeps the NIK."""
    return a.nik != b.nik and a.kk != b.kk and bool(a.nik) and bool(b.nik) and bool(a.kk) and bool(b.kk)


def _vaguely_same(a: str, b: str, dm_a: tuple[int, int], dm_b: tuple[int, int]) -> bool:
    """Two NIKs of one kecamatan and sex issued on birth dates that one person's records can hold: the same
    year with one of them a placeholder day (only the year was known), or the same day a year apart."""
    if a[10:12] == b[10:12]:
        return dm_a in PLACEHOLDER_DAYS or dm_b in PLACEHOLDER_DAYS
    return dm_a == dm_b and abs(int(a[10:12]) - int(b[10:12])) in (1, 99)


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


def _moved(a: Person, b: Person) -> bool:
    return bool(a.area) and bool(b.area) and a.area != b.area


def _twins(a: Person, b: Person) -> bool:
    """Two children of one KK born on one day whose names differ where the rest does not explain it (not
    reordered, shortened, joined or split, not a typing slip or another spelling): twins, not one person
    typed twice. Judged on the names as written, Muhammad kept: "Muhammad X"/"Muhammai X" are two names."""
    if not a.kk or a.kk != b.kk or a.born != b.born or not a.born:
        return False
    if a.nik and b.nik and a.nik[6:] == b.nik[6:]:
        return False  # twins' NIKs differ in the serial; one differing only in its region digits is a slip
    serials = (a.nik[12:], b.nik[12:]) if a.nik[:12] == b.nik[:12] else ("", "")
    if all(x.isdigit() for x in serials) and abs(int(serials[0]) - int(serials[1])) >= TWIN_SERIALS:
        return False  # twins' NIKs are issued together, one after the other; 0001/0801 is a mistyped digit
    ca, cb = a.canon.split(), b.canon.split()
    if not ca or not cb or _given(ca) == _given(cb):
        return False  # one given name: twins are told apart by it
    if len(ca) != len(cb):
        joined_a, joined_b = "".join(ca), "".join(cb)
        if OSA.distance(joined_a, joined_b, score_cutoff=1) <= 1 or spelling_key(joined_a) == spelling_key(joined_b):
            return False  # joined or split ("Aminah Susanto"/"Aminahsusanto"), perhaps with a slip or respelled
        if _kept_words(ca, cb) and not _twin_names(ca[0], cb[0]):
            return False  # a word dropped, the rest kept (perhaps with one slip, not "Slamet"/"Slamei")
    if not a.nik or not b.nik:
        return False  # a copy typed without the NIK: the slip below ("Riyadi"/"Riyado") is likelier than twins
    if len(ca) != len(cb):
        return True
    if sorted(ca) == sorted(cb) or _crossed(ca, cb) or _crossed(cb, ca):
        return False  # the words in another order
    x, y = next((x, y) for x, y in zip(ca, cb, strict=True) if x != y)
    return spelling_key(x) != spelling_key(y) and not _one_slip(x, y)


def _crossed(ca: list[str], cb: list[str]) -> bool:
    """The first word of one name is the other's last, and its last the other's first, perhaps with one slip:
    "Wahyudi Susanto"/"Susantp Wahyudi"."""
    return ca[0] == cb[-1] and (ca[-1] == cb[0] or OSA.distance(ca[-1], cb[0], score_cutoff=1) <= 1)


def _twin_names(x: str, y: str) -> bool:
    """Names that differ only in the final letter as twins' names do ("Rina"/"Rini", "Slamet"/"Slamei")."""
    return x != y and len(x) == len(y) and x[:-1] == y[:-1] and not _one_slip(x, y)


def _given(words: list[str]) -> str:
    """The given name: the first word that is not Muhammad (which many brothers share)."""
    return next((w for w in words if w != MUHAMMAD), words[0])


# Letters beside each other on a keyboard row: the slips a typing hand makes.
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = frozenset((row[i], row[i + 1]) for row in _KEY_ROWS for i in range(len(row) - 1))
_VOWELS = frozenset("aiueo")


def _one_slip(x: str, y: str) -> bool:
    """Two names one typing slip apart ("Bambang"/"Bmbang", "Nur"/"Nu", "Sugeng"/"Sugenh", "Cagak"/"Cagam"),
    and not the twin pattern of a final letter changed to or from a vowel ("Rina"/"Rini", "Slamet"/"Slamei"),
    by which parents often name twins; a final slip that looks like it (a neighbouring vowel key:
    "Riyadi"/"Riyado") leaves the pair apart: the safer mistake."""
    if x == y or min(len(x), len(y)) < 2 or OSA.distance(x, y, score_cutoff=1) > 1:
        return False
    if len(x) != len(y) or x[:-1] != y[:-1]:
        return True  # a letter dropped, doubled or two swapped, or a slip before the last letter
    last = (x[-1], y[-1])
    if set(last) <= _VOWELS:
        return False
    return last in _NEIGHBOURS or last[::-1] in _NEIGHBOURS or not (set(last) & _VOWELS)


def score(a: Person, b: Person, name_sim: float | None = None, common: frozenset[str] = frozenset()) -> float:
    """0–1; ``common``: name keys that many persons share, weaker evidence where the birth date is vague."""
    name = _family_name(a, b, name_similarity(a, b) if name_sim is None else name_sim)
    nik = nik_evidence(a, b)
    if nik == "same":
        return 1.0
    value = _agreement(a, b, name)
    family = bool(a.kk) and a.kk == b.kk
    date_kind = date_agreement(a.born, b.born)[1]
    if family and date_kind == "year_only":
        value += W_DATE * (FAMILY_YEAR_AGREEMENT - date_agreement(a.born, b.born)[0])
    elif not family and (a.key in common or b.key in common) and (date_kind in VAGUE_DATES or _moved(a, b)):
        value -= COMMON_NAME_PENALTY  # strangers of one common name; within a family the KK tells them apart
    if nik == "different":
        value *= DIFFERENT_NIK_FACTOR
    elif nik == "near":
        value -= NIK_NEAR_PENALTY
    if family:
        value += W_KK
    elif a.kk and b.kk:
        value -= W_OTHER_KK
    if _twins(a, b):
        value *= TWIN_FACTOR
    return round(min(1.0, max(0.0, value)), 3)


def score_at_least(a: Person, b: Person, threshold: float, common: frozenset[str] = frozenset()) -> float | None:
    """The score when it reaches ``threshold``, else None; the NIKs are read only if the rest could reach it
    (most blocked pairs are strangers born on one day, and reading two NIKs costs as much as the name)."""
    if a.nik and a.nik == b.nik:
        return 1.0
    if threshold > DIFFERENT_NIK_FACTOR and two_sets_of_papers(a, b):
        return None  # "different" NIKs cap the score at DIFFERENT_NIK_FACTOR: the names need not be read
    name = name_similarity(a, b)
    if a.kk and a.kk == b.kk:
        name = _family_name(a, b, name)
    # A KK can raise it this much, a NIK only lower it.
    if _agreement(a, b, name) + W_KK + W_DATE * (FAMILY_YEAR_AGREEMENT - 0.55) < threshold:
        return None
    value = score(a, b, name, common)
    return value if value >= threshold else None


def reasons(a: Person, b: Person) -> list[str]:
    """Why the pair was proposed, for the reviewer: one short Indonesian sentence per signal."""
    out: list[str] = []
    nik = nik_evidence(a, b)
    if nik == "same":
        return [_("NIK sama")]
    name = name_similarity(a, b)
    if a.canon == b.canon or a.key == b.key:
        out.append(_("Nama sama setelah dinormalkan (gelar, ejaan Muhammad, spasi)"))
    elif name == SAME_SPELLING:
        out.append(_("Nama sama dalam ejaan atau urutan lain (mis. Djoko/Joko, Nur Hayati/Nurhayati)"))
    else:
        out.append(_("Nama mirip (%(pct)d%%)") % {"pct": round(name * 100)})
    out.append(
        {
            "equal": _("Tanggal lahir sama"),
            "swapped": _("Tanggal dan bulan lahir tertukar"),
            "year_off": _("Tanggal dan bulan lahir sama, tahun selisih satu"),
            "year_only": _("Tahun lahir sama (tanggal lahir hanya perkiraan)"),
            "same_year": _("Tahun lahir sama, tanggal berbeda"),
            "missing": _("Tanggal lahir tidak tercatat pada salah satu data"),
            "different": _("Tanggal lahir berbeda"),
        }[date_agreement(a.born, b.born)[1]]
    )
    out.append(_("Jenis kelamin sama") if a.sex == b.sex else _("Jenis kelamin berbeda"))
    if a.area and a.area == b.area:
        out.append(_("Kelurahan sama"))
    if a.kk and a.kk == b.kk:
        out.append(_("Nomor KK sama"))
    if nik == "typo":
        out.append(_("NIK hampir sama (satu angka salah ketik atau dua angka tertukar)"))
    elif nik == "near":
        out.append(_("NIK berbeda tetapi isinya cocok (wilayah, tanggal lahir, jenis kelamin): mungkin NIK ganda"))
    elif nik == "region_slip":
        out.append(_("NIK berbeda pada kode wilayah (mungkin salah ketik); tanggal lahir dan kelamin di NIK cocok"))
    elif nik == "different":
        out.append(_("NIK berbeda: kemungkinan besar dua orang"))
    elif bool(a.nik) != bool(b.nik):
        out.append(_("Hanya satu data yang memiliki NIK"))
    return out
