"""Case forms: the same ones validate the pages' posts and the API's JSON bodies."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import User
from pilar.cases.models import Case, Outcome
from pilar.cases.reference import risk_factors
from pilar.core.forms import DATE_WIDGET, field_of
from pilar.core.uploads import IMAGES_AND_DOCUMENTS, CheckedFileField
from pilar.identity.models import Person
from pilar.regions.forms import RegionCodeField
from pilar.registry.models import Category, Household
from pilar.registry.selectors import persons_visible_to, villages_in_area

TEXTAREA = forms.Textarea(attrs={"rows": 3})
# Cases from the public channel are opened by the complaints triage, not typed in here.
STAFF_SOURCES = [c for c in Case.Source.choices if c[0] != Case.Source.COMPLAINT]


NO_PERSON = _("Orang tidak ditemukan di wilayah Anda.")


def _registry_number(label: Any, help_text: Any, not_found: Any, **kwargs: Any) -> "forms.ModelChoiceField[Any]":
    """A person or family of the registry, typed as the number in its page's address; the form narrows the choice
    (``queryset``) to those the user may see, and ``not_found`` answers any other number."""
    return forms.ModelChoiceField(
        None,
        label=label,
        widget=forms.NumberInput,
        help_text=help_text,
        error_messages={"invalid_choice": not_found},
        **kwargs,
    )


class CaseForm(forms.Form):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)


class CaseOpenForm(CaseForm):
    kelurahan = RegionCodeField(None, label=_("Kelurahan"))
    source = forms.ChoiceField(
        label=_("Sumber"), choices=STAFF_SOURCES, error_messages={"invalid_choice": _("Sumber kasus tidak dikenal.")}
    )
    category = forms.ModelChoiceField(
        Category.objects.filter(kind=Category.Kind.PPKS),
        label=_("Kategori PPKS"),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": _("Kategori PPKS tidak dikenal.")},
    )
    person: "forms.ModelChoiceField[Person]" = _registry_number(
        _("Nomor orang di registri"),
        _("Angka pada alamat halaman orang di registri. Kosongkan bila belum terdaftar; isi namanya."),
        NO_PERSON,
        required=False,
    )
    household: "forms.ModelChoiceField[Household]" = _registry_number(
        _("Nomor keluarga (KK) di registri"),
        _("Untuk kasus sebuah keluarga: angka pada alamat halaman keluarga di registri."),
        _("Keluarga tidak ditemukan di wilayah Anda."),
        required=False,
    )
    subject_name = forms.CharField(label=_("Nama orang yang ditangani"), max_length=150, required=False)
    address = forms.CharField(label=_("Alamat/lokasi"), max_length=250, required=False)
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=150, required=False)
    summary = forms.CharField(
        label=_("Ringkasan masalah"), widget=TEXTAREA, error_messages={"required": _("Ringkasan masalah wajib diisi.")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kelurahan", forms.ModelChoiceField).queryset = villages_in_area(self.user)
        field_of(self, "person", forms.ModelChoiceField).queryset = persons_visible_to(self.user)
        field_of(self, "household", forms.ModelChoiceField).queryset = Household.objects.visible_to(self.user)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        if "household" in self.errors or "person" in self.errors:
            return data
        if not data.get("person") and not data.get("household") and not (data.get("subject_name") or "").strip():
            self.add_error("subject_name", _("Isi nama orang yang ditangani, atau pilih dari registri."))
        return data


class LinkForm(CaseForm):
    """Link a case opened for an unregistered person to their registry record, once it exists."""

    person: "forms.ModelChoiceField[Person]" = _registry_number(
        _("Nomor orang di registri"), _("Angka pada alamat halaman orang di registri."), NO_PERSON
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "person", forms.ModelChoiceField).queryset = persons_visible_to(self.user)


class AssessForm(CaseForm):
    factors = forms.MultipleChoiceField(
        label=_("Faktor risiko yang ada"), required=False, widget=forms.CheckboxSelectMultiple
    )
    needs = forms.CharField(label=_("Kebutuhan"), widget=TEXTAREA, required=False)
    strengths = forms.CharField(label=_("Kekuatan/sumber daya"), widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "factors", forms.ChoiceField).choices = [
            (f.code, f"{f.name} ({f.weight})") for f in risk_factors()
        ]


class PlanForm(CaseForm):
    goals = forms.CharField(label=_("Tujuan"), widget=TEXTAREA)
    actions = forms.CharField(label=_("Langkah intervensi"), widget=TEXTAREA)
    target_date = forms.DateField(label=_("Target selesai"), widget=DATE_WIDGET)


class DecisionForm(CaseForm):
    note = forms.CharField(label=_("Catatan"), widget=TEXTAREA, required=False)


class ReturnForm(CaseForm):
    note = forms.CharField(
        label=_("Yang perlu diperbaiki"),
        widget=TEXTAREA,
        error_messages={"required": _("Tuliskan apa yang perlu diperbaiki.")},
    )


class AdvanceForm(CaseForm):
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)


class CloseForm(CaseForm):
    outcome = forms.ChoiceField(label=_("Hasil penanganan"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_("Alasan/keterangan"), widget=TEXTAREA, error_messages={"required": _("Alasan penutupan wajib diisi.")}
    )


class ReopenForm(CaseForm):
    reason = forms.CharField(
        label=_("Alasan membuka kembali"),
        widget=TEXTAREA,
        error_messages={"required": _("Alasan membuka kembali wajib diisi.")},
    )


class UsernameChoiceField(forms.ModelChoiceField):
    """A worker chosen by username, shown with it."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.username})"


class UserChoiceForm(CaseForm):
    """A worker chosen by username among those ``users`` (set by the view: the case's eligible workers)."""

    def __init__(self, *args: Any, users: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("user", "to_user"):
            if name in self.fields:
                field = field_of(self, name, forms.ModelChoiceField)
                field.queryset = users if users is not None else User.objects.none()


UNKNOWN_WORKER = {"invalid_choice": _("Petugas tidak dikenal di kecamatan ini.")}


class AssignForm(UserChoiceForm):
    user = UsernameChoiceField(None, label=_("Petugas"), to_field_name="username", error_messages=UNKNOWN_WORKER)


class TransferForm(UserChoiceForm):
    to_user = UsernameChoiceField(
        None, label=_("Serahkan kepada"), to_field_name="username", error_messages=UNKNOWN_WORKER
    )
    reason = forms.CharField(label=_("Alasan serah terima"), widget=TEXTAREA)


class TransferDeclineForm(CaseForm):
    note = forms.CharField(label=_("Alasan menolak"), widget=TEXTAREA)


class NoteForm(CaseForm):
    text = forms.CharField(label=_("Catatan"), widget=TEXTAREA)
    confidential = forms.BooleanField(
        label=_("Rahasia (hanya petugas kasus dan supervisor)"),
        required=False,
    )


class VisitForm(CaseForm):
    visit_date = forms.DateField(label=_("Tanggal kunjungan"), widget=DATE_WIDGET)
    visitors = forms.CharField(label=_("Yang berkunjung"), max_length=250)
    findings = forms.CharField(label=_("Temuan"), widget=TEXTAREA)


class DocumentForm(CaseForm):
    file = CheckedFileField(kinds=IMAGES_AND_DOCUMENTS, label=_("Foto atau dokumen (JPG, PNG, WEBP, PDF)"))
    caption = forms.CharField(label=_("Keterangan"), max_length=250, required=False)
