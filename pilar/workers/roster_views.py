"""The roster upload page: the same reader, form and service as ``pilar import-roster``, for the operator.

The file is read in the request: a city's roster is about a thousand rows (``roster.MAX_ROWS`` caps it), and
every row is saved on its own, so a page that stops halfway has saved exactly the rows it reported.
"""

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from pilar.accounts.permissions import Perm, require, signed_in
from pilar.workers.forms import WorkerCreateForm
from pilar.workers.roster import MAX_ROWS, roster_import

SUFFIXES = (".csv", ".xlsx")
SHOWN_PROBLEMS = 500


class RosterForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas daftar PSM/TKSK (CSV atau XLSX)"),
        error_messages={"required": _("Pilih berkas daftar PSM/TKSK.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(_("Hanya berkas .csv atau .xlsx yang dapat diimpor."), code="suffix")
        return upload


def _columns() -> list[str]:
    fields = WorkerCreateForm.base_fields
    return [str(field.label) for name, field in fields.items() if name != "confirm_address"]


@login_required
@require_http_methods(["GET", "POST"])
def roster_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.WORKER_MANAGE)
    form = RosterForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "columns": _columns(), "max_rows": MAX_ROWS}
    if request.method == "POST" and not form.is_valid():
        return TemplateResponse(request, "workers/roster.html", context, status=400)
    if request.method == "POST":
        upload = form.cleaned_data["file"]
        with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
            copy.flush()
            result = roster_import(path=Path(copy.name), actor=signed_in(request))
        lines = list(csv.reader(io.StringIO(result.errors.content().lstrip("\ufeff"))))[1:]
        result.errors.close()
        context |= {
            "done": True,
            "created": result.created,
            "bad_rows": len(result.errors.rows),
            "problems": lines[:SHOWN_PROBLEMS],
            "more": max(0, len(lines) - SHOWN_PROBLEMS),
        }
    return TemplateResponse(request, "workers/roster.html", context)
