"""The one cleaning of a person's NIK, name and phone, shared by the registry's and the workers' person forms."""

from django import forms

from pilar.identity.forms import PersonIdentityForm


class PersonInputs(PersonIdentityForm):
    nik = forms.CharField(required=False)
    name = forms.CharField()
    phone = forms.CharField(required=False)


def test_nik_name_and_phone_are_normalised():
    form = PersonInputs({"nik": " 3671011203850001 ", "name": "  Siti   Aminah ", "phone": "0812-3456-7890"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"nik": "3671011203850001", "name": "Siti Aminah", "phone": "+6281234567890"}


def test_an_empty_nik_is_none_and_a_wrong_one_is_refused_on_its_input():
    empty = PersonInputs({"name": "Siti", "nik": ""})
    assert empty.is_valid() and empty.cleaned_data["nik"] is None
    wrong = PersonInputs({"name": "Siti", "nik": "123"})
    assert not wrong.is_valid()
    assert wrong.errors.as_data()["nik"][0].code == "nik"
