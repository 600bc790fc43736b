"""Form cleaning of a person's identity inputs, one way for every form that asks for them (the registry's person,
the worker's personal details): the NIK to its 16 digits, the name's spaces folded, the phone to +62."""

from django import forms
from django.core.exceptions import ValidationError

from pilar.identity.nik import NikError, parse_nik
from pilar.identity.phone import PhoneError, normalize_phone


class PersonIdentityForm(forms.Form):
    """Cleans the ``nik``, ``name`` and ``phone`` inputs its subclasses declare. An empty NIK (where the form lets
    it be empty) is None: a person without one is kept and flagged for Dukcapil."""

    def clean_nik(self) -> str | None:
        raw = (self.cleaned_data.get("nik") or "").strip()
        if not raw:
            return None
        try:
            return parse_nik(raw).nik
        except NikError as exc:
            raise ValidationError(exc.message, code="nik") from exc

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data.get("phone") or "")
        except PhoneError as exc:
            raise ValidationError(exc.message, code="phone") from exc
