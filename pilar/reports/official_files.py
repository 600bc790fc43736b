"""An official report's figures (``official.report_figures``) drawn as PDF and as XLSX.

PDF: the office's kop surat, title, period, numbered tables ("Tabel 1") with a row number column and a totals
row, Indonesian numbers and Rp, the time of making in WIB, and the signature block of the report signatory
(``Signatory.Document.REPORT``, else the head of office). XLSX: one sheet per table under the same heading,
numbers as numbers (Rp, percentages), the making time as a real date, a frozen header with filters, widths and
a totals row (``downloads.write_table``).
"""

import io
from datetime import datetime
from typing import Any

import xlsxwriter
from django.utils import timezone
from fpdf import FontFace

from pilar.core.cells import safe_cell
from pilar.core.formatting import rupiah, thousands
from pilar.core.pdf import NEXT_LINE, latin1
from pilar.incentives.eligibility import tanggal_id
from pilar.regions.letterhead import OfficialPdf, draw_letterhead
from pilar.regions.models import Office, Signatory
from pilar.regions.office import current_office, signer
from pilar.reports.downloads import Money, Percent, write_table

WIDTH = {"int": 22, "money": 30, "percent": 20, "decimal": 20}  # mm; text columns share the rest


def made_at(figures: dict[str, Any]) -> datetime:
    return timezone.localtime(datetime.fromisoformat(figures["as_of"]))


def made_text(figures: dict[str, Any]) -> str:
    when = made_at(figures)
    return f"{tanggal_id(when.date())} pukul {when:%H.%M} WIB"


def cell_text(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "-" if value is None else ""
    if kind == "int":
        return thousands(value)
    if kind == "money":
        return rupiah(value)
    if kind == "percent":
        return f"{value * 100:.1f}%".replace(".", ",")
    if kind == "decimal":
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def place(office: Office) -> str:
    """The town named before the signature date: 'Kota Tangerang' from 'Pemerintah Kota Tangerang'."""
    government = office.government or ""
    return government.removeprefix("Pemerintah ").strip() or "-"


class _Report(OfficialPdf):
    def __init__(self, figures: dict[str, Any], landscape: bool):
        self.figures = figures
        title, period = figures["title"], figures["period_label"]
        super().__init__(f"{title} {period}", f"{title} - {period}", landscape=landscape, page_count=True)

    def heading(self) -> None:
        draw_letterhead(self, self.office)
        self.set_font("Helvetica", "B", 13)
        self.multi_cell(0, 7, latin1(self.figures["title"].upper()), align="C", **NEXT_LINE)
        self.set_font("Helvetica", "", 10)
        self.cell(0, 6, latin1(f"Periode {self.figures['period_label']}"), align="C", **NEXT_LINE)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, latin1(f"Angka per {made_text(self.figures)}"), align="C", **NEXT_LINE)
        self.ln(3)

    def draw_table(self, number: int, t: dict[str, Any]) -> None:
        columns = t["columns"]
        fixed = 10 + sum(WIDTH.get(c["type"], 0) for c in columns)
        texts = [c for c in columns if c["type"] == "text"] or [None]
        text_width = max((self.epw - fixed) / len(texts), 25)
        widths = [10] + [WIDTH.get(c["type"], text_width) for c in columns]
        self.set_font("Helvetica", "B", 10)
        self.multi_cell(0, 6, latin1(f"Tabel {number}. {t['title']}"), **NEXT_LINE)
        self.set_font("Helvetica", "", 8)
        align = ["C"] + ["L" if c["type"] == "text" else "R" for c in columns]
        bold = FontFace(emphasis="BOLD")
        heading = FontFace(emphasis="BOLD", fill_color=(238, 242, 245))
        with self.table(
            col_widths=widths,
            text_align=align,
            line_height=4.5,
            repeat_headings=1,
            width=sum(widths),
            align="L",
            headings_style=heading,
        ) as grid:
            head = grid.row()
            for label in ["No", *[c["label"] for c in columns]]:
                head.cell(latin1(label), align="C")
            for n, values in enumerate(t["rows"], start=1):
                row = grid.row()
                row.cell(str(n))
                for value, c in zip(values, columns, strict=True):
                    row.cell(latin1(cell_text(value, c["type"])))
            if t["totals"]:
                row = grid.row()
                row.cell("", style=bold)
                for value, c in zip(t["totals"], columns, strict=True):
                    row.cell(latin1(cell_text(value, c["type"])), style=bold)
        self.ln(5)

    def signature(self) -> None:
        who = signer(Signatory.Document.REPORT, self.office)
        if self.get_y() > self.h - 60:
            self.add_page()
        x = self.w - self.r_margin - 80
        self.ln(4)
        self.set_font("Helvetica", "", 10)
        for text in (
            f"{place(self.office)}, {tanggal_id(made_at(self.figures).date())}",
            who.position or "Kepala Dinas Sosial",
        ):
            self.set_x(x)
            self.multi_cell(80, 5, latin1(text), align="C", **NEXT_LINE)
        self.ln(20)
        self.set_x(x)
        self.set_font("Helvetica", "BU", 10)
        self.cell(80, 5, latin1(who.name or "................................"), align="C", **NEXT_LINE)
        self.set_x(x)
        self.set_font("Helvetica", "", 10)
        self.cell(80, 5, latin1(f"NIP {who.nip}" if who.nip else ""), align="C", **NEXT_LINE)


def report_pdf(figures: dict[str, Any]) -> bytes:
    landscape = any(len(t["columns"]) > 6 for t in figures["tables"])
    pdf = _Report(figures, landscape)
    pdf.add_page()
    pdf.heading()
    for number, t in enumerate(figures["tables"], start=1):
        pdf.draw_table(number, t)
    pdf.signature()
    return bytes(pdf.output())


def _typed(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return value
    return Money(value) if kind == "money" else Percent(value) if kind == "percent" else value


def report_xlsx(figures: dict[str, Any]) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    office = current_office()
    title = book.add_format({"bold": True, "font_size": 13})
    when = book.add_format({"num_format": "d mmmm yyyy hh:mm", "align": "left"})
    for number, t in enumerate(figures["tables"], start=1):
        sheet = book.add_worksheet(f"Tabel {number}")
        # The office's name is typed by an administrator: it goes through the cell rule like any other text.
        sheet.write_string(0, 0, safe_cell(office.name or office.government), title)
        sheet.write_string(1, 0, safe_cell(f"{figures['title']} - {figures['period_label']}"), title)
        sheet.write_string(2, 0, safe_cell(f"Tabel {number}. {t['title']}"))
        sheet.write_string(3, 0, "Angka per (WIB)")
        sheet.write_datetime(3, 1, made_at(figures).replace(tzinfo=None), when)
        kinds = [c["type"] for c in t["columns"]]
        rows = [[n, *[_typed(v, k) for v, k in zip(r, kinds, strict=True)]] for n, r in enumerate(t["rows"], 1)]
        totals = ["", *[_typed(v, k) for v, k in zip(t["totals"], kinds, strict=True)]] if t["totals"] else None
        write_table(book, sheet, 5, ["No", *[c["label"] for c in t["columns"]]], rows, totals)
    book.close()
    return output.getvalue()
