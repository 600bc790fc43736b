"""Forms of the referral pages and API: the same validation for both."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import Agency

REASON_HELP = _("Apa yang diminta dari OPD tujuan, dan apa yang perlu mereka ketahui tentang kasus ini.")


class AgencyCodeField(forms.ModelChoiceField):
    """An agency chosen by its code ("dinkes"), in the page's select and in the API's JSON alike."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Agency.objects.filter(is_active=True).order_by("name"), to_field_name="code", **kwargs
        )


class SendForm(forms.Form):
    agency = AgencyCodeField(
        label=_("OPD tujuan"),
        error_messages={"required": _("Pilih OPD tujuan."), "invalid_choice": _("OPD tujuan tidak dikenal.")},
    )
    reason = forms.CharField(
        label=_("Alasan rujukan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=REASON_HELP,
        error_messages={"required": _("Alasan rujukan wajib diisi: apa yang diminta dari OPD tujuan.")},
    )
    contact_phone = forms.CharField(
        label=_("Telepon narahubung"),
        max_length=30,
        required=False,
        help_text=_("Nomor yang dihubungi OPD tentang kasus ini; kosong: nomor Anda di akun."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Alasan penolakan wajib diisi.")},
    )


class CompleteForm(forms.Form):
    outcome = forms.CharField(
        label=_("Hasil penanganan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Hasil penanganan wajib diisi.")},
    )
    completed_on = forms.DateField(
        label=_("Tanggal selesai"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Tanggal selesai wajib diisi."), "invalid": _("Tanggal tidak valid.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"completed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
