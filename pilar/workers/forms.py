"""Worker forms, shared by the pages and the API so that both validate input the same way.

Forms parse and normalise input (NIK digits, +62 phones, region codes); the rules of
Permensos 10/2019 and 28/2018 live in ``rules`` and run in ``services``.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.core.forms import DATE_WIDGET, field_of
from pilar.identity.forms import PersonIdentityForm
from pilar.identity.models import Education, Sex
from pilar.regions.forms import RegionCodeField, rt_field, rw_field
from pilar.regions.models import Region
from pilar.workers.models import Decree, WorkerRole, WorkerStatus
from pilar.workers.services import BANK_FIELDS, PersonInput


def city_regions():
    return Region.objects.within(settings.PILAR_REGION)


class PersonFieldsMixin(PersonIdentityForm):
    nik = forms.CharField(label=_("NIK"), max_length=24)
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=80, required=False)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DATE_WIDGET)
    address = forms.CharField(label=_("Alamat (sesuai KTP)"), max_length=250, required=False)
    rt = rt_field()
    rw = rw_field()
    village = RegionCodeField(None, label=_("Kelurahan (alamat KTP)"), required=False)
    phone = forms.CharField(label=_("Nomor HP"), max_length=24, required=False)
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"), choices=[("", "—"), *Education.choices], required=False
    )
    is_rt_rw_head = forms.BooleanField(label=_("Sedang menjabat ketua RT/RW"), required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=60, required=False)
    account_number = forms.RegexField(
        label=_("Nomor rekening"),
        regex=r"^\d{6,20}$",
        required=False,
        error_messages={"invalid": _("Nomor rekening berupa 6–20 digit angka.")},
    )
    account_holder = forms.CharField(label=_("Nama pemilik rekening"), max_length=150, required=False)
    confirm_address = forms.BooleanField(
        label=_("Saya konfirmasi: alamat KTP berbeda dengan kelurahan tugas"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "village", forms.ModelChoiceField).queryset = city_regions().villages()

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(**{f: data[f] for f in PersonInput.__dataclass_fields__})

    @property
    def service_field_aliases(self) -> dict[str, str]:
        """``{service keyword: input}`` where a service names a field differently from this form (none here)."""
        return {}


class WorkerCreateForm(PersonFieldsMixin):
    role = forms.ChoiceField(label=_("Peran"), choices=WorkerRole.choices)
    kecamatan = RegionCodeField(None, label=_("Kecamatan tugas"), required=False)
    kelurahan = RegionCodeField(None, label=_("Kelurahan tugas (PSM)"), required=False)
    start_date = forms.DateField(label=_("Mulai bertugas"), widget=DATE_WIDGET, initial=timezone.localdate)
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False)
    decree_date = forms.DateField(label=_("Tanggal SK"), widget=DATE_WIDGET, required=False)
    decree_issuer = forms.CharField(label=_("Penerbit SK"), max_length=150, required=False)

    field_order = ["role", "kecamatan", "kelurahan", "start_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kecamatan", forms.ModelChoiceField).queryset = city_regions().kecamatan()
        field_of(self, "kelurahan", forms.ModelChoiceField).queryset = city_regions().villages()

    @property
    def service_field_aliases(self) -> dict[str, str]:
        return {"region": "kelurahan" if self.cleaned_data.get("role") == WorkerRole.PSM else "kecamatan"}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        role, kec, kel = data.get("role"), data.get("kecamatan"), data.get("kelurahan")
        if role == WorkerRole.PSM and not kel:
            self.add_error("kelurahan", _("Kelurahan tugas wajib diisi untuk PSM."))
        if role == WorkerRole.TKSK and not kec:
            self.add_error("kecamatan", _("Kecamatan tugas wajib diisi untuk TKSK."))
        if role == WorkerRole.PSM and kel and kec and not kel.code.startswith(kec.code + "."):
            self.add_error("kelurahan", _("Kelurahan tidak berada di kecamatan yang dipilih."))
        if data.get("decree_number") and not data.get("decree_issuer"):
            self.add_error("decree_issuer", _("Penerbit SK wajib diisi bila nomor SK diisi."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person": self.person_input(),
            "role": data["role"],
            "region": data["kelurahan"] if data["role"] == WorkerRole.PSM else data["kecamatan"],
            "start_date": data["start_date"],
            "decree_number": data["decree_number"],
            "decree_date": data["decree_date"],
            "decree_issuer": data["decree_issuer"],
            "confirm_address": data["confirm_address"],
            **{f: data[f] for f in BANK_FIELDS},
        }


class WorkerUpdateForm(PersonFieldsMixin):
    """Personal, contact and bank details. Posting and status have their own forms."""

    EDITABLE = (*PersonInput.__dataclass_fields__, *BANK_FIELDS)

    @classmethod
    def initial_for(cls, worker) -> dict[str, Any]:
        person = worker.person
        initial = {f: getattr(person, f) for f in PersonInput.__dataclass_fields__}
        initial["village"] = person.village.code if person.village else ""
        initial |= {f: getattr(worker, f) for f in BANK_FIELDS}
        return initial

    @classmethod
    def for_patch(cls, worker, patch: dict[str, Any]) -> "WorkerUpdateForm":
        """A bound form for a partial update: unspecified fields keep their current values."""
        data = cls.initial_for(worker)
        data["birth_date"] = data["birth_date"].isoformat() if data["birth_date"] else ""
        data["nik"] = data["nik"] or ""
        return cls(data | patch)

    def changed_values(self, worker) -> dict[str, Any]:
        current = self.initial_for(worker)
        current["village"] = worker.person.village
        return {f: self.cleaned_data[f] for f in self.EDITABLE if self.cleaned_data[f] != current[f]}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=WorkerStatus.choices)
    on = forms.DateField(label=_("Berlaku sejak"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(label=_("Alasan"), max_length=250, required=False)


class TransferForm(forms.Form):
    kelurahan = RegionCodeField(None, label=_("Kelurahan tugas baru (PSM)"), required=False)
    kecamatan = RegionCodeField(None, label=_("Kecamatan tugas baru (TKSK)"), required=False)
    start_date = forms.DateField(label=_("Berlaku sejak"), widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label=_("Catatan"), max_length=250, required=False)
    confirm_address = forms.BooleanField(
        label=_("Saya konfirmasi: alamat KTP berbeda dengan kelurahan tugas"), required=False
    )

    def __init__(self, *args: Any, worker=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker = worker
        field_of(self, "kecamatan", forms.ModelChoiceField).queryset = city_regions().kecamatan()
        field_of(self, "kelurahan", forms.ModelChoiceField).queryset = city_regions().villages()

    @property
    def service_field_aliases(self) -> dict[str, str]:
        return {"region": "kelurahan" if self.worker.role == WorkerRole.PSM else "kecamatan"}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        field = "kelurahan" if self.worker.role == WorkerRole.PSM else "kecamatan"
        if not data.get(field):
            self.add_error(field, _("Wilayah tugas baru wajib diisi."))
        return data

    def region(self):
        return self.cleaned_data["kelurahan" if self.worker.role == WorkerRole.PSM else "kecamatan"]


class DecreeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis SK"), choices=Decree.Kind.choices)
    number = forms.CharField(label=_("Nomor SK"), max_length=100)
    on = forms.DateField(label=_("Tanggal SK"), widget=DATE_WIDGET)
    issuer = forms.CharField(label=_("Penerbit"), max_length=150)
