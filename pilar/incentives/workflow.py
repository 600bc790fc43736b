"""The payroll run's workflow on one screen: a draft is approved by someone other than its maker, or discarded.

    draf ──setujui (not by its maker; with lines)──▶ disetujui (locked: bank files, payslips)
      └──hapus──▶ (gone; its corrections wait for the next run)

Generating is not a step: it creates (or remakes) the month's draft.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm, can
from pilar.core.formatting import rupiah
from pilar.core.workflow import Rule, Step, Workflow
from pilar.incentives.eligibility import bulan_tahun
from pilar.incentives.models import PayrollRun

S = PayrollRun.Status
OWN_RUN = _("Anda yang membuat penggajian ini; persetujuan harus oleh pengguna lain (prinsip empat mata).")


def _may(user: Any, perm: Perm, run: PayrollRun) -> bool:
    return can(user, perm)  # payroll is the whole city's: no area to cover


def _not_its_maker(user: Any, run: PayrollRun) -> bool:
    return run.generated_by_id != getattr(user, "pk", None)


def _approve_confirm(run: PayrollRun) -> str:
    return _(
        "Penggajian %(m)s untuk %(n)s PSM, jumlah %(total)s, akan disetujui dan dikunci: barisnya tidak dapat "
        "diubah lagi dan file bank dapat diunduh."
    ) % {"m": bulan_tahun(run.period), "n": run.line_count, "total": rupiah(run.total)}


def _discard_confirm(run: PayrollRun) -> str:
    return _("Draf penggajian %(m)s dan semua barisnya akan dihapus. Penggajian bulan ini dapat dibuat lagi.") % {
        "m": bulan_tahun(run.period)
    }


PAYROLL = Workflow(
    model=PayrollRun,
    may=_may,
    service_prefix="payroll_",
    defaults={"sources": (S.DRAFT,)},
    steps=(
        Step(
            name="approve",
            label=_("Setujui penggajian"),
            perm=Perm.PAYROLL_APPROVE,
            path="setujui",
            done=lambda run: (
                _("Penggajian %(m)s disetujui. Berikutnya: unduh file bank di bawah.") % {"m": bulan_tahun(run.period)}
            ),
            refused=_("Penggajian ini sudah disetujui."),
            confirm=_approve_confirm,
            yes=_("Ya, setujui penggajian"),
            event="approved",
            rules=(
                Rule(_not_its_maker, OWN_RUN, code="own_run"),
                Rule(
                    lambda user, run: run.line_count > 0,
                    _("Penggajian tanpa baris pembayaran tidak dapat disetujui."),
                    status=409,
                ),
            ),
            api_doc="Setujui penggajian; ditolak 403 bagi pembuatnya sendiri dan 409 bila sudah disetujui.",
        ),
        Step(
            name="discard",
            label=_("Hapus draf"),
            perm=Perm.PAYROLL_GENERATE,
            path="hapus",
            done=lambda run: _("Draf penggajian %(m)s dihapus.") % {"m": bulan_tahun(run.period)},
            refused=_("Penggajian yang sudah disetujui tidak dapat dihapus."),
            confirm=_discard_confirm,
            yes=_("Ya, hapus draf"),
            style="secondary",
            event="discarded",
            after="incentives:runs",  # the draft is gone
            api_path="-",  # DELETE /api/v1/payroll/{id}, as it has always been
        ),
    ),
)
