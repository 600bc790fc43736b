"""The report archive: who may see and make official reports, the list, one snapshot and its files.

Official reports carry every kecamatan's figures, so only city-wide roles hold ``Perm.REPORT_VIEW`` (Admin,
Operator, Pimpinan, Keuangan) and ``Perm.REPORT_GENERATE`` (Admin, Operator, Pimpinan). A snapshot asked for
by anyone else answers 404, like one that does not exist.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm, can
from pilar.core.cells import XLSX_CONTENT_TYPE
from pilar.core.uploads import PDF
from pilar.reports.models import ReportKind, ReportSnapshot
from pilar.reports.official import report_period

CONTENT = {"pdf": PDF, "xlsx": XLSX_CONTENT_TYPE}
LIST_FIELDS = ("id", "kind", "period", "checksum", "xlsx_checksum", "automatic", "created_at", "created_by")


def report_list(user: Any, *, kind: str = "", period: str = "") -> QuerySet[ReportSnapshot]:
    """The user's archive, newest first, without the files (read only when one is downloaded)."""
    if not can(user, Perm.REPORT_VIEW):
        return ReportSnapshot.objects.none()
    qs = ReportSnapshot.objects.only(*LIST_FIELDS).select_related("created_by")
    if kind:
        qs = qs.filter(kind=kind)
    if period:
        qs = qs.filter(period__startswith=period)
    return qs


def get_report_for_user(user: Any, pk: int) -> ReportSnapshot:
    if not can(user, Perm.REPORT_VIEW):
        raise Http404
    found = ReportSnapshot.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def report_file(snapshot: ReportSnapshot, fmt: str) -> HttpResponse:
    """The stored file, byte for byte as made; its checksum in a header so a reader can check it."""
    if fmt not in CONTENT:
        raise Http404
    data = bytes(snapshot.pdf if fmt == "pdf" else snapshot.xlsx)
    response = HttpResponse(data, content_type=CONTENT[fmt])
    name = f"laporan-{snapshot.kind}-{snapshot.period}-{snapshot.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Checksum-SHA256"] = snapshot.checksum if fmt == "pdf" else snapshot.xlsx_checksum
    return response


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=ReportKind.choices)
    period = forms.CharField(label=_("Periode"), max_length=7, help_text=_("2026-11 (bulan) atau 2026 (tahun)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["invalid_choice"] = _(
            "Jenis laporan %(value)s tidak dikenal; pilih salah satu dari daftar."
        )

    def clean_period(self) -> Any:
        try:
            return report_period(self.cleaned_data["period"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["period"]) from None

    def clean_kind(self) -> ReportKind:
        return ReportKind(self.cleaned_data["kind"])
