"""Names as duplicate matching sees them, and the blocking keys that keep a scan near-linear.

``pilar.identity.names.normalize_name`` already drops case, punctuation, titles and degrees. Matching
goes further: the many spellings of Muhammad (Muhamad, Mohammad, Moch., Moh., Muh., Mhd., M.) become
one token, because officers abbreviate it at will; and a key without spaces and without that token
lets "Siti Aminah" meet "SitiAminah" and "Muhammad Rizki" meet "Rizki".

Words are also compared by their ``spelling_key`` (old and regional spellings collapsed: Djoko/Joko,
Soeharto/Suharto, Tjahja/Cahya, Warno/Warna).

Only pairs that share a blocking key are ever scored. The keys are chosen so that each catches a
kind of error the others miss:

* birth date + sex + the initial of the first or of the last word: the common case (spelling differs,
  date agrees), also when the name is reversed or a word was dropped;
* the same key probed with day and month swapped, and with the year one off;
* a person whose birth date is a placeholder (01-01, 01-07, 31-12: only the year was known) or missing
  probes birth year + sex + first word, or kelurahan + sex + first word;
* kelurahan + whole name key: a birth date typed wholly wrong;
* the NIK's first twelve digits (a mistyped serial) and its last ten with the name's initial (a
  mistyped region): a mistyped NIK still meets its twin; and the KK number with the initial.
"""

from datetime import date
from functools import lru_cache

from pilar.identity.names import normalize_name, spelling_key

MUHAMMAD = "muhammad"
# Every spelling and abbreviation of Muhammad seen on Indonesian forms (KTP, KK, DTKS exports).
_MUHAMMAD_VARIANTS = frozenset(
    {
        "muhammad",
        "muhamad",
        "muhammmad",
        "muhamma",
        "mohammad",
        "mohamad",
        "mohammed",
        "mohamed",
        "muhammed",
        "mochammad",
        "mochamad",
        "mokhammad",
        "mokhamad",
        "muchammad",
        "muchamad",
        "mohd",
        "moch",
        "moh",
        "muh",
        "mhd",
        "mhmd",
        "md",
        "m",
    }
)
# Long spellings that also occur glued to the next name ("Muhammadrizki"); short ones would be ambiguous.
_GLUED_MUHAMMAD = ("muhammad", "muhamad", "mohammad", "mohamad", "mochammad", "mochamad")


# Prefix titles offices abbreviate further than ``normalize_name`` knows ("Ust." for Ustadz, "Kyai"); dropped
# for matching only (the stored name is the officer's, and "Ust" alone stays a name).
_MORE_TITLES = frozenset({"ust", "ustd", "ustdz", "kyai", "kiai"})


def match_tokens(name: str) -> tuple[str, ...]:
    """``"H. Moh. Rizki, S.Pd."`` → ``("muhammad", "rizki")``."""
    words = normalize_name(name).split()
    while len(words) > 1 and words[0] in _MORE_TITLES:
        words = words[1:]
    tokens: tuple[str, ...] = ()
    for token in words:
        tokens += _unglue(token)
    return tokens


@lru_cache(maxsize=1 << 16)
def _unglue(token: str) -> tuple[str, ...]:
    """One normalised word as matching tokens (cached: a registry has few distinct words)."""
    if token in _MUHAMMAD_VARIANTS or (len(token) > 5 and spelling_key(token) in _MUHAMMAD_VARIANTS):
        return (MUHAMMAD,)  # also in the old spelling: "Moehammad", "Moechammad"
    for prefix in _GLUED_MUHAMMAD:
        rest = token[len(prefix) :]
        if token.startswith(prefix) and len(rest) >= 3:
            return (MUHAMMAD, MUHAMMAD if rest in _MUHAMMAD_VARIANTS else rest)
    return (token,)


def spelled(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The words other than Muhammad by their spelling key, in order (Muhammad alone when that is all)."""
    core = tuple(spelling_key(t) for t in tokens if t != MUHAMMAD)
    return core or tokens


def name_key(tokens: tuple[str, ...]) -> str:
    """The name without spaces and without Muhammad; the whole name for "Muhammad" alone."""
    core = "".join(t for t in tokens if t != MUHAMMAD)
    return core or "".join(tokens)


def swapped(birth: date) -> date | None:
    """The date with day and month exchanged, when that is another valid date."""
    if birth.day > 12 or birth.day == birth.month:
        return None
    try:
        return birth.replace(day=birth.month, month=birth.day)
    except ValueError:
        return None


def date_key(ordinal: int, initial: str, sex: str) -> int:
    """Birth date, sex and a letter packed in one int (cheaper than a tuple).

    Sex is in the key because the blocks of one date grow with the registry (30 persons a day in a
    million): halving them halves the pairs. A sex typed wrongly is still caught by the kelurahan key.
    """
    return (ordinal * 64 + (ord(initial) & 63 if initial else 0)) * 2 + (sex == "P")


def initials(words: str) -> set[str]:
    """The first letters of the first and of the last spelled word (``"siti aminah"`` → {"s", "a"})."""
    first, _sep, last = words.partition(" ")
    return {first[:1], last.rpartition(" ")[2][:1]} - {""} if last else {first[:1]} - {""}


def year_moved(birth: date, years: int) -> date | None:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February
        return None
