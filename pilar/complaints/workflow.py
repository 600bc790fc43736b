"""The complaint's workflow on one screen: a resident's report is triaged once, into a case or closed.

    baru ──jadikan kasus──▶ kasus
      └──────tutup───────▶ ditutup (with a reason the status page and the reports count)

Submitting is not a step: it creates the complaint, from the open internet, without an actor.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm, can
from pilar.complaints.forms import CloseForm, ConvertForm
from pilar.complaints.models import Complaint
from pilar.core.workflow import Step, Workflow

S = Complaint.Status
TRIAGED = _("Pengaduan ini sudah ditinjau.")  # two workers of one area triaging at once: the second one learns it


def _category(complaint: Complaint) -> dict[str, Any]:
    category = complaint.category
    return {"category": category.code} if category is not None else {}


COMPLAINT = Workflow(
    model=Complaint,
    may=can,
    defaults={"sources": (S.NEW,), "perm": Perm.COMPLAINT_TRIAGE, "refused": TRIAGED},
    steps=(
        Step(
            name="convert",
            label=_("Jadikan kasus"),
            form=ConvertForm,
            path="jadikan-kasus",
            done=_("Pengaduan dijadikan kasus di kelurahannya."),
            event="converted",
            help=_("Kasus dibuka di kelurahan pengaduan ini, dengan sumber “pengaduan masyarakat”."),
            initial=_category,
            api_doc="Jadikan kasus di kelurahan pengaduan (``category``: kode PPKS). "
            "Pengaduan yang sudah ditinjau: 409.",
        ),
        Step(
            name="close",
            label=_("Tutup pengaduan"),
            form=CloseForm,
            path="tutup",
            done=_("Pengaduan ditutup."),
            event="closed",
            style="secondary",
            confirm=_("Pengaduan ditutup tanpa kasus; pelapor melihat alasannya di halaman status."),
            api_doc="Tutup pengaduan dengan alasan (``reason``) dan keterangan "
            "(``note``; wajib untuk duplikat/lainnya).",
        ),
    ),
)
