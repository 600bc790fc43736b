"""Names normalised for search and duplicate finding: case, spacing, punctuation and titles don't matter.

The same person is written "Hj. Siti Aminah, S.Pd." on one form and "SITI AMINAH" on another.
Stripping is conservative: a token is dropped only where a title can stand (before the name,
after it, or after a comma) and never when nothing of the name would be left. A lone "M." is
kept: it abbreviates Muhammad, it is not a title.
"""

import re
import unicodedata
from functools import lru_cache

# Titles written before the name; compared lower-case and without dots.
PREFIX_TITLES = frozenset(
    {
        # religious and courtesy
        "h",
        "hj",
        "haji",
        "hajjah",
        "hajah",
        "kh",
        "ustadz",
        "ustaz",
        "ustadzah",
        "ustazah",
        "tgk",
        "bpk",
        "bapak",
        "ibu",
        "sdr",
        "sdri",
        "sdra",
        "tn",
        "ny",
        "nn",
        # academic and professional
        "dr",
        "drg",
        "drs",
        "dra",
        "ir",
        "prof",
        "ns",
    }
)
# Nobility names (R., T., Cut, Puti, Dt.) are not listed: they are part of the name, and "R."/"T." may be initials.

# Degrees written after the name (Indonesian style: "S.Pd.", "M.Si.", "A.Md.").
DEGREES = frozenset(
    {
        # diploma
        "amd",
        "amdkeb",
        "amdkep",
        "amdkom",
        "ak",
        # bachelor
        "spd",
        "spdi",
        "se",
        "sei",
        "sh",
        "shi",
        "skom",
        "ssos",
        "sag",
        "st",
        "sip",
        "sikom",
        "sfarm",
        "sked",
        "skm",
        "spsi",
        "sstp",
        "ssi",
        "sthi",
        "sm",
        "sn",
        "skep",
        "stp",
        "sps",
        # master and doctorate
        "msi",
        "mm",
        "mpd",
        "mpdi",
        "mkom",
        "mh",
        "mag",
        "mt",
        "mba",
        "mkes",
        "msc",
        "map",
        "mak",
        "phd",
        # professions
        "apt",
        "ns",
    }
)

# Without dots, short degrees look like names or initials ("St", "Se", "Mm"); trust these only when
# dotted or after a comma. The longer ones below cannot be mistaken for a name even without dots.
_UNDOTTED_DEGREES = frozenset(
    {"spd", "spdi", "skom", "ssos", "sikom", "sfarm", "spsi", "sstp", "mpd", "mpdi", "mkom", "mkes"}
)

# "H.Ahmad", "Dr.Ir.Budi": a prefix title glued to the next word.
_GLUED_PREFIX = re.compile(r"^([^\W\d_]+)\.(\S+)$")
# Apostrophes join ("Nur'aini" = "Nuraini"); other punctuation separates words.
_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")
_NON_WORD = re.compile(r"[\W_]+")


def normalize_name(name: str) -> str:
    """``"Hj. Siti Aminah, S.Pd."`` → ``"siti aminah"``; ``""`` for an empty name."""
    if name and name.isascii() and name.replace(" ", "").isalpha():
        # Plain letters and spaces (most names): no dot, comma or punctuation, so of all the steps below
        # only dropping the titles can change anything (an import normalises a million names).
        return " ".join(_drop_titles(name.lower().split()))
    text = unicodedata.normalize("NFKC", name or "").lower()
    head, *tails = text.split(",")
    tokens = _drop_titles(_split_glued_prefixes(head.split()))
    # After a comma come degrees ("S.Pd., M.Si."), but keep anything that is not one ("Fauzi, Ahmad").
    for tail in tails:
        tokens += [t for t in tail.split() if not _is_degree_after_comma(t)]
    return _words(" ".join(tokens))


def _squash(token: str) -> str:
    return token.replace(".", "")


def _split_glued_prefixes(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        while (match := _GLUED_PREFIX.match(token)) and match.group(1) in PREFIX_TITLES:
            out.append(match.group(1) + ".")
            token = match.group(2)
        out.append(token)
    return out


def _drop_titles(tokens: list[str]) -> list[str]:
    start = 0
    while start < len(tokens) - 1 and _is_prefix_title(tokens[start]):
        start += 1
    end = len(tokens)
    while end - 1 > start and _is_trailing_degree(tokens[end - 1]):
        end -= 1
    return tokens[start:end]


def _is_prefix_title(token: str) -> bool:
    return _squash(token) in PREFIX_TITLES


def _is_trailing_degree(token: str) -> bool:
    squashed = _squash(token)
    return squashed in DEGREES and ("." in token or squashed in _UNDOTTED_DEGREES)


def _is_degree_after_comma(token: str) -> bool:
    squashed = _squash(token)
    if squashed in DEGREES or squashed in PREFIX_TITLES:
        return True
    # An unlisted dotted abbreviation ("S.Tr.Keb.") is a degree too; an initial ("M.") or a word
    # with a stray dot ("Ahmad.") is not.
    parts = [part for part in token.split(".") if part]
    return len(parts) >= 2 and all(part.isalpha() and len(part) <= 4 for part in parts)


def _words(text: str) -> str:
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def mask_name(name: str) -> str:
    """``"Siti Rahayu"`` → ``"S*** R***"``: enough to tell rows apart, not to know who they are."""
    return " ".join(word[0] + "***" for word in name.split()) if name else ""


# Old (van Ophuijsen, Soewandi) spellings still on KTPs and KKs, and regional ones (Sundanese p for f,
# Javanese a/o), each reduced to one form. Applied in this order, to one normalised word at a time.
_SPELLING_RULES = (
    ("oe", "u"),
    ("dj", "j"),
    ("tj", "c"),
    ("sj", "sy"),
    ("ch", "kh"),
    ("kh", "h"),
    ("ph", "f"),
    ("f", "p"),
    ("v", "p"),
    ("z", "j"),
    ("j", "y"),
    ("q", "k"),
    ("th", "t"),
    ("dh", "d"),
    ("sy", "s"),
    ("iy", "i"),
    ("uw", "u"),
    ("o", "a"),
)
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)
def spelling_key(word: str) -> str:
    """``"Djoko"`` and ``"Joko"`` → ``"yaka"``; ``"Soeharto"`` and ``"Suharta"`` → ``"suharta"``.

    A key to compare by, never to show: old and regional spellings collapse (oe/u, dj/j, tj/c, j/y,
    ch/kh/h, f/p/v, a/o), doubled letters count once ("Hassan") and a final h is dropped ("Fatimah").
    The input is one word of ``normalize_name``'s output (lower case, no punctuation).
    """
    for old, new in _SPELLING_RULES:
        if old in word:
            word = word.replace(old, new)
    word = _DOUBLED.sub(r"\1", word)
    return word[:-1] if len(word) > 2 and word.endswith("h") else word
