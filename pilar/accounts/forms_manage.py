"""Forms of the account pages (Admin Dinsos)."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import Agency, Role
from pilar.regions.models import Region


class StaffCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Nama pengguna"),
        max_length=60,
        regex=r"^[a-z0-9._-]+$",
        error_messages={"invalid": _("Hanya huruf kecil, angka, titik, garis bawah dan tanda hubung.")},
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Surel"), required=False)
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    region = forms.ModelChoiceField(
        label=_("Wilayah (PSM: kelurahan, TKSK: kecamatan)"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
    )
    agency = forms.ModelChoiceField(label=_("OPD"), required=False, queryset=Agency.objects.filter(is_active=True))
    valid_from = forms.DateField(
        label=_("Berlaku sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Berlaku sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Region]", self.fields["region"]).queryset = Region.objects.filter(
            code__startswith=settings.PILAR_REGION + "."
        )

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # a Form's clean() returns its cleaned_data
        role, region, agency = data.get("role"), data.get("region"), data.get("agency")
        if role in (Role.PSM, Role.TKSK) and region is None:
            self.add_error("region", _("PSM dan TKSK wajib punya wilayah."))
        if role == Role.PSM and region is not None and region.level != "kelurahan":
            self.add_error("region", _("Wilayah PSM harus kelurahan."))
        if role == Role.TKSK and region is not None and region.level != "kecamatan":
            self.add_error("region", _("Wilayah TKSK harus kecamatan."))
        if role == Role.OPD and agency is None:
            self.add_error("agency", _("Pengguna OPD wajib punya OPD."))
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("Tanggal akhir tidak boleh sebelum tanggal mulai."))
        return data
