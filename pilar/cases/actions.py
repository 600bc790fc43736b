"""The workflow steps as pages and API offer them: form, service, permission and when each is on offer.

The offer is a courtesy (the page hides what would be refused); the service decides.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.forms import Form
from django.utils.translation import gettext_lazy as _

from pilar.accounts.permissions import Perm
from pilar.cases import access, forms, services
from pilar.cases.models import Case, Plan, Stage, Transfer
from pilar.cases.services.workflow import NEXT_STAGE


@dataclass(frozen=True)
class Action:
    name: str
    form: type[Form]
    service: Callable[..., Any]
    perm: Perm
    done: Any
    offered: Callable[[Any, Case], bool] = lambda user, case: case.is_open
    users: bool = False  # the form chooses a worker among the case's eligible ones

    def bound(self, case: Case, user: Any, data: Any = None, files: Any = None) -> Form:
        kwargs: dict[str, Any] = {"user": user, "auto_id": f"id_{self.name}_%s"}
        if self.users:
            users = access.eligible_assignees(case).exclude(pk__in=case.assignments.values("user_id"))
            if self.name == "assign" and not access.may(user, Perm.CASE_ASSIGN, case):
                users = users.filter(pk=user.pk)  # a worker may only take the case themself
            kwargs["users"] = users
        return self.form(data, files, **kwargs)

    def call(self, case: Case, user: Any, form: Form) -> Any:
        data = dict(form.cleaned_data)
        if self.name == "document":
            data = {"upload": data["file"], "caption": data["caption"]}
        return self.service(actor=user, case=case, **data)


def _pending_plan(case: Case) -> Plan | None:
    return case.plans.filter(status=Plan.Status.PENDING).first()


def _can_plan(user: Any, case: Case) -> bool:
    return case.stage in (Stage.ASSESSMENT, Stage.PLANNING) and case.assessments.exists() and not _pending_plan(case)


def _can_advance(user: Any, case: Case) -> bool:
    target = NEXT_STAGE.get(case.stage)
    if target == Stage.PLANNING:
        return case.assessments.exists()
    if target == Stage.INTERVENTION:
        return case.plans.filter(status=Plan.Status.APPROVED).exists()
    return target is not None


def _can_assign(user: Any, case: Case) -> bool:
    return case.is_open and (access.may(user, Perm.CASE_ASSIGN, case) or not access.is_assigned(user, case))


def _no_pending_transfer(user: Any, case: Case) -> bool:
    return case.is_open and not case.transfers.filter(status=Transfer.Status.PENDING).exists()


ACTIONS = {
    a.name: a
    for a in (
        Action("assess", forms.AssessForm, services.case_assess, Perm.CASE_MANAGE, _("Asesmen tersimpan.")),
        Action("plan", forms.PlanForm, services.case_plan_submit, Perm.CASE_MANAGE,
               _("Rencana intervensi diajukan untuk disetujui."), lambda u, c: c.is_open and _can_plan(u, c)),
        Action("advance", forms.AdvanceForm, services.case_advance, Perm.CASE_MANAGE,
               _("Kasus maju ke tahap berikutnya."), lambda u, c: c.is_open and _can_advance(u, c)),
        Action("close", forms.CloseForm, services.case_close, Perm.CASE_MANAGE, _("Kasus ditutup.")),
        Action("reopen", forms.ReopenForm, services.case_reopen, Perm.CASE_REOPEN, _("Kasus dibuka kembali."),
               lambda u, c: not c.is_open),
        Action("assign", forms.AssignForm, services.case_assign, Perm.CASE_MANAGE, _("Petugas ditugaskan."),
               _can_assign, users=True),
        Action("transfer", forms.TransferForm, services.case_transfer, Perm.CASE_MANAGE,
               _("Serah terima dikirim; menunggu diterima."), _no_pending_transfer, users=True),
        Action("link", forms.LinkForm, services.case_link_subject, Perm.CASE_MANAGE,
               _("Kasus ditautkan ke data orang di registri."),
               lambda u, c: c.person_id is None and c.household_id is None),
        Action("note", forms.NoteForm, services.case_note_add, Perm.CASE_MANAGE, _("Catatan tersimpan."),
               lambda u, c: True),
        Action("visit", forms.VisitForm, services.case_visit_add, Perm.CASE_MANAGE, _("Kunjungan rumah tersimpan."),
               lambda u, c: True),
        Action("document", forms.DocumentForm, services.case_document_add, Perm.CASE_MANAGE,
               _("Berkas tersimpan."), lambda u, c: True),
    )
}  # fmt: skip


def offered_forms(user: Any, case: Case) -> dict[str, Form]:
    return {
        name: action.bound(case, user)
        for name, action in ACTIONS.items()
        if access.may(user, action.perm, case) and action.offered(user, case)
    }


def plan_decision_offered(user: Any, case: Case) -> Plan | None:
    """The pending plan, if ``user`` may decide it (a supervisor of the area who did not write it)."""
    plan = _pending_plan(case)
    if plan and plan.author_id != user.pk and access.may(user, Perm.CASE_APPROVE_PLAN, case):
        return plan
    return None


def transfer_for(user: Any, case: Case) -> Transfer | None:
    """The pending transfer of the case addressed to ``user``."""
    return case.transfers.filter(status=Transfer.Status.PENDING, to_user=user).first()
