"""Names normalised for search: case, spacing, punctuation and titles don't matter."""

import re
import unicodedata

# Religious, academic and courtesy titles, written without dots and in lower case.
TITLES = frozenset(
    {
        # religious and courtesy
        "h", "hj", "haji", "hajjah", "kh", "ustadz", "ustazah", "bpk", "bapak", "ibu", "sdr", "sdri", "tn", "ny", "nn",
        # professional and academic prefixes
        "dr", "drs", "dra", "ir", "prof", "ns",
        # bachelor's degrees
        "spd", "spdi", "se", "sh", "skom", "ssos", "sag", "st", "sip", "sikom", "sfarm", "sked", "skm", "spsi",
        "sstp", "ssi", "sei", "shi", "sm", "ak", "amd", "amdkeb", "amdkep",
        # master's and doctoral degrees
        "msi", "mm", "mpd", "mkom", "mh", "mag", "mt", "mba", "mkes", "msc", "phd",
    }
)  # fmt: skip
_PUNCT = re.compile(r"[^\w\s]")


def _squash(token: str) -> str:
    return token.replace(".", "").replace(",", "").lower()


def normalize_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").strip()
    if not text:
        return ""
    # Everything after the first comma is a list of degrees ("Siti Aminah, S.Pd., M.Si.").
    head = text.split(",", 1)[0]
    tokens = [t for t in head.split() if t]
    kept: list[str] = []
    for i, token in enumerate(tokens):
        squashed = _squash(token)
        # A title is dropped only when it is not the whole name (a person may be called "Ibu").
        if (
            squashed in TITLES
            and len(tokens) > 1
            and (token.endswith(".") or squashed in {"hj", "h"} or i == 0)
        ):
            continue
        kept.append(token)
    cleaned = _PUNCT.sub(" ", " ".join(kept).lower())
    return " ".join(cleaned.split())


def display_name(name: str) -> str:
    return " ".join((name or "").split())
