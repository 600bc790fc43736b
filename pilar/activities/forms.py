"""Activity forms, shared by the pages and the API. They parse input; the rules live in ``services``."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilar.activities.selectors import cases_counted, parse_period
from pilar.core import uploads
from pilar.core.forms import DATE_WIDGET, PeriodField, field_of
from pilar.regions.forms import RegionCodeField
from pilar.regions.models import Region
from pilar.regions.selectors import city_kecamatan, city_villages

if TYPE_CHECKING:  # the services import the workflow, which needs these forms
    from django_stubs_ext import StrOrPromise  # django-stubs: a development dependency

    from pilar.activities.services import ReportData

# Phones offer a numeric keypad for these.
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})
TEXTAREA = forms.Textarea(attrs={"rows": 3})
MAX_COUNT = 10_000


def _count(label: "StrOrPromise", help_text: "StrOrPromise" = "") -> forms.IntegerField:
    # Optional: an empty count is zero (the API may send only what it has).
    return forms.IntegerField(
        label=label, min_value=0, max_value=MAX_COUNT, initial=0, widget=NUMBER, help_text=help_text, required=False
    )


class ReportForm(forms.Form):
    visits = _count(_("Jumlah kunjungan rumah"), _("Semua kunjungan bulan ini; rinciannya boleh ditambahkan."))
    cases_handled = _count(_("Kasus yang ditangani"))
    info_relayed = _count(_("Sosialisasi program"), _("Berapa kali informasi program disampaikan ke warga."))
    info_notes = forms.CharField(label=_("Catatan sosialisasi"), required=False, widget=TEXTAREA, max_length=2000)
    ppks_notes = forms.CharField(
        label=_("Catatan PPKS"),
        required=False,
        widget=TEXTAREA,
        max_length=2000,
        help_text=_("Jumlah PPKS diambil dari registri; tambahkan keterangan di sini."),
    )
    notes = forms.CharField(label=_("Catatan lain"), required=False, widget=TEXTAREA, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cases_counted():
            del self.fields["cases_handled"]  # counted from the case records instead

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what every clean() up the chain returns, typed as never None
        for name in ("visits", "cases_handled", "info_relayed"):
            if name in data and data[name] is None:
                data[name] = 0
        return data

    def report_data(self) -> "ReportData":
        from pilar.activities.services import ReportData

        return ReportData(**self.cleaned_data)


class ReportCreateForm(ReportForm):
    period = PeriodField(label=_("Bulan laporan"), parse=parse_period, example="2026-09")

    field_order = ["period"]

    def report_data(self) -> "ReportData":
        from pilar.activities.services import ReportData

        return ReportData(**{k: v for k, v in self.cleaned_data.items() if k != "period"})


class VisitForm(forms.Form):
    date = forms.DateField(label=_("Tanggal kunjungan"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Tempat / alamat"), max_length=200)
    purpose = forms.CharField(label=_("Keperluan"), max_length=250, required=False)


class PhotoForm(forms.Form):
    file = uploads.CheckedFileField(label=_("Foto kegiatan"), kinds=uploads.IMAGES)
    caption = forms.CharField(label=_("Keterangan foto"), max_length=200, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan dikembalikan"),
        widget=TEXTAREA,
        max_length=2000,
        error_messages={"required": _("Tuliskan alasan laporan dikembalikan.")},
    )


class RecapForm(forms.Form):
    """The recap's month and kecamatan (empty: the whole city, for Dinsos)."""

    period = PeriodField(label=_("Bulan"), required=False, parse=parse_period, example="2026-09")
    kecamatan = RegionCodeField(None, label=_("Kecamatan"), required=False)

    def __init__(self, *args: Any, kecamatan_options=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kecamatan", forms.ModelChoiceField).queryset = (
            kecamatan_options if kecamatan_options is not None else city_kecamatan()
        )


def _city_areas():
    return Region.objects.filter(pk__in=city_kecamatan().values("pk")) | Region.objects.filter(
        pk__in=city_villages().values("pk")
    )


class RoadshowPlanForm(forms.Form):
    region = RegionCodeField(None, label=_("Kecamatan atau kelurahan"))
    planned_date = forms.DateField(label=_("Tanggal rencana"), widget=DATE_WIDGET)
    topic = forms.CharField(label=_("Tema"), max_length=200, required=False)
    note = forms.CharField(label=_("Catatan"), required=False, widget=TEXTAREA, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "region", forms.ModelChoiceField).queryset = _city_areas().order_by("code")


class RoadshowDoneForm(forms.Form):
    done_date = forms.DateField(label=_("Tanggal pelaksanaan"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Catatan hasil"), required=False, widget=TEXTAREA, max_length=2000)


class RoadshowCancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=500)
