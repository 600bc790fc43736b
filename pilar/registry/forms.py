"""Registry forms, shared by the pages and the API so that both validate input the same way.

Every form takes an optional ``user`` keyword. With a user, the choices it offers are the
user's own scope: persons and households the user may see, kelurahan inside the user's area
(a PSM only its kelurahan, a TKSK its kecamatan, Dinsos the whole city). A kelurahan outside
that area is refused on the field with a message, not silently dropped. Without a user
(commands, imports, tests) the whole city is offered.

Forms only parse and normalise input (NIK digits, +62 phones, region codes, RT/RW padding);
the workflow rules (who may verify what, which status allows which step, NIK vs birth date,
one head per KK) live in ``registry.services``. Each form has one method that returns the
keyword arguments of its service, so a view is: bind, ``is_valid()``, call the service.

Usage in a page::

    form = PpksProposeForm(request.POST, user=request.user)
    if form.is_valid():
        record = services.ppks_propose(actor=request.user, **form.service_kwargs())

The action forms map one to one onto the workflow services (``registry.workflow.PPKS`` runs them):

- ``VerifyForm`` (result, note) → ``ppks_verify(record=..., actor=..., **form.cleaned_data)``
- ``ValidateForm`` (note) → ``ppks_validate``
- ``ReasonForm`` (reason) → ``ppks_return`` and ``ppks_reject``
- ``ResubmitForm`` (note, and those of rt, rw, address, notes that were sent) → ``ppks_resubmit``
- ``ExitForm`` (on, reason, note) → ``ppks_exit``
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import access_for
from pilar.core import uploads
from pilar.core.forms import DATE_WIDGET, decision_field, field_of
from pilar.identity.forms import PersonIdentityForm
from pilar.identity.kk import KkError, validate_kk
from pilar.identity.models import Person, Sex
from pilar.regions.forms import RegionCodeField, rt_field, rw_field
from pilar.regions.models import Region
from pilar.regions.selectors import city_villages
from pilar.registry import plausibility
from pilar.registry.models import Category, ExitReason, FieldResult, Household, ImportJob, Relationship, Source
from pilar.registry.selectors import persons_visible_to

if TYPE_CHECKING:  # the services' workflow declares these forms: a runtime import would be a cycle
    from django_stubs_ext import StrOrPromise  # django-stubs: a development dependency

    from pilar.registry.services import PersonData

OUTSIDE_AREA = _("Kelurahan ini di luar wilayah tugas Anda.")
# Sources a field worker may give; "operator" is Dinsos' own input and "impor" belongs to file imports.
FIELD_SOURCES = (Source.PSM, Source.RESIDENT, Source.COMPLAINT)


def _coordinate_field(label: "StrOrPromise", limit: int) -> forms.DecimalField:
    """A latitude (``limit`` 90) or longitude (180) in degrees, as precise as the record keeps it."""
    return forms.DecimalField(
        label=label, max_digits=9, decimal_places=6, min_value=Decimal(-limit), max_value=Decimal(limit), required=False
    )


def _padded(value: str) -> str:
    # The KTP prints RT/RW as three digits: "3" and "003" are the same RT and must compare equal.
    return value.zfill(3) if value else ""


def in_user_area(user: Any, kelurahan: Region) -> bool:
    """Whether ``kelurahan`` lies in the area of ``user`` (always true without a user)."""
    if user is None:
        return True
    # A kelurahan's parent is its kecamatan (Kemendagri hierarchy), so no extra query is needed.
    return access_for(user).covers(kecamatan_id=kelurahan.parent_id, village_id=kelurahan.pk)


def _person_id(value: Any) -> int | None:
    # JSON from an API client gives numbers; a page's hidden input may give "12".
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


class ScopedForm(forms.Form):
    """A form that knows who fills it in, to offer and accept only what lies in their area."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def _kelurahan_in_area(self, field: str) -> Region | None:
        kelurahan = self.cleaned_data.get(field)
        if kelurahan is not None and not in_user_area(self.user, kelurahan):
            raise ValidationError(OUTSIDE_AREA, code="outside_area")
        return kelurahan

    def _rt_rw(self, field: str) -> str:
        return _padded(self.cleaned_data.get(field) or "")

    def clean_rt(self) -> str:
        return self._rt_rw("rt")

    def clean_rw(self) -> str:
        return self._rt_rw("rw")


