"""The monthly recap as an XLSX workbook (the same figures as the page and the print view)."""

import io

import xlsxwriter
from django.http import HttpResponse
from django.utils.translation import gettext as _

from pilar.activities.recap import Recap
from pilar.core.cells import XLSX_CONTENT_TYPE, safe_cell
from pilar.core.formatting import tanggal


def headers(recap: Recap) -> list[str]:
    return [
        _("Kelurahan") if recap.kecamatan else _("Kecamatan"),
        _("PSM aktif"),
        _("Laporan masuk"),
        _("Laporan diterima"),
        _("Belum melapor"),
        _("Kunjungan"),
        _("PPKS ditemukan"),
        _("PPKS diusulkan"),
        _("Kasus ditangani"),
        _("Sosialisasi program"),
    ]


def _numbers(row) -> list[int]:
    return [
        row.psm,
        row.submitted,
        row.accepted,
        row.missing,
        row.visits,
        row.ppks_found,
        row.ppks_proposed,
        row.cases_handled,
        row.info_relayed,
    ]


def title(recap: Recap) -> str:
    where = _("Kecamatan %(name)s") % {"name": recap.kecamatan.name} if recap.kecamatan else _("Seluruh kota")
    month = tanggal(recap.period).split(" ", 1)[1]  # "September 2026"
    return _("Rekap kegiatan PSM %(where)s, %(month)s") % {"where": where, "month": month}


def filename(recap: Recap) -> str:
    where = recap.kecamatan.code.replace(".", "") if recap.kecamatan else "kota"
    return f"rekap-kegiatan-psm-{where}-{recap.period:%Y-%m}.xlsx"


def xlsx_response(recap: Recap) -> HttpResponse:
    # A recap has at most a few dozen rows: an in-memory workbook is enough.
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Rekap"))
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 9, 14)
    sheet.write_string(0, 0, safe_cell(title(recap)), workbook.add_format({"bold": True, "font_size": 13}))
    sheet.write_row(2, 0, headers(recap), workbook.add_format({"bold": True, "text_wrap": True}))
    line = 3
    for line, row in enumerate(recap.rows, start=3):
        sheet.write_string(line, 0, safe_cell(row.region.name if row.region is not None else ""))
        sheet.write_row(line, 1, _numbers(row))
    total_line = line + 1 if recap.rows else 3
    sheet.write_string(total_line, 0, _("Jumlah"), bold)
    sheet.write_row(total_line, 1, _numbers(recap.total), bold)
    workbook.close()
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(recap)}"'
    return response
