"""Names as duplicate matching sees them, and the blocking keys that keep a scan near-linear.

``pilar.identity.names.normalize_name`` already drops case, punctuation, titles and degrees. Matching
goes further: the many spellings of Muhammad (Muhamad, Mohammad, Moch., Moh., Muh., Mhd., M.) become
one token, because officers abbreviate it at will; and a key without spaces and without that token
lets "Siti Aminah" meet "SitiAminah" and "Muhammad Rizki" meet "Rizki".

Only pairs that share a blocking key are ever scored. The keys are chosen so that each catches a
kind of error the others miss:

* ``B`` birth date + sex + first letter of the name key: the common case (spelling differs, date agrees);
* the same key probed with day and month swapped (01-02-1980 typed as 02-01-1980);
* ``Y`` birth year + exact name key: the day or month is wrong or a placeholder (01-01, 01-07, 31-12);
* ``V`` kelurahan + exact name key: no birth date on one side, or a birth date typed wholly wrong.
"""

from datetime import date

from pilar.identity.names import normalize_name

MUHAMMAD = "muhammad"
# Every spelling and abbreviation of Muhammad seen on Indonesian forms (KTP, KK, DTKS exports).
_MUHAMMAD_VARIANTS = frozenset(
    {
        "muhammad", "muhamad", "muhammmad", "muhamma", "mohammad", "mohamad", "mohammed", "mohamed",
        "muhammed", "mochammad", "mochamad", "mokhammad", "mokhamad", "muchammad", "muchamad", "mohd",
        "moch", "moh", "muh", "mhd", "mhmd", "md", "m",
    }
)  # fmt: skip
# Long spellings that also occur glued to the next name ("Muhammadrizki"); short ones would be ambiguous.
_GLUED_MUHAMMAD = ("muhammad", "muhamad", "mohammad", "mohamad", "mochammad", "mochamad")


def match_tokens(name: str) -> tuple[str, ...]:
    """``"H. Moh. Rizki, S.Pd."`` → ``("muhammad", "rizki")``."""
    tokens: list[str] = []
    for token in normalize_name(name).split():
        tokens.extend(_unglue(token))
    return tuple(MUHAMMAD if t in _MUHAMMAD_VARIANTS else t for t in tokens)


def _unglue(token: str) -> list[str]:
    for prefix in _GLUED_MUHAMMAD:
        rest = token[len(prefix) :]
        if token.startswith(prefix) and len(rest) >= 3:
            return [MUHAMMAD, rest]
    return [token]


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


def date_key(ordinal: int, key: str, sex: str) -> int:
    """Birth date, sex and the first letter of the name key packed in one int (cheaper than a tuple).

    Sex is in the key because the blocks of one date grow with the registry (30 persons a day in a
    million): halving them halves the pairs. A sex typed wrongly is still caught by the kelurahan key.
    """
    return (ordinal * 64 + (ord(key[0]) & 63 if key else 0)) * 2 + (sex == "P")