class PersonForm(ScopedForm, PersonIdentityForm):
    """A registry person. The NIK is optional: persons without one are kept and flagged for Dukcapil.

    Field workers must give the KTP kelurahan, inside their area, so that they can find the
    person again (the registry shows a PSM only persons of its own kelurahan).
    """

    nik = forms.CharField(label=_("NIK"), max_length=24, required=False)
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=80, required=False)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DATE_WIDGET, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=250, required=False)
    rt = rt_field()
    rw = rw_field()
    village = RegionCodeField(None, label=_("Kelurahan (alamat KTP)"), required=False)
    phone = forms.CharField(label=_("Nomor HP"), max_length=24, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "village", forms.ModelChoiceField).queryset = city_villages()
        if self.user is not None and not access_for(self.user).city_wide:
            self.fields["village"].required = True

    def clean_birth_date(self) -> Any:
        born = self.cleaned_data.get("birth_date")
        if born and born > timezone.localdate():
            raise ValidationError(_("Tanggal lahir tidak boleh di masa depan."), code="future")
        return born

    def clean_village(self) -> Region | None:
        return self._kelurahan_in_area("village")

    def person_data(self) -> "PersonData":
        """The ``data`` argument of ``services.person_create``."""
        from pilar.registry.services import PersonData  # here: see the TYPE_CHECKING import

        return PersonData(**{f: self.cleaned_data[f] for f in PersonData.__dataclass_fields__})


