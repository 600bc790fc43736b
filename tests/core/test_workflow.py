"""The kernel's own rules, on a workflow declared here over complaints: state first, then permission, then rules."""

import pytest
from django.utils import timezone

from pilar.accounts.permissions import Perm, can
from pilar.complaints.forms import CloseForm
from pilar.complaints.models import Complaint
from pilar.core.workflow import Refused, Rule, Step, Workflow
from tests.complaints.conftest import make_complaint
from tests.conftest import KEL_A

NOT_THE_REPORTER = Rule(lambda user, c: c.reporter_name != user.username, "Bukan oleh pelapornya sendiri.")
CLOSE = Step(
    name="close",
    label="Tutup",
    sources=(Complaint.Status.NEW,),
    form=CloseForm,
    service="complaint_close",
    perm=Perm.COMPLAINT_TRIAGE,
    path="tutup",
    done="Ditutup.",
    refused="Sudah ditinjau.",
    rules=(NOT_THE_REPORTER,),
)
FLOW = Workflow(
    model=Complaint,
    kwarg="complaint",
    services="pilar.complaints.services",
    steps=(CLOSE,),
    may=lambda user, perm, c: can(user, perm, c),
)


def test_a_rule_refuses_with_its_own_message_and_the_record_stays_as_it_was(city, psm_a):
    complaint = make_complaint(KEL_A, reporter_name=psm_a.username)
    assert FLOW.offered(psm_a, complaint) == []
    with pytest.raises(Refused) as refused:
        FLOW.guard("close", complaint, psm_a)
    assert (refused.value.status, refused.value.message) == (403, "Bukan oleh pelapornya sendiri.")


def test_the_state_is_checked_before_the_permission(city, psm_b):
    complaint = make_complaint(
        KEL_A, status=Complaint.Status.CLOSED, close_reason="bukan_ppks", triaged_at=timezone.now()
    )
    assert FLOW.refusal(CLOSE, psm_b, complaint).status == 409


def test_the_guard_reads_the_state_from_the_database_not_from_the_callers_copy(city, psm_a):
    complaint = make_complaint(KEL_A)
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Complaint.Status.CLOSED, close_reason="bukan_ppks", triaged_at=timezone.now()
    )
    assert complaint.status == Complaint.Status.NEW  # the caller's copy is stale
    with pytest.raises(Refused) as refused:
        FLOW.guard("close", complaint, psm_a)
    assert refused.value.status == 409


def test_run_calls_the_declared_service_with_the_record_under_its_name(city, psm_a):
    complaint = make_complaint(KEL_A)
    closed = FLOW.run(CLOSE, complaint, psm_a, {"reason": "tidak_ditemukan", "note": ""})
    assert (closed.status, closed.close_reason) == (Complaint.Status.CLOSED, "tidak_ditemukan")


SHARED = Workflow(
    model=Complaint,
    kwarg="complaint",
    services="pilar.complaints.services",
    may=lambda user, perm, c: can(user, perm, c),
    service_prefix="complaint_",
    defaults={"sources": (Complaint.Status.NEW,), "perm": Perm.COMPLAINT_TRIAGE, "refused": "Sudah ditinjau."},
    steps=(
        Step(name="close", label="Tutup", form=CloseForm, path="tutup", done="Ditutup."),
        Step(name="convert", label="Jadikan kasus", path="kasus", done="Jadi kasus.", perm=Perm.CASE_MANAGE),
    ),
)


def test_steps_take_what_they_leave_unset_from_the_workflows_defaults_and_their_service_from_their_name():
    close, convert = SHARED.steps
    assert (close.service, close.perm, close.sources) == ("complaint_close", Perm.COMPLAINT_TRIAGE, ("baru",))
    assert (convert.service, convert.perm) == ("complaint_convert", Perm.CASE_MANAGE)  # its own perm stays
    assert SHARED.step("close") is close


def test_a_step_without_a_permission_is_refused_when_declared():
    with pytest.raises(TypeError, match="'close' has no perm"):
        Workflow(
            model=Complaint,
            kwarg="complaint",
            services="pilar.complaints.services",
            may=can,
            steps=(Step(name="close", label="Tutup", sources=("baru",), path="tutup", done="-", refused="-"),),
        )
