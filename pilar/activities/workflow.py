"""The PSM's monthly activity report on one screen: written by the PSM, checked once by the kecamatan's TKSK or
Dinsos.

    draf ──ajukan──▶ diajukan ──terima──▶ diterima (final: the payroll reads it)
      ▲                 └──kembalikan──▶ dikembalikan (with a reason)
      └───────── ajukan (after the PSM's corrections) ─────┘

Only the PSM who wrote a report submits it; nobody checks their own. Writing the report (its create page, also
posted by the offline field form), editing it and listing visits and photos are not steps: they change no state.

A roadshow stop (``ROADSHOW``), planned by Dinsos at a kecamatan or kelurahan, is then held or cancelled:

    rencana ──terlaksana──▶ selesai
       └─────batal───────▶ batal (with a reason)

Planning creates the stop. Its steps are taken from the roadshow list (there is no page per stop) and have no API
endpoint: the API only lists the stops and the coverage.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm, can
from pilar.activities.forms import ReturnForm, RoadshowCancelForm, RoadshowDoneForm
from pilar.activities.models import ActivityReport, RoadshowVisit
from pilar.core.workflow import Rule, Step, Workflow

S = ActivityReport.Status
# Two checkers answering at once (a TKSK accepts while Dinsos returns): the second one learns it.
CHECKED = _("Hanya laporan berstatus diajukan yang dapat diperiksa.")


def _author(user: Any, report: ActivityReport) -> bool:
    return report.worker.user_id is not None and report.worker.user_id == getattr(user, "pk", None)


def _not_author(user: Any, report: ActivityReport) -> bool:
    return not _author(user, report)


REPORT = Workflow(
    model=ActivityReport,
    may=can,
    # The API's refusals have always named the report as a whole (``errors.__all__``), not its status field.
    refused_field=None,
    service_prefix="report_",
    # Checking a report (accepting or returning it); submitting it is the author's.
    defaults={
        "sources": (S.SUBMITTED,),
        "perm": Perm.ACTIVITY_CHECK,
        "refused": CHECKED,
        "rules": (Rule(_not_author, _("Laporan sendiri tidak dapat diperiksa sendiri.")),),
    },
    # The timeline's words for what happened (a step's label says what to do); these are its audit actions.
    events={
        "activities.report.created": _("Dibuat"),
        "activities.report.submitted": _("Diajukan"),
        "activities.report.accepted": _("Diterima"),
        "activities.report.returned": _("Dikembalikan"),
    },
    steps=(
        Step(
            name="submit",
            label=_("Ajukan ke TKSK"),
            button=_("Ajukan laporan"),
            sources=(S.DRAFT, S.RETURNED),
            perm=Perm.ACTIVITY_REPORT,
            path="ajukan",
            done=_("Laporan diajukan ke TKSK untuk diperiksa."),
            refused=_("Laporan ini sudah diajukan."),
            help=_("Setelah diajukan, laporan tidak dapat diubah kecuali dikembalikan oleh TKSK."),
            rules=(Rule(_author, _("Hanya PSM pemilik laporan yang dapat mengubah atau mengajukannya.")),),
            event="activities.report.submitted",
            api_doc="PSM mengajukan laporannya sendiri (draf atau yang dikembalikan) ke TKSK. "
            "Jumlah PPKS dibaca ulang dari registri. Laporan yang sudah diajukan: 409.",
        ),
        Step(
            name="accept",
            label=_("Terima laporan"),
            button=_("Terima"),
            path="terima",
            done=_("Laporan diterima."),
            event="activities.report.accepted",
            api_doc="TKSK kecamatan (atau Dinsos) menerima laporan berstatus diajukan; tidak untuk laporan sendiri.",
        ),
        Step(
            name="return",
            label=_("Kembalikan untuk diperbaiki"),
            button=_("Kembalikan"),
            style="secondary",
            form=ReturnForm,
            path="kembalikan",
            done=_("Laporan dikembalikan ke PSM."),
            event="activities.report.returned",
            api_doc="Kembalikan laporan ke PSM dengan alasan (``reason``).",
        ),
    ),
)


def _manager(user: Any, perm: Perm, visit: RoadshowVisit) -> bool:
    return can(user, perm)  # Dinsos plans the whole city's roadshow; the stop's area is the list's scope


STILL_PLANNED = _("Hanya kunjungan yang masih direncanakan yang dapat diubah.")

ROADSHOW = Workflow(
    model=RoadshowVisit,
    may=_manager,
    service_prefix="roadshow_",
    defaults={
        "sources": (RoadshowVisit.Status.PLANNED,),
        "perm": Perm.ROADSHOW_MANAGE,
        "refused": STILL_PLANNED,
        "after": "activities:roadshow",
        "api_path": "-",
    },
    steps=(
        Step(
            name="done",
            label=_("Catat terlaksana"),
            form=RoadshowDoneForm,
            service="roadshow_complete",
            path="selesai",
            done=_("Kunjungan roadshow dicatat terlaksana."),
            event="activities.roadshow.done",
        ),
        Step(
            name="cancel",
            label=_("Batalkan"),
            style="secondary",
            form=RoadshowCancelForm,
            path="batal",
            done=_("Kunjungan roadshow dibatalkan."),
            event="activities.roadshow.cancelled",
        ),
    ),
)
