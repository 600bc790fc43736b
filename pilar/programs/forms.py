"""Program forms, shared by the pages and the API; each maps onto one service (rules live in the services)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.core import uploads
from pilar.core.forms import DATE_WIDGET, field_of
from pilar.programs import house
from pilar.programs.models import EnrollmentExitReason, Program
from pilar.registry.models import PpksRecord

RUPIAH = {"min_value": _("Nilai tidak boleh negatif."), "max_decimal_places": _("Nilai dalam rupiah utuh.")}


class ProposeForm(forms.Form):
    """``enrollment_propose``: a program (by code), a registry record the user may see, and the period."""

    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.filter(is_active=True),
        to_field_name="code",
        error_messages={"invalid_choice": _("Program tidak dikenal atau tidak aktif.")},
    )
    record = forms.ModelChoiceField(
        label=_("Data PPKS"),
        queryset=PpksRecord.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("Data PPKS tidak ditemukan di wilayah Anda."),
            "required": _("Pilih data PPKS yang diusulkan."),
        },
    )
    period = forms.CharField(
        label=_("Periode"),
        max_length=7,
        required=False,
        help_text=_(
            "Tahun (mis. 2026) untuk program tahunan, tahun-bulan (mis. 2026-11) untuk bulanan. "
            "Kosong: periode berjalan."
        ),
    )
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "record", forms.ModelChoiceField).queryset = PpksRecord.objects.visible_to(user)

    def service_kwargs(self) -> dict[str, Any]:
        return self.cleaned_data


class NoteForm(forms.Form):
    """``enrollment_approve`` and ``enrollment_complete``."""

    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReasonForm(forms.Form):
    """``enrollment_reject``."""

    reason = forms.CharField(
        label=_("Alasan penolakan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Alasan wajib diisi.")},
    )


class DeliverForm(forms.Form):
    """``enrollment_deliver``: cash with its amount, goods or a service with what it was."""

    on = forms.DateField(label=_("Tanggal penyaluran"), widget=DATE_WIDGET, initial=timezone.localdate)
    amount = forms.DecimalField(
        label=_("Nilai (Rp)"),
        required=False,
        min_value=0,
        decimal_places=0,
        max_digits=14,
        error_messages=RUPIAH,
        help_text=_("Kosong: nilai baku program, bila ada."),
    )
    item = forms.CharField(label=_("Barang/layanan"), max_length=200, required=False)
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ExitForm(forms.Form):
    """``enrollment_exit``."""

    on = forms.DateField(label=_("Tanggal keluar"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Alasan keluar"), choices=EnrollmentExitReason.choices)
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class HouseAssessForm(forms.Form):
    """``house_assess``: one rating per component of the fixed checklist, floor area, occupants, photos."""

    floor_area = forms.DecimalField(
        label=_("Luas lantai (m²)"), min_value=Decimal("0.1"), max_digits=6, decimal_places=1
    )
    occupants = forms.IntegerField(label=_("Jumlah penghuni"), min_value=1, max_value=99)
    on = forms.DateField(label=_("Tanggal penilaian"), widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photo_1 = uploads.CheckedFileField(kinds=uploads.IMAGES, label=_("Foto rumah 1"), required=False)
    photo_2 = uploads.CheckedFileField(kinds=uploads.IMAGES, label=_("Foto rumah 2"), required=False)
    photo_3 = uploads.CheckedFileField(kinds=uploads.IMAGES, label=_("Foto rumah 3"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in house.COMPONENTS.items():
            self.fields[f"c_{key}"] = forms.ChoiceField(
                label=label,
                choices=list(house.CONDITIONS.items()),
                widget=forms.RadioSelect,
                error_messages={"required": _("Kondisi ini wajib dipilih.")},
            )

    def checklist_fields(self) -> list[forms.BoundField]:
        return [self[f"c_{key}"] for key in house.COMPONENTS]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "checklist": {key: data[f"c_{key}"] for key in house.COMPONENTS},
            "floor_area": data["floor_area"],
            "occupants": data["occupants"],
            "on": data["on"],
            "note": data["note"],
            "photos": [data[f] for f in ("photo_1", "photo_2", "photo_3") if data.get(f)],
        }


class RenovateForm(forms.Form):
    """``house_renovate``: when it was done, what it cost, and photos of the result."""

    on = forms.DateField(label=_("Tanggal selesai renovasi"), widget=DATE_WIDGET, initial=timezone.localdate)
    cost = forms.DecimalField(
        label=_("Biaya renovasi (Rp)"), min_value=0, decimal_places=0, max_digits=14, error_messages=RUPIAH
    )
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photo_1 = uploads.CheckedFileField(kinds=uploads.IMAGES, label=_("Foto sesudah 1"), required=False)
    photo_2 = uploads.CheckedFileField(kinds=uploads.IMAGES, label=_("Foto sesudah 2"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        photos = [data[f] for f in ("photo_1", "photo_2") if data.get(f)]
        return {"on": data["on"], "cost": data["cost"], "note": data["note"], "photos": photos}
