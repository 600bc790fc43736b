"""Whether a category fits the person: a child category for a 70-year-old, a women's category for a man, an
elderly category for a 30-year-old. Not an error (records are sometimes right where the rule is not: a
birth date may be wrong, an 18-year-old may still be followed as a child): a warning that a form must confirm
and that an import imports only when the user chose so.

The rules are data beside the categories (``data/category_rules.csv``: code, min_age, max_age, sex, basis),
loaded once per process; a category without a row has no rule.
"""

import csv
from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RULES_FILE = Path(__file__).parent / "data" / "category_rules.csv"
# Lazy: the words are put into the message in the reader's language (the NIK check uses the same catalog words).
SEX_NAMES = {"L": gettext_lazy("laki-laki"), "P": gettext_lazy("perempuan")}


class Rule(NamedTuple):
    min_age: int | None
    max_age: int | None
    sex: str  # "" when the category is for either sex
    basis: str


@cache
def rules() -> dict[str, Rule]:
    """Category code -> its rule."""
    with RULES_FILE.open(encoding="utf-8", newline="") as fh:
        return {
            row["code"]: Rule(
                int(row["min_age"]) if row["min_age"] else None,
                int(row["max_age"]) if row["max_age"] else None,
                row["sex"],
                row["basis"],
            )
            for row in csv.DictReader(fh)
        }


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def warnings(code: str, name: str, *, sex: str | None, born: date | None, today: date | None = None) -> list[str]:
    """What does not fit, in Indonesian, naming the category; empty when it fits or nothing can be said."""
    rule = rules().get(code)
    if rule is None:
        return []
    found = []
    if rule.sex and sex and sex != rule.sex:
        found.append(
            _("Kategori %(cat)s untuk %(want)s, tetapi orang ini %(sex)s.")
            % {"cat": name, "want": SEX_NAMES[rule.sex], "sex": SEX_NAMES.get(sex, sex)}
        )
    if born is not None:
        age = age_on(born, today or date.today())
        if (rule.min_age is not None and age < rule.min_age) or (rule.max_age is not None and age > rule.max_age):
            found.append(
                _("Kategori %(cat)s (%(basis)s) tidak cocok dengan usia %(age)d tahun.")
                % {"cat": name, "basis": rule.basis, "age": age}
            )
    return found
