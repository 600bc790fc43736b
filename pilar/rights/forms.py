from django import forms
from django.utils.translation import gettext_lazy as _

from pilar.identity.models import Person
from pilar.rights.models import RequestKind, RequestState


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis permintaan"), choices=RequestKind.choices)
    requester_name = forms.CharField(label=_("Nama pemohon"), max_length=150)
    requester_contact = forms.CharField(label=_("Kontak pemohon (telepon/surel)"), max_length=150, required=False)
    nik = forms.CharField(label=_("NIK orang di registri (bila ada)"), max_length=16, required=False)
    details = forms.CharField(label=_("Isi permintaan"), widget=forms.Textarea(attrs={"rows": 4}))
    received_at = forms.DateTimeField(
        label=_("Diterima pada"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean_nik(self) -> Person | None:
        nik = self.cleaned_data["nik"].strip()
        if not nik:
            return None
        person = Person.objects.filter(nik=nik).first()
        if person is None:
            raise forms.ValidationError(_("Tidak ada orang dengan NIK ini di registri."))
        return person


class IdentityForm(forms.Form):
    document = forms.CharField(
        label=_("Dokumen identitas yang diperiksa"),
        max_length=150,
        help_text=_("Mis. KTP asli dicocokkan dengan data registri."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Jawaban"), widget=forms.Textarea(attrs={"rows": 4}))
    state = forms.ChoiceField(
        label=_("Status sesudahnya"), choices=[c for c in RequestState.choices if c[0] != "diterima"]
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300)
