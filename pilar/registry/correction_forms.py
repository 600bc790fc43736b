"""Forms of the correction pages (issue 11): a person's data, a household's KK number, a move to another KK.

The checks live in ``corrections`` and ``services``; these forms only read the input, and the person form
is the registration form (``PersonForm``: NIK format, kelurahan in the user's area) plus a reason.
"""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.core.forms import DATE_WIDGET
from pilar.identity.kk import KkError, validate_kk
from pilar.identity.models import Person
from pilar.registry.corrections import CORRECTABLE
from pilar.registry.forms import PersonForm, ScopedForm
from pilar.registry.models import Household, Relationship

REASON_HELP = _("Mengapa data ini diubah, mis. “sesuai KTP yang diperlihatkan”. Disimpan di jejak audit.")


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Alasan perubahan"),
        max_length=200,
        help_text=REASON_HELP,
        error_messages={"required": _("Alasan perubahan wajib diisi.")},
    )


def person_values(person: Person) -> dict[str, str]:
    """The person's correctable fields as a form (or the PATCH API) reads them."""
    return {
        "nik": person.nik or "",
        "name": person.name,
        "sex": person.sex,
        "birth_place": person.birth_place,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "address": person.address,
        "rt": person.rt,
        "rw": person.rw,
        "village": person.village.code if person.village is not None else "",
        "phone": person.phone,
    }


class PersonCorrectForm(PersonForm):
    reason = reason_field()

    def changes(self) -> dict[str, Any]:
        """Every correctable field; the service saves them and audits only those that differ."""
        return {field: self.cleaned_data[field] for field in CORRECTABLE}


class _DatedForm(ScopedForm):
    on = forms.DateField(label=_("Berlaku sejak"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = reason_field()

    def clean_on(self) -> date:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(_("Tanggal berlaku tidak boleh di masa depan."), code="future")
        return on


class KkChangeForm(_DatedForm):
    """A household's new KK number (a family split or re-issued KK); the old one stays in its history."""

    kk_number = forms.CharField(label=_("Nomor KK baru"), max_length=24)
    field_order = ["kk_number", "on", "reason"]


class MemberMoveForm(_DatedForm):
    """A person leaves their KK for another one the user may see, found by its KK number."""

    kk_number = forms.CharField(label=_("Nomor KK tujuan"), max_length=24)
    relationship = forms.ChoiceField(label=_("Hubungan dalam KK tujuan (SHDK)"), choices=Relationship.choices)
    field_order = ["kk_number", "relationship", "on", "reason"]

    def clean_kk_number(self) -> Household:
        try:
            kk = validate_kk(self.cleaned_data["kk_number"])
        except KkError as exc:
            raise ValidationError(exc.message, code="kk") from exc
        household = Household.objects.visible_to(self.user).filter(kk_number=kk).first()
        if household is None:
            raise ValidationError(_("Tidak ada KK dengan nomor ini di wilayah Anda."), code="unknown_kk")
        return household
