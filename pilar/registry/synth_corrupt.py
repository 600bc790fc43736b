"""How a second entry of the same person goes wrong in real office data, one labelled kind at a time.

``pilar.registry.synth`` copies an earlier person and applies one or two of these corruptions, and
labels the copy with their kinds so that ``bench/dedup.py`` can report recall per kind. The shares
(``NAME_KINDS``, ``DATE_KINDS``, ``NIK_KINDS``) are our estimate of what reaches a city office's
registry from kelurahan lists, DTKS extracts and hand-typed forms; every kind appears often enough
(≥ 2 % of the duplicates) to be measured.

Each function takes the seeded ``Random`` and a value and returns the corrupted value, or ``None``
when the kind does not apply to it (no "Muhammad" to abbreviate, a one-word name to reverse…), so that
a label is only ever given to a copy that really carries that corruption.
"""

from collections.abc import Mapping
from datetime import date
from random import Random

# Name corruptions and their weights among copies with a name change.
NAME_KINDS = {
    "name_typo": 22,
    "name_title": 14,
    "name_spelling": 14,
    "name_muhammad": 8,
    "name_joined": 7,
    "name_split": 5,
    "name_dropped": 10,
    "name_reversed": 6,
    "name_case": 8,
}
# Birth-date corruptions; "date_ok" (the date as the original) is by far the most common.
DATE_KINDS = {
    "date_ok": 66,
    "date_year_off": 7,
    "date_swapped": 14,
    "date_placeholder": 6,
    "date_zero": 4,
    "date_year_only": 4,
    "date_missing": 2,
}
# What the copy's NIK is: left out, mistyped (one digit, two neighbours exchanged) or another valid one.
NIK_KINDS = {"nik_missing": 45, "nik_typo": 20, "nik_transposed": 15, "nik_other": 20}

TITLES_BEFORE = {"L": ("H.", "Drs.", "Ir.", "Bpk."), "P": ("Hj.", "Dra.", "Ibu", "Ny.")}
DEGREES_AFTER = ("S.Pd.", "S.E.", "A.Md.", "S.H.", "S.Kom.", "S.Sos.", "M.Si.", "S.Pd.I.")
MUHAMMAD_SHORT = ("Muh.", "Moh.", "M.", "Muhamad", "Mohammad", "Mochammad", "Mhd.")
# Old (van Ophuijsen / Soewandi) and regional spellings still on KTPs: (modern, old or variant).
SPELLINGS = (("u", "oe"), ("j", "dj"), ("y", "j"), ("c", "tj"), ("kh", "ch"), ("sy", "sj"), ("f", "p"))
# Joined names split where the first part is a name of its own ("Nurhayati" → "Nur Hayati").
SPLIT_PREFIXES = ("nur", "siti", "sri", "dwi", "tri", "eka", "dewi", "budi", "agus", "ahmad", "abdul", "rahma")


def choose(r: Random, weights: Mapping[str, float]) -> str:
    return r.choices(list(weights), list(weights.values()))[0]


def name_kind(r: Random, value: str) -> str:
    """Mostly by weight; a Muhammad is abbreviated more often than not, and a joined name is often split."""
    first = value.split()[0].lower()
    if first in ("muhammad", "muhamad") and r.random() < 0.6:
        return "name_muhammad"
    if any(first.startswith(p) and len(first) - len(p) >= 3 for p in SPLIT_PREFIXES) and r.random() < 0.4:
        return "name_split"
    return choose(r, NAME_KINDS)


def name(r: Random, kind: str, value: str, sex: str) -> str | None:
    """The name with the corruption ``kind``, or None when it does not apply."""
    words = value.split()
    return {
        "name_typo": lambda: _typo(r, value),
        "name_title": lambda: _title(r, words, sex),
        "name_spelling": lambda: _spelling(r, words),
        "name_muhammad": lambda: _muhammad(r, words),
        "name_joined": lambda: "".join(words[:2]) + "".join(" " + w for w in words[2:]) if len(words) > 1 else None,
        "name_split": lambda: _split(words),
        "name_dropped": lambda: _dropped(r, words),
        "name_reversed": lambda: " ".join(words[1:] + words[:1]) if len(words) > 1 else None,
        "name_case": lambda: value.upper() if value != value.upper() else value.title(),
    }[kind]()


