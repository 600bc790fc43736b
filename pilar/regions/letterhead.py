"""The kop surat drawn at the top of Pilar's official PDFs, from the office settings."""

import io
import logging

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from pilar.core.pdf import latin1
from pilar.regions.models import Office
from pilar.regions.office import current_office

log = logging.getLogger(__name__)


def contact_line(office: Office) -> str:
    parts = [f"Telp. {office.phone}" if office.phone else "", office.email, office.website]
    return " | ".join(p for p in parts if p)


def draw_letterhead(pdf: FPDF, office: Office | None = None) -> None:
    """Logo at the left, the government and office in capitals, address and contacts, a double rule."""
    office = office or current_office()
    left, right, top = pdf.l_margin, pdf.w - pdf.r_margin, pdf.get_y()
    if office.logo:
        try:
            with office.logo.open("rb") as fh:
                pdf.image(io.BytesIO(fh.read()), x=left, y=top, h=22)
        except Exception:  # noqa: BLE001  a logo that cannot be read must not stop every document
            log.warning("office logo %s could not be drawn", office.logo.name, exc_info=True)
    pdf.set_xy(left, top)
    for text, style, size, height in (
        (office.government.upper(), "B", 12, 6),
        (office.name.upper(), "B", 14, 7),
        (office.address, "", 9, 4.5),
        (contact_line(office), "", 9, 4.5),
    ):
        if text:
            pdf.set_font("Helvetica", style, size)
            pdf.cell(0, height, latin1(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = max(pdf.get_y(), top + 23) + 1
    pdf.set_line_width(0.8)
    pdf.line(left, y, right, y)
    pdf.set_line_width(0.2)
    pdf.line(left, y + 1.2, right, y + 1.2)
    pdf.set_y(y + 4)


class OfficialPdf(FPDF):
    """An A4 document of the office: the office settings read once (``self.office``, for the kop surat and the
    signatories), the title in the file's properties, a 15 mm bottom margin, and at the foot of every page the
    document's ``footing`` and the page number (of the page count too, with ``page_count``)."""

    def __init__(self, title: str, footing: str, *, landscape: bool = False, page_count: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.office = current_office()
        self.footing = footing
        self.page_count = page_count
        self.set_title(latin1(title))
        self.set_auto_page_break(True, margin=15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        of = "/{nb}" if self.page_count else ""  # fpdf2 replaces {nb} by the page count when the file is output
        self.cell(0, 5, latin1(f"{self.footing} - halaman {self.page_no()}{of}"), align="C")
