"""Training forms, shared by the pages and the API so that both validate input the same way."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilar.core import uploads
from pilar.core.forms import DATE_WIDGET, field_of
from pilar.regions.forms import RegionCodeField
from pilar.regions.selectors import city_kecamatan, city_villages
from pilar.trainings.models import Event, Response
from pilar.trainings.services import EVENT_FIELDS, Target


def _default_organiser() -> str:
    from pilar.trainings.certificates import city_name

    return f"Dinas Sosial {city_name()}".strip()


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "speakers": forms.Textarea(attrs={"rows": 3}),
            "topics": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "organiser" not in self.initial:
            self.initial["organiser"] = _default_organiser()
        percent = field_of(self, "completion_percent", forms.IntegerField)
        percent.min_value = 1
        percent.max_value = 100
        percent.widget.attrs.update(min=1, max=100)

    def clean_completion_percent(self) -> int:
        value = self.cleaned_data["completion_percent"]
        if not 1 <= value <= 100:
            raise forms.ValidationError(_("Syarat kelulusan antara 1 dan 100 persen."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in EVENT_FIELDS}


class SessionForm(forms.Form):
    name = forms.CharField(label=_("Nama sesi"), max_length=150)
    day = forms.DateField(label=_("Tanggal"), widget=DATE_WIDGET)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Judul materi"), max_length=200)
    file = uploads.CheckedFileField(label=_("Berkas"), kinds=uploads.IMAGES_AND_DOCUMENTS)


class InviteForm(forms.Form):
    target = forms.ChoiceField(label=_("Undang"), choices=Target.choices)  # also the API schema's enum
    kecamatan = RegionCodeField(None, label=_("Kecamatan"), required=False)
    kelurahan = RegionCodeField(None, label=_("Kelurahan"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kecamatan", forms.ModelChoiceField).queryset = city_kecamatan()
        field_of(self, "kelurahan", forms.ModelChoiceField).queryset = city_villages()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        needed = Target.NEEDS_REGION.get(data.get("target", ""))
        if needed and not data.get(needed) and needed not in self.errors:
            self.add_error(
                needed, _("Pilih %(area)s yang diundang.") % {"area": str(self.fields[needed].label).lower()}
            )
        return data

    def region(self):
        needed = Target.NEEDS_REGION.get(self.cleaned_data["target"])
        return self.cleaned_data.get(needed) if needed else None


class MarkForm(forms.Form):
    """The operator's attendance list: the participants shown, and those ticked present among them."""

    shown = forms.CharField(required=False)
    present = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args: Any, participant_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "present", forms.TypedMultipleChoiceField).choices = [(pk, pk) for pk in participant_ids or []]

    def shown_ids(self) -> list[int]:
        raw = self.cleaned_data.get("shown") or ""
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Daftar peserta tidak sah.")) from exc


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Kode presensi"), max_length=12)
    session = forms.TypedChoiceField(label=_("Sesi"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, sessions: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "session", forms.TypedChoiceField).choices = [
            ("", "—"),
            *[(s.pk, f"{s.event} — {s.name}") for s in sessions or []],
        ]


class RespondForm(forms.Form):
    response = forms.ChoiceField(choices=[(Response.YES, Response.YES.label), (Response.NO, Response.NO.label)])


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Kode verifikasi"), max_length=30)

    def clean_code(self) -> str:
        raw = "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())
        if len(raw) != 16:
            raise forms.ValidationError(_("Kode verifikasi terdiri atas 16 huruf dan angka, mis. ABCD-EFGH-JKLM-NPQR."))
        return "-".join(raw[i : i + 4] for i in range(0, 16, 4))
