"""Input forms of the IPSM board page. They parse input only; the board rules live in ``services``."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilar.core.forms import DATE_WIDGET, field_of
from pilar.workers.models import BoardPosition, Worker


class BoardPeriodForm(forms.Form):
    start_year = forms.IntegerField(label=_("Tahun mulai"), min_value=1990, max_value=2100)
    end_year = forms.IntegerField(label=_("Tahun selesai"), min_value=1990, max_value=2100)
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False)
    inaugurated_on = forms.DateField(label=_("Tanggal pelantikan"), widget=DATE_WIDGET, required=False)


class ActivePsmField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Worker) -> str:
        where = obj.kelurahan.name if obj.kelurahan is not None else obj.kecamatan.name
        return f"{obj.person.name} — {where}"


class BoardMemberForm(forms.Form):
    position = forms.ChoiceField(label=_("Jabatan"), choices=BoardPosition.choices)
    # Only active PSM are offered; ``board_member_set`` checks again, as one may stop before the submit.
    worker = ActivePsmField(Worker.objects.none(), label=_("PSM aktif"), empty_label="—")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workers = Worker.objects.visible_to(user).psm().active().with_person()
        field_of(self, "worker", forms.ModelChoiceField).queryset = workers.order_by("person__name_normalized", "id")
