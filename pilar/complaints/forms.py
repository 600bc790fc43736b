"""Complaint forms: the resident's report (page and API share ``ComplaintForm``) and the two triage steps.

Both public channels carry a honeypot input and the signed moment the form was served (see ``guard``): the
page in hidden inputs, the API as ``homepage`` and ``form_token`` (from ``GET /api/v1/complaints/form-token``).
The page adds a photo.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pilar.complaints import guard
from pilar.complaints.models import Complaint
from pilar.core import uploads
from pilar.core.forms import decision_field, field_of
from pilar.identity.models import Sex
from pilar.identity.phone import PhoneError, normalize_phone
from pilar.regions.forms import RegionCodeField, rt_field, rw_field
from pilar.regions.selectors import city_kecamatan, city_villages
from pilar.registry.models import Category

if TYPE_CHECKING:
    from pilar.complaints.services import ComplaintData

PHOTO_MAX_BYTES = 5 * 1024 * 1024
SPAM_MESSAGE = _("Pengaduan tidak dapat diterima. Muat ulang halaman lalu isi kembali.")


class CategoryCodeField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        kwargs["error_messages"] = {"invalid_choice": _("Kategori tidak dikenal."), **kwargs.get("error_messages", {})}
        super().__init__(Category.objects.filter(kind=Category.Kind.PPKS, is_active=True), **kwargs)


class ComplaintForm(forms.Form):
    subject_name = forms.CharField(
        label=_("Nama orang yang perlu dibantu"),
        max_length=150,
        required=False,
        help_text=_("Kosongkan bila tidak tahu."),
    )
    subject_age = forms.IntegerField(
        label=_("Perkiraan umur (tahun)"),
        min_value=0,
        max_value=120,
        required=False,
        error_messages={"min_value": _("Umur tidak valid."), "max_value": _("Umur tidak valid.")},
    )
    subject_sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=[("", "—"), *Sex.choices], required=False)
    kecamatan = RegionCodeField(None, label=_("Kecamatan"), required=False)
    kelurahan = RegionCodeField(
        None,
        label=_("Kelurahan"),
        error_messages={
            "required": _("Pilih kelurahan tempat orang tersebut berada."),
            "invalid_choice": _("Kelurahan tidak dikenal."),
        },
    )
    address = forms.CharField(
        label=_("Alamat atau patokan lokasi"),
        max_length=250,
        error_messages={"required": _("Tuliskan alamat atau patokan lokasinya.")},
        help_text=_("Misalnya: Jl. Merdeka gang 3, dekat musala."),
    )
    rt = rt_field()
    rw = rw_field()
    category = CategoryCodeField(label=_("Jenis masalah (bila tahu)"), required=False, empty_label="—")
    description = forms.CharField(
        label=_("Uraian keadaannya"),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Ceritakan keadaan orang tersebut."),
            "min_length": _("Ceritakan sedikit lebih lengkap (paling sedikit 20 huruf)."),
        },
    )
    reporter_name = forms.CharField(label=_("Nama Anda"), max_length=150, required=False)
    reporter_phone = forms.CharField(
        label=_("Nomor HP Anda"),
        max_length=24,
        required=False,
        help_text=_("Agar petugas dapat menghubungi Anda bila perlu."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kecamatan", forms.ModelChoiceField).queryset = city_kecamatan()
        field_of(self, "kelurahan", forms.ModelChoiceField).queryset = city_villages().select_related("parent")

    def clean_reporter_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data.get("reporter_phone") or "")
        except PhoneError as exc:
            raise ValidationError(exc.message, code="phone") from exc

    def _text(self, field: str) -> str:
        return " ".join((self.cleaned_data.get(field) or "").split())

    def clean_subject_name(self) -> str:
        return self._text("subject_name")

    def clean_reporter_name(self) -> str:
        return self._text("reporter_name")

    def clean_rt(self) -> str:
        return (self.cleaned_data.get("rt") or "").zfill(3) if self.cleaned_data.get("rt") else ""

    def clean_rw(self) -> str:
        return (self.cleaned_data.get("rw") or "").zfill(3) if self.cleaned_data.get("rw") else ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        kecamatan, kelurahan = data.get("kecamatan"), data.get("kelurahan")
        if kecamatan and kelurahan and kelurahan.parent_id != kecamatan.pk:
            self.add_error("kelurahan", _("Kelurahan ini tidak berada di kecamatan yang dipilih."))
        return data

    def complaint_data(self) -> "ComplaintData":
        from pilar.complaints.services import ComplaintData  # the services import the workflow, which needs these forms

        data = self.cleaned_data
        return ComplaintData(
            kelurahan=data["kelurahan"],
            address=data["address"].strip(),
            description=data["description"].strip(),
            subject_name=data["subject_name"],
            subject_age=data.get("subject_age"),
            subject_sex=data.get("subject_sex") or "",
            rt=data["rt"],
            rw=data["rw"],
            category=data.get("category"),
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
        )


class SpamGuardMixin(forms.Form):
    """The honeypot and the fill-time token, for a form that anyone may send without logging in."""

    # People never see this input (hidden by CSS, skipped by the keyboard); form-filling bots do.
    homepage = forms.CharField(
        required=False, label=_("Jangan diisi"), widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        if data.get("homepage"):
            raise ValidationError(SPAM_MESSAGE, code="spam")
        if "form_token" in self.errors:
            return data
        try:
            guard.check_form_token(data.get("form_token") or "")
        except guard.SpamRefused as exc:
            raise ValidationError(exc.message, code="spam") from exc
        return data

    def token_for_retry(self) -> str:
        """The token to serve again: the one sent if it is still good (a person retrying after "too fast"
        keeps the time already spent), otherwise a fresh one."""
        sent = self.data.get("form_token", "")
        try:
            guard.check_form_token(sent)
        except guard.SpamRefused as exc:
            return sent if exc.reason == "too_fast" else guard.form_token()
        return sent


class PublicComplaintForm(SpamGuardMixin, ComplaintForm):
    photo = uploads.CheckedFileField(
        label=_("Foto (bila ada)"), kinds=uploads.IMAGES, max_bytes=PHOTO_MAX_BYTES, required=False
    )
    field_order = [*ComplaintForm.base_fields, "photo", "homepage", "form_token"]


class ApiComplaintForm(SpamGuardMixin, ComplaintForm):
    """The API's submission: the page's fields and checks without the photo; the token is asked for by name."""

    form_token = forms.CharField(
        error_messages={"required": _("Ambil token formulir lebih dulu: GET /api/v1/complaints/form-token.")}
    )


class StatusLookupForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode pelacakan"), max_length=20, error_messages={"required": _("Masukkan kode pelacakan Anda.")}
    )


class ConvertForm(forms.Form):
    category = CategoryCodeField(
        label=_("Kategori PPKS kasus"),
        empty_label="—",
        error_messages={"required": _("Pilih kategori PPKS untuk kasusnya.")},
    )
    note = forms.CharField(
        label=_("Catatan peninjauan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    reason = decision_field(_("Alasan"), Complaint.CloseReason.choices, required=_("Alasan penutupan wajib dipilih."))
    note = forms.CharField(
        label=_("Keterangan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReporterForm(forms.Form):
    """Dinsos links the complaint to its reporter in the registry, from the NIK the reporter gives."""

    nik = forms.CharField(
        label=_("NIK pelapor"),
        max_length=16,
        required=False,
        help_text=_("NIK orang yang melapor, bila ia terdaftar di registri. Kosongkan untuk melepas tautan."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_nik(self) -> Any:
        from pilar.registry.selectors import persons_visible_to

        nik = "".join(self.cleaned_data["nik"].split())
        if not nik:
            return None
        person = persons_visible_to(self.user).filter(nik=nik).first()
        if person is None:
            raise ValidationError(_("Tidak ada orang dengan NIK ini di registri."))
        return person
