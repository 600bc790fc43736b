"""``pilar payroll generate|approve|export``: the monthly PSM incentive run from the command line.

    pilar payroll generate 2026-11 --user operator [--rule full|prorated|none] [--require-report]
    pilar payroll approve 12 --user admin
    pilar payroll export 12 --format csv|xlsx|pdf [--out FILE]

The same services as the pages: the maker-checker rule and the lock apply here too. A refusal prints
its reason and exits with status 1 (CommandError).
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pilar import audit
from pilar.accounts.models import User
from pilar.core.errors import DomainError
from pilar.core.formatting import rupiah, thousands
from pilar.incentives import exports, pdf, services
from pilar.incentives.eligibility import bulan_tahun
from pilar.incentives.forms import parse_period
from pilar.incentives.models import PayrollRun, ProrationRule

RENDER = {"csv": exports.bank_csv, "xlsx": exports.bank_xlsx, "pdf": pdf.recap_pdf}


class Command(BaseCommand):
    help = "Penggajian insentif PSM: buat, setujui, atau unduh file bank/rekap."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="buat (atau buat ulang draf) penggajian satu bulan")
        gen.add_argument("period", help="bulan, TTTT-BB (mis. 2026-11)")
        gen.add_argument("--user", default="operator", help="pengguna pembuat (default: operator)")
        gen.add_argument(
            "--rule",
            choices=ProrationRule.values,
            default=ProrationRule.PRORATED,
            help="PSM yang masuk/keluar di tengah bulan: full, prorated (default) atau none",
        )
        gen.add_argument("--require-report", action="store_true", help="wajib laporan bulanan sudah diterima")
        approve = sub.add_parser("approve", help="setujui penggajian (oleh pengguna selain pembuatnya)")
        approve.add_argument("run_id", type=int)
        approve.add_argument("--user", required=True, help="pengguna penyetuju")
        export = sub.add_parser("export", help="tulis file bank (csv/xlsx) atau rekap PDF")
        export.add_argument("run_id", type=int)
        export.add_argument("--format", choices=sorted(RENDER), default="csv")
        export.add_argument("--out", help="nama berkas (default: insentif-psm-TTTT-BB-<status>.<format>)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna '{username}' tidak ditemukan atau tidak aktif.")
        return user

    def _run(self, run_id: int) -> PayrollRun:
        run = PayrollRun.objects.select_related("generated_by", "approved_by").filter(pk=run_id).first()
        if run is None:
            raise CommandError(f"Penggajian #{run_id} tidak ditemukan.")
        return run

    def _generate(self, *, period: str, user: str, rule: str, require_report: bool, **_: Any) -> None:
        try:
            month = parse_period(period)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        run = services.payroll_generate(period=month, actor=self._user(user), rule=rule, require_report=require_report)
        self.stdout.write(
            f"Penggajian #{run.pk} {bulan_tahun(run.period)} (draf): {thousands(run.line_count)} PSM, "
            f"{rupiah(run.total)}; {thousands(run.exclusion_count)} dikecualikan."
        )

    def _approve(self, *, run_id: int, user: str, **_: Any) -> None:
        run = services.payroll_approve(run=self._run(run_id), actor=self._user(user))
        self.stdout.write(f"Penggajian #{run.pk} {bulan_tahun(run.period)} disetujui oleh {user}: {rupiah(run.total)}.")

    def _export(self, *, run_id: int, format: str, out: str | None, **_: Any) -> None:  # noqa: A002
        run = self._run(run_id)
        path = Path(out or exports.filename(run, format))
        path.write_bytes(RENDER[format](run))
        with transaction.atomic():  # whole account numbers left the system: say so in the trail
            audit.record(None, "incentives.run.exported", run, data={"format": format, "file": str(path)})
        self.stdout.write(f"{path} ditulis ({thousands(run.line_count)} baris, {rupiah(run.total)}).")
