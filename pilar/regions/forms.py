from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from pilar.core.uploads import IMAGES, CheckedFileField
from pilar.regions.models import Office, Region, Signatory
from pilar.regions.office import OFFICE_FIELDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # django-stubs: a development dependency


class RegionCodeField(forms.ModelChoiceField):
    """A region chosen by its Kemendagri code (``36.71.01.1001``), in a select or in JSON."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("error_messages", {"invalid_choice": _("Kode wilayah tidak dikenal.")})
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name} ({obj.code})"


def _rt_rw_field(label: "StrOrPromise", message: "StrOrPromise") -> forms.RegexField:
    return forms.RegexField(label=label, regex=r"^\d{1,3}$", required=False, error_messages={"invalid": message})


def rt_field() -> forms.RegexField:
    """The RT of an address, as the KTP prints it: up to three digits (every form asking an address uses it)."""
    return _rt_rw_field(_("RT"), _("RT berupa angka, 1–3 digit."))


def rw_field() -> forms.RegexField:
    return _rt_rw_field(_("RW"), _("RW berupa angka, 1–3 digit."))


class OfficeForm(forms.ModelForm):
    logo = CheckedFileField(kinds=IMAGES, max_bytes=1024 * 1024, required=False, label=_("Logo (untuk kop surat)"))
    remove_logo = forms.BooleanField(required=False, label=_("Hapus logo"))

    class Meta:
        model = Office
        fields = OFFICE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One form, one row per document: who signs it when not the head of office.
        for document, label in Signatory.Document.choices:
            row = Signatory.objects.filter(document=document).first()
            for key, field_label, max_length in (
                ("name", _("nama"), 150),
                ("position", _("jabatan"), 150),
                ("nip", _("NIP"), 30),
            ):
                self.fields[f"sign_{document}_{key}"] = forms.CharField(
                    label=f"{label}: {field_label}",
                    max_length=max_length,
                    required=False,
                    initial=getattr(row, key, "") if row else "",
                )

    def clean(self):
        data = super().clean()
        for document, _label in Signatory.Document.choices:
            nip = (data.get(f"sign_{document}_nip") or "").replace(" ", "")
            if nip and not (nip.isdigit() and len(nip) == 18):
                self.add_error(f"sign_{document}_nip", _("NIP terdiri atas 18 angka."))
        nip = (data.get("head_nip") or "").replace(" ", "")
        if nip and not (nip.isdigit() and len(nip) == 18):
            self.add_error("head_nip", _("NIP terdiri atas 18 angka."))
        return data

    def signatories(self) -> dict[str, dict[str, str]]:
        return {
            document: {key: self.cleaned_data.get(f"sign_{document}_{key}", "") for key in ("name", "position", "nip")}
            for document, _label in Signatory.Document.choices
        }

    def signatory_fields(self):
        return [self[name] for name in self.fields if name.startswith("sign_")]

    def office_fields(self):
        return [self[name] for name in (*OFFICE_FIELDS, "logo", "remove_logo")]
