"""The case's workflow on one screen: its stages, the steps on a case, and the two decisions on its parts.

    intake ──asesmen──▶ asesmen ──rencana──▶ rencana ──(rencana disetujui)──▶ intervensi ──maju──▶ monitoring
      (maju: asesmen → rencana needs an assessment, rencana → intervensi an approved plan)
    any open stage ──tutup──▶ ditutup ──buka kembali──▶ asesmen

Notes, visits, documents, linking, assigning and handing over are steps too: they change no stage, but are
offered, guarded, served and recorded alike. A plan waits for a supervisor who did not write it (``PLAN``); a
handover waits for its receiver (``TRANSFER``). Opening a case is not a step: it creates the case.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm
from pilar.cases import access, forms
from pilar.cases.models import OPEN_STAGES, Case, Plan, Stage, Transfer
from pilar.core import uploads
from pilar.core.workflow import Rule, Step, Workflow, user_kwargs

ALL_STAGES = (*OPEN_STAGES, Stage.CLOSED)
CLOSED = _("Kasus sudah ditutup. Buka kembali kasus terlebih dahulu.")
# The stage a case moves to by "advance", and what it must have to get there.
NEXT_STAGE: dict[str, str] = {
    Stage.INTAKE: Stage.ASSESSMENT,
    Stage.ASSESSMENT: Stage.PLANNING,
    Stage.PLANNING: Stage.INTERVENTION,
    Stage.INTERVENTION: Stage.MONITORING,
}


def _assessed(user: Any, case: Case) -> bool:
    return case.assessments.exists()


def _no_pending_plan(user: Any, case: Case) -> bool:
    return not case.plans.filter(status=Plan.Status.PENDING).exists()


def _no_pending_transfer(user: Any, case: Case) -> bool:
    return not case.transfers.filter(status=Transfer.Status.PENDING).exists()


def _assessed_if_planning_next(user: Any, case: Case) -> bool:
    return NEXT_STAGE.get(case.stage) != Stage.PLANNING or case.assessments.exists()


def _approved_if_intervention_next(user: Any, case: Case) -> bool:
    return NEXT_STAGE.get(case.stage) != Stage.INTERVENTION or case.plans.filter(status=Plan.Status.APPROVED).exists()


def _may_assign(user: Any, case: Case) -> bool:
    # A supervisor assigns anyone of the area; a worker may only take a case they do not hold yet.
    return access.may(user, Perm.CASE_ASSIGN, case) or not access.is_assigned(user, case)


def _workers(user: Any, case: Case) -> dict[str, Any]:
    """The form's choice of workers: the case's eligible ones who do not hold it (only oneself, to take it)."""
    users = access.eligible_assignees(case).exclude(pk__in=case.assignments.values("user_id"))
    if not access.may(user, Perm.CASE_ASSIGN, case):
        users = users.filter(pk=user.pk)  # the anonymous user's pk is None: nobody
    return {"user": user, "users": users}


def _handover(user: Any, case: Case) -> dict[str, Any]:
    return {"user": user, "users": access.eligible_assignees(case).exclude(pk__in=case.assignments.values("user_id"))}


def _advance_confirm(case: Case) -> str:
    return _("Kasus akan berpindah dari tahap %(stage)s ke tahap berikutnya; tahap ini tidak dapat diulang.") % {
        "stage": case.get_stage_display()
    }


CASE = Workflow(
    model=Case,
    may=access.may,
    state_field="stage",
    # A step on a case: by its workers on an open case unless the step says otherwise.
    defaults={"sources": OPEN_STAGES, "perm": Perm.CASE_MANAGE, "refused": CLOSED, "form_kwargs": user_kwargs},
    events={
        "opened": _("Kasus dicatat"),
        "stage": _("Pindah tahap"),
        "assessed": _("Dinilai"),
        "plan_submitted": _("Rencana diajukan"),
        "plan_approved": _("Rencana disetujui"),
        "plan_returned": _("Rencana dikembalikan"),
        "assigned": _("Petugas ditugaskan"),
        "transfer_requested": _("Serah terima diajukan"),
        "transfer_accepted": _("Serah terima diterima"),
        "transfer_declined": _("Serah terima ditolak"),
        "closed": _("Kasus ditutup"),
        "reopened": _("Kasus dibuka kembali"),
        "linked": _("Ditautkan ke registri"),
    },
    steps=(
        Step(
            name="assess",
            label=_("Asesmen risiko"),
            button=_("Simpan asesmen"),
            form=forms.AssessForm,
            path="asesmen",
            done=_("Asesmen tersimpan."),
            event="assessed",
            api_doc="Asesmen: ``factors`` (daftar kode faktor risiko), ``needs``, ``strengths``.",
            api_fields={"factors": {"type": "array", "items": {"type": "string"}}},
        ),
        Step(
            name="plan",
            label=_("Ajukan rencana intervensi"),
            button=_("Ajukan untuk disetujui"),
            form=forms.PlanForm,
            path="rencana",
            done=_("Rencana intervensi diajukan untuk disetujui."),
            service="case_plan_submit",
            event="plan_submitted",
            sources=(Stage.ASSESSMENT, Stage.PLANNING),
            refused=_("Rencana intervensi disusun pada tahap asesmen atau rencana."),
            rules=(
                Rule(_assessed, _("Lakukan asesmen terlebih dahulu."), status=409),
                Rule(_no_pending_plan, _("Sudah ada rencana yang menunggu persetujuan."), status=409),
            ),
            api_doc="Ajukan rencana intervensi untuk disetujui supervisor.",
        ),
        Step(
            name="advance",
            label=_("Lanjut ke tahap berikutnya"),
            button=_("Lanjutkan"),
            form=forms.AdvanceForm,
            path="maju",
            done=_("Kasus maju ke tahap berikutnya."),
            event="stage",
            confirm=_advance_confirm,
            yes=_("Ya, lanjutkan tahap"),
            rules=(
                Rule(
                    lambda u, c: c.stage != Stage.MONITORING,
                    _("Kasus dalam monitoring diselesaikan dengan menutupnya."),
                    status=409,
                ),
                Rule(_assessed_if_planning_next, _("Lakukan asesmen terlebih dahulu."), status=409),
                Rule(_approved_if_intervention_next, _("Rencana intervensi belum disetujui supervisor."), status=409),
            ),
            api_doc="Maju ke tahap berikutnya (asesmen → rencana perlu asesmen; → intervensi perlu rencana "
            "yang disetujui).",
        ),
        Step(
            name="note",
            label=_("Tambah catatan"),
            button=_("Simpan catatan"),
            form=forms.NoteForm,
            path="catatan",
            done=_("Catatan tersimpan."),
            service="case_note_add",
            sources=ALL_STAGES,
            api_doc="Tambah catatan; ``confidential`` untuk catatan rahasia.",
            api_fields={"confidential": {"type": "boolean"}},
        ),
        Step(
            name="visit",
            label=_("Catat kunjungan rumah"),
            button=_("Simpan kunjungan"),
            form=forms.VisitForm,
            path="kunjungan",
            done=_("Kunjungan rumah tersimpan."),
            service="case_visit_add",
            sources=ALL_STAGES,
            api_doc="Catat kunjungan rumah: ``visit_date``, ``visitors``, ``findings``.",
        ),
        Step(
            name="document",
            label=_("Unggah foto atau dokumen"),
            button=_("Unggah"),
            form=forms.DocumentForm,
            path="berkas",
            done=_("Berkas tersimpan."),
            service="case_document_add",
            sources=ALL_STAGES,
            rename=uploads.UPLOAD,
            api_path="-",
        ),
        Step(
            name="link",
            label=_("Tautkan ke registri"),
            button=_("Tautkan"),
            form=forms.LinkForm,
            path="tautkan",
            done=_("Kasus ditautkan ke data orang di registri."),
            service="case_link_subject",
            style="secondary",
            sources=ALL_STAGES,
            event="linked",
            rules=(
                Rule(
                    lambda u, c: c.person_id is None and c.household_id is None,
                    _("Kasus ini sudah tertaut ke registri."),
                    status=409,
                ),
            ),
            api_doc="Tautkan kasus ke orang di registri (``person`` = id orang).",
            api_fields={"person": {"type": "integer"}},
        ),
        Step(
            name="assign",
            label=_("Tugaskan petugas"),
            button=_("Tugaskan"),
            form=forms.AssignForm,
            path="tugaskan",
            done=_("Petugas ditugaskan."),
            style="secondary",
            event="assigned",
            form_kwargs=_workers,
            rules=(Rule(_may_assign, _("Petugas ini sudah menangani kasus ini."), status=409),),
            api_doc="Tugaskan petugas (``user`` = nama pengguna) di kecamatan kasus.",
        ),
        Step(
            name="transfer",
            label=_("Serahkan ke petugas lain"),
            button=_("Kirim serah terima"),
            form=forms.TransferForm,
            path="serahkan",
            done=_("Serah terima dikirim; menunggu diterima."),
            style="secondary",
            event="transfer_requested",
            form_kwargs=_handover,
            rules=(Rule(_no_pending_transfer, _("Masih ada serah terima yang menunggu diterima."), status=409),),
            api_doc="Serahkan kasus kepada ``to_user`` (nama pengguna); berlaku setelah diterima.",
        ),
        Step(
            name="close",
            label=_("Tutup kasus"),
            button=_("Tutup kasus"),
            form=forms.CloseForm,
            path="tutup",
            done=_("Kasus ditutup."),
            style="danger",
            event="closed",
            yes=_("Ya, tutup kasus"),
            confirm=_(
                "Kasus akan ditutup dengan alasan yang diisi; catatan dan kunjungan tidak dapat ditambah "
                "lagi. Hanya penyelia yang dapat membukanya kembali."
            ),
            api_doc="Tutup kasus dengan ``outcome`` dan ``reason``.",
        ),
        Step(
            name="reopen",
            label=_("Buka kembali kasus"),
            button=_("Buka kembali"),
            form=forms.ReopenForm,
            path="buka-kembali",
            done=_("Kasus dibuka kembali."),
            sources=(Stage.CLOSED,),
            perm=Perm.CASE_REOPEN,
            event="reopened",
            refused=_("Hanya kasus yang sudah ditutup yang dapat dibuka kembali."),
            api_doc="Buka kembali kasus yang sudah ditutup (supervisor), dengan ``reason``.",
        ),
    ),
)


def _on_case(user: Any, perm: Perm, part: Plan | Transfer) -> bool:
    return access.may(user, perm, part.case)


OWN_PLAN = _("Rencana tidak dapat diputuskan oleh penyusunnya sendiri.")

# A pending plan, decided by a supervisor of the area who did not write it (the database checks it too).
PLAN = Workflow(
    model=Plan,
    may=_on_case,
    service_prefix="case_plan_",
    defaults={
        "sources": (Plan.Status.PENDING,),
        "perm": Perm.CASE_APPROVE_PLAN,
        "refused": _("Rencana ini sudah diputuskan."),
        "rules": (Rule(lambda u, p: p.author_id != u.pk, OWN_PLAN, code="own_plan", page_status=409),),
    },
    steps=(
        Step(
            name="approve",
            label=_("Setujui rencana"),
            button=_("Setujui"),
            form=forms.DecisionForm,
            path="setujui",
            done=_("Rencana intervensi disetujui."),
            event="plan_approved",
            api_path="approve-plan",
            api_doc="Setujui rencana yang menunggu (TKSK kecamatan/Dinsos; bukan penyusunnya). "
            "Kasus masuk tahap intervensi.",
        ),
        Step(
            name="return",
            label=_("Kembalikan untuk diperbaiki"),
            button=_("Kembalikan"),
            style="secondary",
            form=forms.ReturnForm,
            path="kembalikan",
            done=_("Rencana intervensi dikembalikan."),
            event="plan_returned",
            api_path="return-plan",
            api_doc="Kembalikan rencana yang menunggu dengan ``note`` apa yang perlu diperbaiki.",
        ),
    ),
)


def _receiver(user: Any, perm: Perm, transfer: Transfer) -> bool:
    return transfer.to_user_id == getattr(user, "pk", None)


# A pending handover, answered by its receiver only.
TRANSFER = Workflow(
    model=Transfer,
    may=_receiver,
    service_prefix="case_transfer_",
    defaults={
        "sources": (Transfer.Status.PENDING,),
        "perm": Perm.CASE_VIEW,
        "refused": _("Serah terima ini sudah diputuskan."),
    },
    steps=(
        Step(
            name="accept",
            label=_("Terima kasus"),
            form=forms.CaseForm,
            path="terima",
            done=_("Serah terima diterima; kasus kini Anda tangani."),
            event="transfer_accepted",
            api_path="accept-transfer",
            api_doc="Terima serah terima kasus yang ditujukan kepada pengguna.",
        ),
        Step(
            name="decline",
            label=_("Tolak serah terima"),
            button=_("Tolak"),
            style="secondary",
            form=forms.TransferDeclineForm,
            path="tolak",
            done=_("Serah terima ditolak."),
            event="transfer_declined",
            api_path="decline-transfer",
            api_doc="Tolak serah terima, dengan ``note`` alasannya.",
        ),
    ),
)
