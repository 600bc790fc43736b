"""The enrollment's workflow on one screen: a proposal is decided by someone other than its proposer, then the
aid is delivered and the enrollment completed, or the beneficiary leaves.

    diusulkan ──setujui (within the quota)──▶ disetujui ──salurkan──▶ disalurkan ──selesai──▶ selesai
        └──tolak──▶ ditolak                       └──────keluarkan──────────┴──▶ keluar

Proposing is not a step: it creates the enrollment. Bedah Rumah is delivered by its renovation, not here.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm, can
from pilar.core.workflow import Rule, Step, Workflow
from pilar.programs.forms import DeliverForm, ExitForm, NoteForm, ReasonForm
from pilar.programs.models import Enrollment, EnrollmentStatus, Program

S = EnrollmentStatus
NOT_DELIVERED_HERE = _("Bantuan Bedah Rumah dicatat saat renovasi selesai, pada halaman penilaian rumah.")


def _not_own(user: Any, enrollment: Enrollment) -> bool:
    return enrollment.proposed_by_id is None or enrollment.proposed_by_id != getattr(user, "pk", None)


OWN = Rule(_not_own, _("Anda tidak dapat memutuskan usulan Anda sendiri."), code="own_proposal")

ENROLLMENT = Workflow(
    model=Enrollment,
    may=can,
    conflicts=("conflict", "quota"),
    # Deciding (approving, rejecting, exiting) is Dinsos'; delivering and completing say their own permission.
    defaults={"perm": Perm.ENROLLMENT_DECIDE},
    events={
        "proposed": _("Diusulkan"),
        "approved": _("Disetujui"),
        "rejected": _("Ditolak"),
        "delivered": _("Disalurkan"),
        "completed": _("Selesai"),
        "exited": _("Keluar"),
    },
    steps=(
        Step(
            name="approve",
            label=_("Setujui"),
            sources=(S.PROPOSED,),
            form=NoteForm,
            path="setujui",
            done=_("Usulan disetujui."),
            refused=_("Hanya usulan berstatus diusulkan yang dapat disetujui."),
            rules=(OWN,),
            event="approved",
            api_doc="Setujui (Dinsos), dalam kuota periode; Bedah Rumah hanya untuk rumah yang dinilai tidak layak "
            "huni.",
        ),
        Step(
            name="reject",
            label=_("Tolak"),
            sources=(S.PROPOSED,),
            form=ReasonForm,
            path="tolak",
            done=_("Usulan ditolak."),
            refused=_("Hanya usulan berstatus diusulkan yang dapat ditolak."),
            rules=(OWN,),
            style="danger",
            event="rejected",
            api_doc="Tolak usulan, dengan alasannya.",
        ),
        Step(
            name="deliver",
            label=_("Catat penyaluran"),
            sources=(S.APPROVED,),
            form=DeliverForm,
            perm=Perm.ENROLLMENT_DELIVER,
            path="salurkan",
            done=_("Penyaluran tercatat."),
            refused=_("Hanya penerima yang sudah disetujui yang dapat disalurkan."),
            rules=(Rule(lambda user, e: e.program.kind != Program.Kind.HOUSE, NOT_DELIVERED_HERE, status=409),),
            event="delivered",
            api_doc="Catat penyaluran: tanggal, nilai (rupiah utuh) untuk bantuan tunai, barang/layanan untuk lainnya.",
        ),
        Step(
            name="complete",
            label=_("Selesaikan"),
            sources=(S.DELIVERED,),
            form=NoteForm,
            perm=Perm.ENROLLMENT_DELIVER,
            path="selesai",
            done=_("Penerima ditandai selesai."),
            refused=_("Hanya penerima yang sudah disalurkan yang dapat diselesaikan."),
            event="completed",
            api_doc="Tandai selesai setelah disalurkan.",
        ),
        Step(
            name="exit",
            label=_("Keluarkan"),
            sources=(S.APPROVED, S.DELIVERED),
            form=ExitForm,
            path="keluarkan",
            done=_("Penerima dikeluarkan dari program."),
            refused=_("Hanya penerima yang aktif yang dapat dikeluarkan."),
            style="danger",
            event="exited",
            api_doc="Keluarkan penerima (meninggal, pindah, tidak layak lagi, mengundurkan diri); tempat kuotanya "
            "kembali.",
        ),
    ),
)
