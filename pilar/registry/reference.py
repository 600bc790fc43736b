"""Reference data shipped with Pilar: the PPKS and PSKS categories of Permensos 08/2012."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "categories.csv"


def load_categories(category_model) -> int:
    """Create or refresh every category; takes the model so that migrations can pass their historical one."""
    count = 0
    with DATA.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            category_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "kind": row["kind"],
                    "number": int(row["number"]),
                    "name": row["name"],
                    "subject": row["subject"],
                    "definition": row["definition"],
                },
            )
            count += 1
    return count
