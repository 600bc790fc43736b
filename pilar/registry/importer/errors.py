"""The error file: one line per problem (sheet row, column title, Pilar field, name, value, message)."""

import csv
import tempfile
from typing import IO

from django.core.files import File
from django.utils.translation import gettext as _

from pilar.core.cells import safe_row
from pilar.registry.importer.validate import Problem


class ErrorLog:
    """Problems written to a temporary CSV as they are found, so a million bad rows cost no memory."""

    def __init__(self) -> None:
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self.writer = csv.writer(self.file)
        # The sheet's row number and column title as the user sees them in Excel, Pilar's field beside them.
        self.writer.writerow([_("Baris"), _("Kolom"), _("Kolom Pilar"), _("Nama"), _("Nilai"), _("Pesan")])
        self.count = 0  # problems
        self.rows: set[int] = set()  # rows with at least one problem
        self.first: list[Problem] = []
        self.warnings = 0  # plausibility warnings: the refused rows' (also in ``count``) and the accepted ones

    def warn(self, problem: Problem) -> None:
        """An accepted warning: listed in the report, the row imported all the same (not a problem)."""
        self.writer.writerow(safe_row(list(problem)))
        self.warnings += 1

    def add(self, problem: Problem) -> None:
        # The value comes from the uploaded file: a cell typed as "=..." must not run when the error file is opened.
        self.writer.writerow(safe_row(list(problem)))
        self.count += 1
        if problem[5].startswith(_("Peringatan: ")):
            self.warnings += 1
        if problem[0]:
            self.rows.add(problem[0])
        if len(self.first) < 20:
            self.first.append(problem)

    def content(self) -> str:
        self.file.flush()
        self.file.seek(0)
        return self.file.read()

    def as_django_file(self, name: str) -> File:
        from django.core.files.base import ContentFile

        return ContentFile(self.content().encode("utf-8-sig"), name=name)

    def close(self) -> None:
        self.file.close()
