"""The certificate as a PDF (A4 landscape) and the QR codes of the verify and check-in pages.

The signature block names the head of office from the event (``signatory_name``/``signatory_nip``) or,
when the event leaves them empty, from the settings ``PILAR_HEAD_OF_OFFICE_NAME`` and
``PILAR_HEAD_OF_OFFICE_NIP``. The PDF's built-in fonts cover Latin-1 only: other letters are reduced to
their closest Latin-1 form rather than printed as boxes.
"""

import io

import segno
from django.conf import settings
from django.utils import translation
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from pilar.core.formatting import tanggal
from pilar.core.pdf import latin1
from pilar.regions.models import Region, Signatory
from pilar.regions.office import current_office, signer
from pilar.trainings.models import Certificate, Event


def date_range(event: Event) -> str:
    if event.start_date == event.end_date:
        return tanggal(event.start_date)
    return f"{tanggal(event.start_date)} - {tanggal(event.end_date)}"


def city_name() -> str:
    city = Region.objects.filter(code=settings.PILAR_REGION).first()
    return city.name if city else ""


def signatory(event: Event) -> tuple[str, str]:
    """The event's own signatory when it names one, else the certificates' signatory of the office settings."""
    if event.signatory_name:
        return event.signatory_name, event.signatory_nip
    who = signer(Signatory.Document.CERTIFICATE)
    return who.name, who.nip


def qr_png(url: str, scale: int = 8) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    buffer.seek(0)
    return buffer


def qr_svg(url: str) -> str:
    """Inline SVG for a page (no external image request; works offline). Without a fixed size it fills its
    container, so a projector shows it large and a phone screen does not scroll sideways."""
    return segno.make(url, error="m").svg_inline(omitsize=True, border=2, title="QR")


def render_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    participant = certificate.participant
    event, person = participant.event, participant.worker.person
    city = city_name()
    with translation.override("id"):
        days = date_range(event)
        signed_on = tanggal(event.end_date)
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(latin1(f"Sertifikat {event.title}"))
    pdf.set_author(latin1(f"Dinas Sosial {city}"))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(30, 80, 140)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, 271, 184)

    def line(text: str, size: float, style: str = "", height: float = 9) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, height, latin1(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_xy(20, 24)
    pdf.set_left_margin(20)
    pdf.set_right_margin(20)
    office = current_office()
    line((office.government or f"Pemerintah {city}").upper(), 13, "B", 7)
    line(office.name.upper(), 13, "B", 7)
    pdf.ln(6)
    line("SERTIFIKAT", 32, "B", 14)
    line(f"Nomor verifikasi: {certificate.code}", 10, "", 6)
    pdf.ln(6)
    line("diberikan kepada", 12, "I", 7)
    line(person.name, 24, "B", 12)
    line(f"{participant.get_role_display()} - {participant_area(participant)}", 11, "", 6)
    pdf.ln(4)
    line(f"atas keikutsertaannya dalam {event.get_kind_display()}", 12, "", 7)
    line(event.title, 15, "B", 8)
    line(f"{days}, {event.venue}", 12, "", 7)

    name, nip = signatory(event)
    pdf.set_xy(180, 146)
    pdf.set_font("Helvetica", "", 11)
    position = signer(Signatory.Document.CERTIFICATE, office).position if not event.signatory_name else ""
    for text in (f"{city}, {signed_on}", position or f"Kepala Dinas Sosial {city}"):
        pdf.set_x(180)
        pdf.cell(95, 6, latin1(text), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(180, 176)
    pdf.set_font("Helvetica", "BU", 11)
    pdf.cell(95, 6, latin1(name or " " * 40), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_x(180)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(95, 6, latin1(f"NIP. {nip}" if nip else ""), align="C")

    pdf.image(qr_png(verify_url), x=24, y=150, w=36, h=36)
    pdf.set_xy(62, 160)
    pdf.set_font("Helvetica", "", 8)
    text = f"Periksa keaslian sertifikat ini dengan memindai kode QR atau membuka {verify_url}"
    pdf.multi_cell(90, 4, latin1(text), align="L")
    return bytes(pdf.output())


def participant_area(participant) -> str:
    if participant.kelurahan_id:
        return f"Kelurahan {participant.kelurahan.name}, Kecamatan {participant.kecamatan.name}"
    return f"Kecamatan {participant.kecamatan.name}"
