"""PPKS category names as the ministry and the offices wrote them over the years.

Besides the code (PPKS-08, PPKS 08, PMKS-08, 8, 08) and today's name, every category has the aliases
in ``pilar/registry/data/category_aliases.csv`` (older official names, abbreviations, common spellings).
Names are compared after the usual variations are evened out: case, punctuation, a parenthesised
abbreviation, "Terlantar"/"Telantar", "Lanjut Usia"/"Lansia", "yang". An unknown name is answered with
the closest known ones.
"""

import csv
import difflib
import re
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from pilar.registry.models import Category

ALIASES_FILE = Path(__file__).resolve().parent.parent / "data" / "category_aliases.csv"
_PARENS = re.compile(r"\((.*?)\)")
_SWAPS = (("terlantar", "telantar"), ("lanjut usia", "lansia"), ("pmks", "ppks"), ("kedisabilitasan", "disabilitas"))


def category_key(raw: str) -> str:
    text = _PARENS.sub(" ", raw.lower())
    for old, new in _SWAPS:
        text = text.replace(old, new)
    words = [w for w in re.split(r"[^0-9a-z]+", text) if w and w not in ("yang", "dan", "atau")]
    return " ".join(words)


@cache
def alias_rows() -> list[tuple[str, str]]:
    with ALIASES_FILE.open(encoding="utf-8", newline="") as fh:
        return [(row["code"], row["alias"]) for row in csv.DictReader(fh)]


def category_index() -> tuple[dict[str, tuple[int, bool]], dict[str, str]]:
    """Every accepted spelling -> (category id, family-level?); and spelling -> the category's name."""
    index: dict[str, tuple[int, bool]] = {}
    names: dict[str, str] = {}
    by_code: dict[str, tuple[int, bool, str]] = {}
    for pk, code, number, name, subject, kind in Category.objects.filter(kind__in=Category.RECORDED_KINDS).values_list(
        "id", "code", "number", "name", "subject", "kind"
    ):
        value = (pk, subject == Category.Subject.FAMILY)
        by_code[code] = (*value, name)
        spellings = [code, name, code.replace("-", " "), code.replace("-", ""), code.replace("PPKS", "PMKS")]
        spellings += _PARENS.findall(name)
        if kind == Category.Kind.PPKS:
            spellings += [str(number), f"{number:02d}"]
        for spelling in spellings:
            index[category_key(spelling)] = value
            names[category_key(spelling)] = name
    for code, alias in alias_rows():
        if code in by_code:
            pk, family, name = by_code[code]
            for spelling in (alias, *_PARENS.findall(alias)):
                index.setdefault(category_key(spelling), (pk, family))
                names.setdefault(category_key(spelling), name)
    return index, names


def unknown_message(raw: str, names: dict[str, str]) -> str:
    close = difflib.get_close_matches(category_key(raw), list(names), n=6, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[key] for key in close))[:3]
    if suggestions:
        return _("Kategori PPKS tidak dikenal: %(value)s. Mungkin maksudnya: %(names)s.") % {
            "value": raw,
            "names": "; ".join(suggestions),
        }
    return _("Kategori PPKS tidak dikenal: %(value)s. Gunakan nama kategori atau kodenya (PPKS-01 sampai PPKS-26).") % {
        "value": raw
    }
