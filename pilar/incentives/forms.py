"""Payroll forms, shared by the pages, the API and the command so that all three read input the same way."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pilar.core.forms import PeriodField
from pilar.incentives.models import ProrationRule
from pilar.workers.models import Worker, WorkerRole

PERIOD_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_period(value: str) -> date:
    """'2026-11' -> date(2026, 11, 1); a clear message otherwise."""
    match = PERIOD_RE.match(value or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    raise ValidationError(_("Periode harus berbentuk TTTT-BB, mis. 2026-11."), code="invalid")


class RupiahField(forms.CharField):
    """Whole rupiah; accepts '500000', '500.000' and 'Rp 500.000'."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # text cleaned to a Decimal, as PeriodField
        text = re.sub(r"(?i)^\s*rp\.?\s*", "", str(super().to_python(value) or "")).replace(".", "").strip()
        if not text:
            return None
        try:
            amount = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("Masukkan jumlah rupiah, mis. 500.000."), code="invalid") from None
        if amount <= 0 or amount != amount.to_integral_value():
            raise ValidationError(_("Jumlah harus rupiah bulat lebih dari nol."), code="invalid")
        return amount


class GenerateForm(forms.Form):
    period = PeriodField(label=_("Periode (bulan)"), parse=parse_period, example="2026-11")
    rule = forms.ChoiceField(
        label=_("PSM yang masuk atau keluar di tengah bulan"),
        choices=ProrationRule.choices,
        initial=ProrationRule.PRORATED,
        required=False,
    )
    require_report = forms.BooleanField(label=_("Wajib laporan bulanan sudah diterima TKSK"), required=False)
    allow_unfinished = forms.BooleanField(
        label=_("Buat juga bila bulannya belum selesai (tercatat di jejak audit)"), required=False
    )

    def clean_rule(self) -> str:
        return self.cleaned_data.get("rule") or ProrationRule.PRORATED


class RateForm(forms.Form):
    effective_from = PeriodField(label=_("Berlaku mulai (bulan)"), parse=parse_period, example="2026-11")
    amount = RupiahField(label=_("Besaran per bulan (Rp)"))
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=200, required=False)


class AdjustmentForm(forms.Form):
    worker = forms.IntegerField(label=_("ID PSM"), min_value=1)
    paid_month = PeriodField(label=_("Bulan yang dikoreksi"), parse=parse_period, example="2026-11")
    amount = RupiahField(label=_("Jumlah (Rp)"))
    reason = forms.CharField(label=_("Alasan"), max_length=250)

    def clean_worker(self) -> Worker:
        worker = Worker.objects.filter(pk=self.cleaned_data["worker"], role=WorkerRole.PSM).first()
        if worker is None:
            raise ValidationError(_("PSM dengan ID ini tidak ditemukan."), code="invalid")
        return worker