def _typo(r: Random, value: str) -> str:
    """One letter doubled, dropped, changed or exchanged with its neighbour (never a word's first letter,
    never in a title)."""
    words = value.split()
    plain = [i for i, w in enumerate(words) if "." not in w and len(w) >= 3]
    if not plain:
        return value.upper()
    w = r.choice(plain)
    chars = list(words[w])
    i = r.randrange(1, len(chars))
    kind = r.randrange(4)
    if kind == 0:
        chars.insert(i, chars[i])
    elif kind == 1 and len(chars) > 3:
        del chars[i]
    elif kind == 2 or i + 1 == len(chars):
        chars[i] = r.choice([c for c in "aiueonrstkmlh" if c != chars[i].lower()])
    else:
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    words[w] = "".join(chars)
    return " ".join(words)


def _title(r: Random, words: list[str], sex: str) -> str:
    if r.random() < 0.5:
        return f"{r.choice(TITLES_BEFORE[sex])} {' '.join(words)}"
    return f"{' '.join(words)}, {r.choice(DEGREES_AFTER)}"


def _spelling(r: Random, words: list[str]) -> str | None:
    """One old or regional spelling in one word, either way (Yanti → Janti, Djoko → Joko, Warno → Warna)."""
    options: list[tuple[int, str, str]] = []
    for i, word in enumerate(words):
        low = word.lower()
        if "." in low:
            continue
        for modern, old in SPELLINGS:
            if old in low:
                options.append((i, old, modern))
            elif modern in low:
                options.append((i, modern, old))
        if low.endswith("o") or low.endswith("a"):  # Javanese a/o: Suparno / Suparna
            options.append((i, low[-1] + "$", "a" if low.endswith("o") else "o"))
    if not options:
        return None
    i, old, new = r.choice(options)
    low = words[i].lower()
    low = low[:-1] + new if old.endswith("$") else low.replace(old, new, 1)
    return " ".join([*words[:i], low.capitalize(), *words[i + 1 :]])


def _muhammad(r: Random, words: list[str]) -> str | None:
    if words[0] in ("Muhammad", "Muhamad"):
        return " ".join([r.choice(MUHAMMAD_SHORT), *words[1:]])
    return None


def _split(words: list[str]) -> str | None:
    for i, word in enumerate(words):
        low = word.lower()
        for prefix in SPLIT_PREFIXES:
            if low.startswith(prefix) and len(low) - len(prefix) >= 3:
                rest = word[len(prefix) :]
                return " ".join([*words[:i], word[: len(prefix)], rest.capitalize(), *words[i + 1 :]])
    return None


def _dropped(r: Random, words: list[str]) -> str | None:
    core = [w for w in words if w not in ("Muhammad",)]
    if len(core) < 2:
        return None
    drop = r.randrange(1, len(words)) if r.random() < 0.8 else 0  # mostly the family or second name
    return " ".join(w for i, w in enumerate(words) if i != drop)


def birth(r: Random, kind: str, born: date) -> tuple[str, date | None] | None:
    """(the date as written in the sheet, the date it is read as), or None when the kind does not apply.

    Unknown dates are read as 1 January of the year, as offices write them ("01-01-1956")."""
    if kind == "date_ok":
        return born.isoformat(), born
    if kind == "date_year_off":
        try:
            moved = born.replace(year=born.year + r.choice((-1, 1)))
        except ValueError:  # 29 February
            return None
        return (moved.isoformat(), moved) if moved < date(2026, 1, 1) else None
    if kind == "date_swapped":
        if born.day > 12 or born.day == born.month:
            return None
        swapped = born.replace(day=born.month, month=born.day)
        return swapped.isoformat(), swapped
    first = date(born.year, 1, 1)
    if kind == "date_placeholder":
        return (f"01-01-{born.year}", first) if (born.day, born.month) != (1, 1) else None
    if kind == "date_zero":
        return f"00-00-{born.year}", first
    if kind == "date_year_only":
        return str(born.year), first
    return "", None  # date_missing


def nik_typo(r: Random, nik: str) -> str:
    """One digit changed in the kecamatan or serial part (a typo in the date part makes the NIK disagree
    with the birth date, and the import refuses that row instead of creating a duplicate)."""
    i = r.choice((4, 5, 12, 13, 14, 15))
    digit = r.choice([d for d in "0123456789" if d != nik[i]])
    out = nik[:i] + digit + nik[i + 1 :]
    return out if out[12:] != "0000" and out[4:6] != "00" else nik[:i] + ("1" if nik[i] != "1" else "2") + nik[i + 1 :]


def nik_transposed(r: Random, nik: str) -> str | None:
    """Two neighbouring digits exchanged, where that leaves a NIK the import accepts."""
    spots = [i for i in (2, 3, 4, 12, 13, 14) if nik[i] != nik[i + 1]]
    if not spots:
        return None
    i = r.choice(spots)
    out = nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]
    return out if out[12:] != "0000" and out[2:4] != "00" and out[4:6] != "00" else None
