"""Login letters: one A5 page per new account, for the TKSK to hand out (fpdf2, like Pilar's other PDFs)."""

from dataclasses import dataclass

from django.conf import settings
from fpdf import FPDF

from pilar.core.pdf import NEXT_LINE, latin1
from pilar.regions.letterhead import draw_letterhead
from pilar.regions.office import current_office


@dataclass
class Letter:
    name: str
    area: str  # "Kelurahan Sukarasa, Kec. Tangerang"
    username: str
    temporary_password: str


STEPS = (
    "Buka alamat Pilar di atas pada ponsel atau komputer.",
    "Masuk dengan nama pengguna dan kata sandi sementara pada surat ini.",
    "Pilar langsung meminta Anda membuat kata sandi sendiri: minimal 12 karakter, jangan memakai nama kota, "
    "kantor atau nama pengguna Anda.",
    "Setelah itu Anda dapat mengisi laporan bulanan dan melihat slip insentif.",
    "Simpan kata sandi Anda sendiri; jangan berikan kepada siapa pun. Surat ini boleh dimusnahkan setelah masuk.",
)


def letters_pdf(letters: list[Letter], *, base_url: str = "") -> bytes:
    """One page per letter: name, area, username, temporary password, Pilar's address and the first steps."""
    address = base_url or getattr(settings, "PILAR_BASE_URL", "") or "-"
    office = current_office()  # the kop surat of the office settings, as on every official PDF
    pdf = FPDF(orientation="P", unit="mm", format=(148, 210))  # A5
    pdf.set_title("Surat akun Pilar")
    pdf.set_auto_page_break(True, margin=12)
    for letter in letters:
        pdf.add_page()
        draw_letterhead(pdf, office)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 7, "SURAT AKUN PILAR", align="C", **NEXT_LINE)
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(0, 5, "RAHASIA - hanya untuk yang bersangkutan", align="C", **NEXT_LINE)
        pdf.ln(4)
        rows = (
            ("Nama", letter.name),
            ("Wilayah", letter.area),
            ("Alamat Pilar", address),
            ("Nama pengguna", letter.username),
            ("Kata sandi sementara", letter.temporary_password),
        )
        for label, value in rows:
            pdf.set_font("Helvetica", "", 10)
            pdf.cell(40, 7, latin1(label))
            pdf.set_font("Courier" if label in ("Nama pengguna", "Kata sandi sementara") else "Helvetica", "B", 11)
            pdf.multi_cell(0, 7, latin1(f": {value}"), **NEXT_LINE)
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, "Langkah masuk pertama", **NEXT_LINE)
        pdf.set_font("Helvetica", "", 9)
        for number, step in enumerate(STEPS, start=1):
            pdf.multi_cell(0, 5, latin1(f"{number}. {step}"), **NEXT_LINE)
    return bytes(pdf.output())
