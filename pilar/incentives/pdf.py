"""The run's recap and a PSM's payslip as PDF. The recap: a summary per kecamatan, then one section per
kecamatan with its PSM and signatures.

Signature blocks: the user who generated the run (Dibuat oleh), the user who approved it (Disetujui
oleh) and the payroll's signatory of the office settings (Mengetahui; the head of office unless another is
named). Each page opens with the office's kop surat. The PDF's built-in fonts cover Latin-1 only.
"""

from django.utils import timezone
from fpdf import FPDF

from pilar.core.formatting import rupiah, thousands
from pilar.core.pdf import NEXT_LINE, latin1
from pilar.incentives.eligibility import bulan_tahun, tanggal_id
from pilar.incentives.exports import description
from pilar.incentives.models import PayrollLine, PayrollRun
from pilar.incentives.selectors import kecamatan_totals, run_lines
from pilar.regions.letterhead import OfficialPdf, draw_letterhead
from pilar.regions.models import Signatory
from pilar.regions.office import signer


def _who(user) -> str:
    return (getattr(user, "full_name", "") or user.get_username()) if user else "-"


class _Recap(OfficialPdf):
    def __init__(self, run: PayrollRun):
        self.run = run
        state = "DISETUJUI" if run.is_locked else "DRAF - BELUM DISETUJUI"
        super().__init__(f"Rekapitulasi Insentif PSM {bulan_tahun(run.period)}", f"Penggajian #{run.pk} - {state}")

    def heading(self, title: str) -> None:
        draw_letterhead(self, self.office)
        self.set_font("Helvetica", "B", 13)
        self.cell(0, 7, latin1(title), align="C", **NEXT_LINE)
        self.set_font("Helvetica", "", 10)
        self.cell(0, 6, latin1(f"Periode {bulan_tahun(self.run.period)}"), align="C", **NEXT_LINE)
        self.ln(4)

    def row(self, cells: list[tuple[str, float, str]], bold: bool = False) -> None:
        self.set_font("Helvetica", "B" if bold else "", 9)
        for text, width, align in cells:
            self.cell(width, 6, latin1(text)[:60], border=1, align=align)
        self.ln(6)

    def signatures(self) -> None:
        if self.get_y() > 230:
            self.add_page()
        self.ln(8)
        run = self.run
        approver = _who(run.approved_by) if run.approved_by_id else "................................"
        who = signer(Signatory.Document.PAYROLL, self.office)
        head, nip = who.name or "................................", who.nip
        blocks = [
            ("Dibuat oleh,", _who(run.generated_by), tanggal_id(timezone.localtime(run.generated_at).date())),
            (
                "Disetujui oleh,",
                approver,
                tanggal_id(timezone.localtime(run.approved_at).date()) if run.approved_at else "",
            ),
            (f"Mengetahui,\n{who.position or 'Kepala Dinas Sosial'}", head, f"NIP {nip}" if nip else ""),
        ]
        top = self.get_y()
        for i, (role, name, under) in enumerate(blocks):
            x = 10 + i * 64
            self.set_xy(x, top)
            self.set_font("Helvetica", "", 9)
            self.multi_cell(60, 5, latin1(role), align="C")
            self.set_xy(x, top + 28)
            self.set_font("Helvetica", "BU", 9)
            self.cell(60, 5, latin1(name), align="C")
            self.set_xy(x, top + 33)
            self.set_font("Helvetica", "", 8)
            self.cell(60, 5, latin1(under), align="C")
        self.set_y(top + 42)


def recap_pdf(run: PayrollRun, kecamatan_code: str | None = None) -> bytes:
    pdf = _Recap(run)
    totals = kecamatan_totals(run)
    if kecamatan_code:
        totals = [t for t in totals if t.kecamatan.code == kecamatan_code]
    else:
        pdf.add_page()
        pdf.heading("REKAPITULASI INSENTIF PSM PER KECAMATAN")
        pdf.row([("No", 10, "C"), ("Kecamatan", 100, "L"), ("Jumlah PSM", 30, "R"), ("Jumlah (Rp)", 50, "R")], True)
        for n, t in enumerate(totals, start=1):
            pdf.row(
                [
                    (str(n), 10, "C"),
                    (t.kecamatan.name, 100, "L"),
                    (thousands(t.count), 30, "R"),
                    (thousands(t.total), 50, "R"),
                ]
            )
        pdf.row(
            [
                ("", 10, "C"),
                ("Jumlah", 100, "L"),
                (thousands(sum(t.count for t in totals)), 30, "R"),
                (thousands(sum(t.total for t in totals)), 50, "R"),
            ],
            True,
        )
        pdf.signatures()
    lines = run_lines(run)
    for t in totals:
        pdf.add_page()
        pdf.heading(f"DAFTAR PENERIMA INSENTIF PSM KECAMATAN {t.kecamatan.name.upper()}")
        pdf.row(
            [
                ("No", 10, "C"),
                ("Nama", 55, "L"),
                ("Kelurahan", 40, "L"),
                ("Keterangan", 50, "L"),
                ("Jumlah (Rp)", 35, "R"),
            ],
            True,
        )
        for n, line in enumerate(lines.filter(kecamatan=t.kecamatan).iterator(chunk_size=2000), start=1):
            pdf.row(
                [
                    (str(n), 10, "C"),
                    (line.name, 55, "L"),
                    (line.kelurahan.name, 40, "L"),
                    (line.note or description(line), 50, "L"),
                    (thousands(line.amount), 35, "R"),
                ]
            )
        pdf.row([("", 10, "C"), ("Jumlah", 145, "L"), (thousands(t.total), 35, "R")], True)
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(0, 6, latin1(f"Jumlah kecamatan: {rupiah(t.total)} untuk {thousands(t.count)} PSM."), **NEXT_LINE)
        pdf.signatures()
    return bytes(pdf.output())


def payslip_pdf(line: PayrollLine, *, account: str) -> bytes:
    """One PSM's slip for one line (A5), with the account masked as on the page."""
    run = line.run
    pdf = FPDF(orientation="P", unit="mm", format=(148, 210))  # A5, by size (fpdf2 warns about the name)
    pdf.set_title(latin1(f"Slip insentif PSM {bulan_tahun(line.paid_month)}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, "DINAS SOSIAL", align="C", **NEXT_LINE)
    pdf.cell(0, 7, "SLIP INSENTIF PEKERJA SOSIAL MASYARAKAT", align="C", **NEXT_LINE)
    pdf.ln(4)
    rows = [
        ("Nama", line.name),
        ("Kelurahan", f"{line.kelurahan.name}, Kec. {line.kecamatan.name}"),
        ("Bulan dibayar", bulan_tahun(line.paid_month)),
        ("Keterangan", description(line) + (f" ({line.note})" if line.note else "")),
        ("Tarif bulan itu", rupiah(line.rate)),
        ("Hari aktif", f"{line.active_days} / {line.days_in_month}" if line.active_days else "-"),
        ("Rekening", f"{line.bank_name} {account} a.n. {line.account_holder}"),
        (
            "Penggajian",
            f"#{run.pk}, disetujui {tanggal_id(timezone.localtime(run.approved_at).date())}"
            if run.approved_at
            else f"#{run.pk}",
        ),
    ]
    for label, value in rows:
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(35, 6, latin1(label))
        pdf.multi_cell(0, 6, latin1(f": {value}"), **NEXT_LINE)
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(35, 8, "Jumlah diterima")
    pdf.cell(0, 8, latin1(f": {rupiah(line.amount)}"), **NEXT_LINE)
    return bytes(pdf.output())
