"""The downloadable import template, CSV and XLSX, with the Indonesian headers and one example row."""

import io

import xlsxwriter
from django.conf import settings
from django.utils.translation import gettext as _

from pilar.core.cells import csv_lines, safe_row
from pilar.regions.selectors import city_villages
from pilar.registry.importer.columns import TEMPLATE_HEADERS, example_row


def _example() -> list[str]:
    village = city_villages().first()
    if village is None:
        return example_row(f"{settings.PILAR_REGION}.01.2001", "")
    city_name = village.parent.parent.name if village.parent and village.parent.parent else ""
    return example_row(village.code, city_name.removeprefix("Kota ").removeprefix("Kabupaten "))


def template_csv() -> bytes:
    return "".join(csv_lines([TEMPLATE_HEADERS, _example()])).encode("utf-8")


def template_xlsx() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("Data PPKS"))
    text = book.add_format({"num_format": "@"})  # NIK and KK must stay text, not become 3.67E+15
    sheet.set_column(0, len(TEMPLATE_HEADERS) - 1, 20, text)
    sheet.write_row(0, 0, safe_row(TEMPLATE_HEADERS), book.add_format({"bold": True}))
    for column, value in enumerate(safe_row(_example())):
        sheet.write_string(1, column, value, text)
    guide = book.add_worksheet(_("Petunjuk"))
    notes = [
        _("Satu baris untuk satu orang dan satu kategori PPKS."),
        _(
            "Kolom wajib: NIK (boleh kosong bila belum punya), Nama Lengkap, Jenis Kelamin (L/P), Tanggal Lahir, "
            "Kode Kelurahan, Kategori PPKS."
        ),
        _("Tanggal lahir: TTTT-BB-HH, HH-BB-TTTT atau HH/BB/TTTT."),
        _("Kategori PPKS: kode PPKS-01 sampai PPKS-26. Kategori keluarga (mis. PPKS-24) memerlukan No KK."),
        _(
            "Hubungan Keluarga: Kepala Keluarga, Suami, Istri, Anak, Menantu, Cucu, Orang Tua, Mertua, Famili Lain, "
            "Pembantu, Lainnya."
        ),
    ]
    for index, note in enumerate(notes):
        guide.write_string(index, 0, note)
    book.close()
    return buffer.getvalue()
