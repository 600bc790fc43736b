"""The field app's own form: a complaint taken in on a resident's behalf is the public form (``ComplaintForm``)
with a photo, the kelurahan limited to the worker's area, and the reporter named as the resident, not "Anda"."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from pilar.complaints.forms import PHOTO_MAX_BYTES, ComplaintForm
from pilar.core import uploads
from pilar.registry.selectors import villages_in_area


class ComplaintIntakeForm(ComplaintForm):
    photo = uploads.CheckedFileField(
        label=_("Foto (bila ada)"), kinds=uploads.IMAGES, max_bytes=PHOTO_MAX_BYTES, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the worker's own kelurahan (a TKSK: its kecamatan's): another one is refused by name.
        kelurahan: Any = self.fields["kelurahan"]
        kelurahan.queryset = villages_in_area(user).select_related("parent")
        kelurahan.error_messages["invalid_choice"] = _("Kelurahan ini di luar wilayah tugas Anda.")
        del self.fields["kecamatan"]  # the kelurahan names it; the public form's pair is for residents
        self.fields["reporter_name"].label = _("Nama pelapor (warga)")
        self.fields["reporter_phone"].label = _("Nomor HP pelapor")
        self.fields["reporter_phone"].help_text = _("Agar petugas dapat menghubungi pelapor bila perlu.")
