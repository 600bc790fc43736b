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
from pilar.core.workflow import Rule, Step, Workflow

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
        users = users.filter(pk=getattr(user, "pk", None))
    return {"user": user, "users": users}


def _handover(user: Any, case: Case) -> dict[str, Any]:
    return {"user": user, "users": access.eligible_assignees(case).exclude(pk__in=case.assignments.values("user_id"))}


def _user(user: Any, case: Any) -> dict[str, Any]:
    return {"user": user}


def _advance_confirm(case: Case) -> str:
    return _("Kasus akan berpindah dari tahap %(stage)s ke tahap berikutnya; tahap ini tidak dapat diulang.") % {
        "stage": case.get_stage_display()
    }


def _step(name: str, path: str, form: type, service: str, done: Any, label: Any, button: Any, **rest: Any) -> Step:
    """A step on a case: by its workers (``CASE_MANAGE``) on an open case unless said otherwise."""
    rest.setdefault("sources", OPEN_STAGES)
    rest.setdefault("perm", Perm.CASE_MANAGE)
    rest.setdefault("refused", CLOSED)
    rest.setdefault("form_kwargs", _user)
    return Step(name=name, path=path, form=form, service=service, done=done, label=label, button=button, **rest)


CASE = Workflow(
    model=Case,
    kwarg="case",
    services="pilar.cases.services",
    may=access.may,
    state_field="stage",
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
        _step(
            "assess",
            "asesmen",
            forms.AssessForm,
            "case_assess",
            _("Asesmen tersimpan."),
            _("Asesmen risiko"),
            _("Simpan asesmen"),
            event="assessed",
            api_doc="Asesmen: ``factors`` (daftar kode faktor risiko), ``needs``, ``strengths``.",
            api_fields={"factors": {"type": "array", "items": {"type": "string"}}},
        ),
        _step(
            "plan",
            "rencana",
            forms.PlanForm,
            "case_plan_submit",
            _("Rencana intervensi diajukan untuk disetujui."),
            _("Ajukan rencana intervensi"),
            _("Ajukan untuk disetujui"),
            event="plan_submitted",
            sources=(Stage.ASSESSMENT, Stage.PLANNING),
            refused=_("Rencana intervensi disusun pada tahap asesmen atau rencana."),
            rules=(
                Rule(_assessed, _("Lakukan asesmen terlebih dahulu."), status=409),
                Rule(_no_pending_plan, _("Sudah ada rencana yang menunggu persetujuan."), status=409),
            ),
            api_doc="Ajukan rencana intervensi untuk disetujui supervisor.",
        ),
        _step(
            "advance",
            "maju",
            forms.AdvanceForm,
            "case_advance",
            _("Kasus maju ke tahap berikutnya."),
            _("Lanjut ke tahap berikutnya"),
            _("Lanjutkan"),
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
        _step(
            "note",
            "catatan",
            forms.NoteForm,
            "case_note_add",
            _("Catatan tersimpan."),
            _("Tambah catatan"),
            _("Simpan catatan"),
            sources=ALL_STAGES,
            api_doc="Tambah catatan; ``confidential`` untuk catatan rahasia.",
            api_fields={"confidential": {"type": "boolean"}},
        ),
        _step(
            "visit",
            "kunjungan",
            forms.VisitForm,
            "case_visit_add",
            _("Kunjungan rumah tersimpan."),
            _("Catat kunjungan rumah"),
            _("Simpan kunjungan"),
            sources=ALL_STAGES,
            api_doc="Catat kunjungan rumah: ``visit_date``, ``visitors``, ``findings``.",
        ),
        _step(
            "document",
            "berkas",
            forms.DocumentForm,
            "case_document_add",
            _("Berkas tersimpan."),
            _("Unggah foto atau dokumen"),
            _("Unggah"),
            sources=ALL_STAGES,
            rename={"file": "upload"},
            api_path="-",
        ),
        _step(
            "link",
            "tautkan",
            forms.LinkForm,
            "case_link_subject",
            _("Kasus ditautkan ke data orang di registri."),
            _("Tautkan ke registri"),
            _("Tautkan"),
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
        _step(
            "assign",
            "tugaskan",
            forms.AssignForm,
            "case_assign",
            _("Petugas ditugaskan."),
            _("Tugaskan petugas"),
            _("Tugaskan"),
            style="secondary",
            event="assigned",
            form_kwargs=_workers,
            rules=(Rule(_may_assign, _("Petugas ini sudah menangani kasus ini."), status=409),),
            api_doc="Tugaskan petugas (``user`` = nama pengguna) di kecamatan kasus.",
        ),
        _step(
            "transfer",
            "serahkan",
            forms.TransferForm,
            "case_transfer",
            _("Serah terima dikirim; menunggu diterima."),
            _("Serahkan ke petugas lain"),
            _("Kirim serah terima"),
            style="secondary",
            event="transfer_requested",
            form_kwargs=_handover,
            rules=(Rule(_no_pending_transfer, _("Masih ada serah terima yang menunggu diterima."), status=409),),
            api_doc="Serahkan kasus kepada ``to_user`` (nama pengguna); berlaku setelah diterima.",
        ),
        _step(
            "close",
            "tutup",
            forms.CloseForm,
            "case_close",
            _("Kasus ditutup."),
            _("Tutup kasus"),
            _("Tutup kasus"),
            style="danger",
            event="closed",
            yes=_("Ya, tutup kasus"),
            confirm=_(
                "Kasus akan ditutup dengan alasan yang diisi; catatan dan kunjungan tidak dapat ditambah "
                "lagi. Hanya penyelia yang dapat membukanya kembali."
            ),
            api_doc="Tutup kasus dengan ``outcome`` dan ``reason``.",
        ),
        _step(
            "reopen",
            "buka-kembali",
            forms.ReopenForm,
            "case_reopen",
            _("Kasus dibuka kembali."),
            _("Buka kembali kasus"),
            _("Buka kembali"),
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
    kwarg="plan",
    services="pilar.cases.services",
    may=_on_case,
    steps=(
        Step(
            name="approve",
            label=_("Setujui rencana"),
            button=_("Setujui"),
            sources=(Plan.Status.PENDING,),
            form=forms.DecisionForm,
            service="case_plan_approve",
            perm=Perm.CASE_APPROVE_PLAN,
            path="setujui",
            done=_("Rencana intervensi disetujui."),
            refused=_("Rencana ini sudah diputuskan."),
            event="plan_approved",
            api_path="approve-plan",
            rules=(Rule(lambda u, p: p.author_id != u.pk, OWN_PLAN, code="own_plan", page_status=409),),
            api_doc="Setujui rencana yang menunggu (TKSK kecamatan/Dinsos; bukan penyusunnya). "
            "Kasus masuk tahap intervensi.",
        ),
        Step(
            name="return",
            label=_("Kembalikan untuk diperbaiki"),
            button=_("Kembalikan"),
            style="secondary",
            sources=(Plan.Status.PENDING,),
            form=forms.ReturnForm,
            service="case_plan_return",
            perm=Perm.CASE_APPROVE_PLAN,
            path="kembalikan",
            done=_("Rencana intervensi dikembalikan."),
            refused=_("Rencana ini sudah diputuskan."),
            event="plan_returned",
            api_path="return-plan",
            rules=(Rule(lambda u, p: p.author_id != u.pk, OWN_PLAN, code="own_plan", page_status=409),),
            api_doc="Kembalikan rencana yang menunggu dengan ``note`` apa yang perlu diperbaiki.",
        ),
    ),
)


def _receiver(user: Any, perm: Perm, transfer: Transfer) -> bool:
    return transfer.to_user_id == getattr(user, "pk", None)


# A pending handover, answered by its receiver only.
TRANSFER = Workflow(
    model=Transfer,
    kwarg="transfer",
    services="pilar.cases.services",
    may=_receiver,
    steps=(
        Step(
            name="accept",
            label=_("Terima kasus"),
            sources=(Transfer.Status.PENDING,),
            form=forms.CaseForm,
            service="case_transfer_accept",
            perm=Perm.CASE_VIEW,
            path="terima",
            done=_("Serah terima diterima; kasus kini Anda tangani."),
            refused=_("Serah terima ini sudah diputuskan."),
            event="transfer_accepted",
            api_path="accept-transfer",
            api_doc="Terima serah terima kasus yang ditujukan kepada pengguna.",
        ),
        Step(
            name="decline",
            label=_("Tolak serah terima"),
            button=_("Tolak"),
            style="secondary",
            sources=(Transfer.Status.PENDING,),
            form=forms.TransferDeclineForm,
            service="case_transfer_decline",
            perm=Perm.CASE_VIEW,
            path="tolak",
            done=_("Serah terima ditolak."),
            refused=_("Serah terima ini sudah diputuskan."),
            event="transfer_declined",
            api_path="decline-transfer",
            api_doc="Tolak serah terima, dengan ``note`` alasannya.",
        ),
    ),
)