class HouseholdForm(ScopedForm):
    """A family as on its KK.

    ``members`` is a JSON list ``[{"person": <id>, "relationship": "<SHDK code>"}, ...]``: a list
    in an API body, a JSON string in a page's hidden input. Every person must be visible to the
    user. "Exactly one head" and "one household at a time" are checked by the service.
    """

    kk_number = forms.CharField(label=_("Nomor KK"), max_length=24)
    kelurahan = RegionCodeField(None, label=_("Kelurahan"))
    address = forms.CharField(label=_("Alamat"), max_length=250, required=False)
    rt = rt_field()
    rw = rw_field()
    members = forms.JSONField(label=_("Anggota keluarga"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kelurahan", forms.ModelChoiceField).queryset = city_villages()

    def clean_kk_number(self) -> str:
        try:
            return validate_kk(self.cleaned_data["kk_number"])
        except KkError as exc:
            raise ValidationError(exc.message, code="kk") from exc

    def clean_kelurahan(self) -> Region | None:
        return self._kelurahan_in_area("kelurahan")

    def clean_members(self) -> list[tuple[Person, str]]:
        rows = self.cleaned_data.get("members")
        if not isinstance(rows, list) or not rows:
            raise ValidationError(_("Isi anggota keluarga: daftar orang dan hubungannya (SHDK)."), code="members")
        wanted: list[tuple[Any, str]] = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or row.get("relationship") not in Relationship.values:
                raise ValidationError(
                    _("Anggota ke-%(n)s: hubungan dalam keluarga (SHDK) tidak dikenal.") % {"n": number},
                    code="members",
                )
            wanted.append((row.get("person"), row["relationship"]))
        given = [_person_id(pk) for pk, _rel in wanted]
        ids = [pk for pk in given if pk is not None]
        if len(ids) < len(given):
            raise ValidationError(_("Setiap anggota harus merujuk ke orang yang terdaftar."), code="members")
        wanted = [(pk, rel) for pk, (_pk, rel) in zip(ids, wanted, strict=True)]
        # One query for all members; persons the user may not see count as unknown.
        found = {p.pk: p for p in self._persons().filter(pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise ValidationError(_("Orang tidak ditemukan: %(ids)s.") % {"ids": ", ".join(missing)}, code="members")
        return [(found[pk], rel) for pk, rel in wanted]

    def _persons(self) -> QuerySet[Person]:
        return Person.objects.all() if self.user is None else persons_visible_to(self.user)

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``services.household_create`` (add ``actor``)."""
        keys = ("kk_number", "kelurahan", "members", "address", "rt", "rw")
        return {k: self.cleaned_data[k] for k in keys}


class PpksProposeForm(ScopedForm):
    """A new PPKS proposal: a category, the person or the household, and where they were found.

    ``source`` defaults to "psm" (field finding) for field workers and "operator" for Dinsos.
    Whether the category needs a person or a household is checked by the service.
    """

    category = forms.ModelChoiceField(
        Category.objects.none(),
        label=_("Kategori PPKS"),
        to_field_name="code",
        error_messages={"invalid_choice": _("Kategori PPKS tidak dikenal.")},
    )
    person = forms.ModelChoiceField(
        Person.objects.none(),
        label=_("Orang"),
        required=False,
        error_messages={"invalid_choice": _("Orang tidak ditemukan.")},
    )
    household = forms.ModelChoiceField(
        Household.objects.none(),
        label=_("Keluarga (KK)"),
        required=False,
        error_messages={"invalid_choice": _("Keluarga tidak ditemukan.")},
    )
    kelurahan = RegionCodeField(None, label=_("Kelurahan"))
    rt = rt_field()
    rw = rw_field()
    address = forms.CharField(label=_("Alamat"), max_length=250, required=False)
    latitude = _coordinate_field(_("Lintang"), 90)
    longitude = _coordinate_field(_("Bujur"), 180)
    notes = forms.CharField(label=_("Keterangan"), widget=forms.Textarea, required=False)
    source = forms.ChoiceField(
        label=_("Sumber"),
        choices=[("", "—"), *Source.choices],
        required=False,
        error_messages={"invalid_choice": _("Sumber usulan tidak dikenal.")},
    )
    # A category that does not fit the person's age or sex (pilar.registry.plausibility) needs this ticked.
    confirm_plausibility = forms.BooleanField(
        label=_("Saya sudah memeriksa: kategori ini memang untuk orang ini"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "category", forms.ModelChoiceField).queryset = Category.objects.filter(
            kind__in=Category.RECORDED_KINDS, is_active=True
        )
        if self.user is None:
            field_of(self, "person", forms.ModelChoiceField).queryset = Person.objects.all()
            field_of(self, "household", forms.ModelChoiceField).queryset = Household.objects.all()
        else:
            field_of(self, "person", forms.ModelChoiceField).queryset = persons_visible_to(self.user)
            field_of(self, "household", forms.ModelChoiceField).queryset = Household.objects.visible_to(self.user)
        field_of(self, "kelurahan", forms.ModelChoiceField).queryset = city_villages()
        # Offer only the sources this user may choose (``clean_source`` still refuses the others).
        self.fields["source"].widget.choices = [
            (value, label) for value, label in Source.choices if self.source_allowed(value)
        ]
        self.fields["source"].initial = self.default_source()

    def source_allowed(self, source: str) -> bool:
        return source in FIELD_SOURCES or (source == Source.OPERATOR and self.city_wide)

    def default_source(self) -> str:
        return Source.OPERATOR if self.city_wide else Source.PSM

    @property
    def city_wide(self) -> bool:
        return self.user is None or access_for(self.user).city_wide

    def clean_kelurahan(self) -> Region | None:
        return self._kelurahan_in_area("kelurahan")

    def clean_source(self) -> str:
        source = self.cleaned_data.get("source") or self.default_source()
        if not self.source_allowed(source):
            raise ValidationError(_("Sumber usulan ini tidak dapat dipilih."), code="source")
        return source

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        if "person" in data and "household" in data and not data["person"] and not data["household"]:
            self.add_error("person", _("Pilih orang atau keluarga yang diusulkan."))
        category, subject = data.get("category"), data.get("person") or getattr(data.get("household"), "head", None)
        if category is not None and subject is not None and not data.get("confirm_plausibility"):
            found = plausibility.warnings(category.code, category.name, sex=subject.sex, born=subject.birth_date)
            if found:
                found.append(str(_("Periksa datanya; bila memang benar, centang konfirmasi lalu kirim lagi.")))
                self.add_error("confirm_plausibility", " ".join(found))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``services.ppks_propose`` (add ``actor``)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "confirm_plausibility"}


class VerifyForm(ScopedForm):
    """The TKSK's field check: found, not found, moved or died (anything but "found" rejects)."""

    result = decision_field(
        _("Hasil verifikasi lapangan"),
        FieldResult.choices,
        required=_("Hasil verifikasi lapangan wajib dipilih."),
        unknown=_("Hasil verifikasi lapangan tidak dikenal."),
    )
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea, required=False)


class ValidateForm(ScopedForm):
    """Dinsos' decision (penetapan) on a verified record."""

    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea, required=False)


class EvidenceForm(forms.Form):
    """A photo (JPG/PNG/WEBP) or PDF backing a record; the service checks the file again (the API uses no form)."""

    file = uploads.CheckedFileField(label=_("Berkas"), error_messages={"required": _("Pilih berkas foto atau PDF.")})
    note = forms.CharField(label=_("Keterangan"), max_length=250, required=False)


class ReasonForm(ScopedForm):
    """Returning a record for correction or rejecting it: the reason is required and shown to the proposer."""

    reason = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea, error_messages={"required": _("Alasan wajib diisi.")}
    )


class ResubmitForm(ScopedForm):
    """The proposer's corrections. Only the fields actually sent are changed (see :meth:`clean`)."""

    FIX_FIELDS = ("rt", "rw", "address", "notes")

    note = forms.CharField(
        label=_("Yang diperbaiki"),
        widget=forms.Textarea,
        error_messages={"required": _("Jelaskan apa yang diperbaiki.")},
    )
    rt = rt_field()
    rw = rw_field()
    address = forms.CharField(label=_("Alamat"), max_length=250, required=False)
    notes = forms.CharField(label=_("Keterangan"), widget=forms.Textarea, required=False)

    def clean(self) -> dict[str, Any]:
        # A field left out of the request keeps its value on the record: the service gets only those sent.
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        for name in self.FIX_FIELDS:
            if name not in self.data:
                data.pop(name, None)
        return data


class ExitForm(ScopedForm):
    """A validated record leaves the registry: on which day and why."""

    on = forms.DateField(label=_("Tanggal keluar"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = decision_field(
        _("Alasan keluar"),
        ExitReason.choices,
        required=_("Alasan keluar wajib dipilih."),
        unknown=_("Alasan keluar tidak dikenal."),
    )
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea, required=False)

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(_("Tanggal keluar tidak boleh di masa depan."), code="future")
        return on


class ConflictSameForm(forms.Form):
    """A conflict's row is the stored person: for each disagreeing field keep the stored value or take the file's.
    The API sends ``{"choices": {"name": "take"}}``; the page one radio group ``choice_<field>`` per field."""

    choices = forms.JSONField(required=False, label=_("Pilihan per kolom"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        chosen = data.get("choices")
        if not chosen:
            chosen = {k.removeprefix("choice_"): v for k, v in self.data.items() if k.startswith("choice_")}
        # Anything but an object of texts is no choice at all: the service names each field still to choose.
        data["choices"] = {str(k): str(v) for k, v in chosen.items()} if isinstance(chosen, dict) else {}
        return data


IMPORT_SUFFIXES = (".csv", ".xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))
    mode = forms.ChoiceField(
        label=_("Mode impor"),
        choices=ImportJob.Mode.choices,
        initial=ImportJob.Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(label=_("Uji coba saja (periksa tanpa menyimpan)"), required=False)
    profile = forms.CharField(
        label=_("Profil pemetaan kolom"),
        required=False,
        max_length=50,
        help_text=_("Kosong: kolom dikenali dari judulnya. dtks: layout BNBA DTKS/DTSEN."),
    )
    accept_warnings = forms.BooleanField(
        label=_("Impor juga baris dengan peringatan (kategori tidak cocok dengan usia atau jenis kelamin)"),
        required=False,
    )
    # Unticked (as an API client or an older page posts it): straight to the import, mapping guessed.
    preview = forms.BooleanField(
        label=_("Periksa pemetaan kolom dulu (pratinjau sebelum disimpan)"), required=False, initial=True
    )

    def clean_profile(self) -> str:
        from pilar.registry.importer.mapping import all_profiles, profile_named

        name = (self.cleaned_data.get("profile") or "").strip()
        if name and profile_named(name) is None:
            names = ", ".join(p.name for p in all_profiles())
            raise forms.ValidationError(
                _("Profil %(name)s tidak ada. Profil yang ada: %(names)s.") % {"name": name, "names": names}
            )
        return name

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_SUFFIXES):
            raise forms.ValidationError(_("Hanya berkas .csv atau .xlsx yang dapat diimpor."), code="suffix")
        return upload
