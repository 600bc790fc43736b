"""The person's data export as a PDF: the same dict as the JSON, laid out section by section for printing."""

from typing import Any

from pilar.core.pdf import NEXT_LINE, latin1
from pilar.regions.letterhead import OfficialPdf, draw_letterhead

SECTIONS = [
    ("person", "Identitas"),
    ("households", "Keluarga (KK)"),
    ("ppks_records", "Data PPKS dan riwayat verval"),
    ("cases", "Kasus"),
    ("enrollments", "Program bantuan"),
    ("complaints_made", "Pengaduan yang dibuatnya"),
]


class _Export(OfficialPdf):
    def line_item(self, key: str, value: Any, indent: int) -> None:
        self.set_x(self.l_margin + indent)
        self.set_font("Helvetica", "B", 9)
        self.cell(45, 5, latin1(key)[:30])
        self.set_font("Helvetica", "", 9)
        self.multi_cell(0, 5, latin1("-" if value in (None, "") else str(value)), **NEXT_LINE)

    def block(self, data: Any, indent: int = 0) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, list | dict) and value:
                    self.line_item(key, "", indent)
                    self.block(value, indent + 5)
                else:
                    self.line_item(key, value if not isinstance(value, list | dict) else "-", indent)
        elif isinstance(data, list):
            for number, item in enumerate(data, 1):
                self.set_x(self.l_margin + indent)
                self.set_font("Helvetica", "I", 9)
                self.cell(0, 5, f"#{number}", **NEXT_LINE)
                self.block(item, indent + 3)


def export_pdf(data: dict[str, Any]) -> bytes:
    pdf = _Export(f"Salinan data pribadi - {data['person']['name']}", "Salinan data pribadi (UU 27/2022)")
    pdf.add_page()
    draw_letterhead(pdf, pdf.office)  # the office settings' kop surat
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 7, latin1("Salinan data pribadi yang disimpan di Pilar"), align="C", **NEXT_LINE)
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, latin1(f"Dibuat {data['generated_at'][:16].replace('T', ' ')}"), align="C", **NEXT_LINE)
    for key, title in SECTIONS:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 7, latin1(title), **NEXT_LINE)
        if data[key]:
            pdf.block(data[key])
        else:
            pdf.set_font("Helvetica", "", 9)
            pdf.cell(0, 5, latin1("Tidak ada."), **NEXT_LINE)
    return bytes(pdf.output())
