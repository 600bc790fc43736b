"""``pilar payroll generate|approve|export``."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from pilar.incentives.models import PayrollRun

pytestmark = pytest.mark.django_db


def run_cmd(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("payroll", *args, stdout=out)
    return out.getvalue()


def test_generate_approve_and_export_from_the_command_line(operator, admin_user, make_psm, tmp_path):
    make_psm(), make_psm(left_on=date(2026, 6, 10))
    out = run_cmd("generate", "2026-06", "--user", "operator", "--rule", "none")
    run = PayrollRun.objects.get()
    assert f"Penggajian #{run.pk} Juni 2026 (draf): 1 PSM, Rp 500.000; 1 dikecualikan." in out
    with pytest.raises(CommandError, match="pengguna lain"):
        run_cmd("approve", str(run.pk), "--user", "operator")
    assert "disetujui oleh admin" in run_cmd("approve", str(run.pk), "--user", "admin")
    with pytest.raises(CommandError, match="sudah disetujui"):
        run_cmd("generate", "2026-06", "--user", "operator")
    target = tmp_path / "bank.csv"
    run_cmd("export", str(run.pk), "--format", "csv", "--out", str(target))
    assert "Insentif PSM Juni 2026" in target.read_text(encoding="utf-8-sig")
    xlsx = tmp_path / "bank.xlsx"
    run_cmd("export", str(run.pk), "--format", "xlsx", "--out", str(xlsx))
    assert xlsx.read_bytes()[:2] == b"PK"


def test_command_refuses_bad_period_and_unknown_user_or_run(operator):
    with pytest.raises(CommandError, match="TTTT-BB"):
        run_cmd("generate", "juni", "--user", "operator")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run_cmd("generate", "2026-06", "--user", "nobody")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run_cmd("approve", "999", "--user", "operator")
    assert not PayrollRun.objects.exists()
