"""The case workflow: intake → asesmen → rencana → intervensi → monitoring → ditutup, and reopening."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilar.audit.models import AuditEntry
from pilar.cases import services
from pilar.cases.models import Case, CaseEvent, Plan, Stage
from pilar.cases.reference import level_for
from pilar.core.errors import DomainError
from pilar.notifications.models import Notification
from tests.cases.conftest import assessed, planned
from tests.conftest import KEL_A, KEL_B
from tests.factories import region

pytestmark = pytest.mark.django_db


def test_psm_opens_a_case_and_holds_it(case_a, psm_a):
    assert case_a.stage == Stage.INTAKE
    assert list(case_a.assigned.all()) == [psm_a]
    assert case_a.kecamatan.code == "36.71.01"
    assert AuditEntry.objects.filter(action="cases.case.opened", object_id=str(case_a.pk)).exists()


def test_case_from_a_complaint_needs_no_actor_and_alerts_the_area(city, psm_a, tksk_a, psm_b):
    case = services.case_open(
        actor=None,
        kelurahan=region(KEL_A),
        category=None,
        source=Case.Source.COMPLAINT,
        summary="Ada anak jalanan tidur di halte",
        reporter_name="Warga",
    )
    assert case.created_by is None and not case.assigned.exists()
    told = set(Notification.objects.filter(kind="cases.new").values_list("recipient__username", flat=True))
    assert told == {"psm.a", "tksk.a"}


def test_psm_cannot_open_a_case_outside_its_kelurahan(make_case, psm_a):
    with pytest.raises(PermissionDenied):
        make_case(psm_a, KEL_B)


def test_case_needs_a_subject_when_a_worker_opens_it(make_case, psm_a):
    with pytest.raises(ValidationError) as exc:
        make_case(psm_a, subject_name="")
    assert "subject_name" in exc.value.message_dict
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("score", "level"), [(0, "rendah"), (3, "sedang"), (6, "tinggi"), (9, "tinggi"), (10, "kritis")]
)
def test_risk_level_follows_the_weighted_score(score, level):
    assert level_for(score) == level


def test_assessment_scores_the_factors_and_starts_the_assessment_stage(case_a, psm_a):
    assessment = services.case_assess(actor=psm_a, case=case_a, factors=["kekerasan", "rentan"])
    case_a.refresh_from_db()
    assert assessment.score == 10 and assessment.risk_level == "kritis"
    assert case_a.risk_level == "kritis" and case_a.stage == Stage.ASSESSMENT


def test_unknown_risk_factor_is_refused(case_a, psm_a):
    with pytest.raises(ValidationError):
        services.case_assess(actor=psm_a, case=case_a, factors=["tidak_ada"])
    assert not case_a.assessments.exists()


def test_plan_needs_an_assessment(case_a, psm_a):
    with pytest.raises(DomainError):
        planned(case_a, psm_a)


def test_psm_cannot_approve_own_plan(case_a, psm_a):
    plan = planned(assessed(case_a, psm_a), psm_a)
    with pytest.raises(PermissionDenied):  # a PSM is no supervisor
        services.case_plan_approve(actor=psm_a, plan=plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PENDING


def test_supervisor_cannot_approve_a_plan_they_wrote(make_case, tksk_a):
    case = assessed(make_case(tksk_a), tksk_a)
    plan = planned(case, tksk_a)
    with pytest.raises(DomainError) as exc:
        services.case_plan_approve(actor=tksk_a, plan=plan)
    assert exc.value.code == "own_plan"


def test_database_refuses_a_plan_decided_by_its_author(case_a, psm_a):
    from django.db import IntegrityError, transaction

    plan = planned(assessed(case_a, psm_a), psm_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(status="disetujui", decided_by=psm_a)


def test_tksk_approves_the_plan_and_the_case_moves_to_intervention(case_a, psm_a, tksk_a):
    plan = planned(assessed(case_a, psm_a), psm_a)
    assert Notification.objects.filter(recipient=tksk_a, kind="cases.plan_pending").exists()
    services.case_plan_approve(actor=tksk_a, plan=plan, note="Lanjutkan")
    case_a.refresh_from_db()
    assert case_a.stage == Stage.INTERVENTION
    assert Notification.objects.filter(recipient=psm_a, kind="cases.plan_approved").exists()


def test_returned_plan_keeps_the_case_in_planning_until_a_new_plan_is_approved(case_a, psm_a, tksk_a):
    plan = planned(assessed(case_a, psm_a), psm_a)
    with pytest.raises(ValidationError):
        services.case_plan_return(actor=tksk_a, plan=plan, note=" ")
    services.case_plan_return(actor=tksk_a, plan=plan, note="Tambahkan peran keluarga")
    case_a.refresh_from_db()
    assert case_a.stage == Stage.PLANNING
    with pytest.raises(DomainError):
        services.case_advance(actor=psm_a, case=case_a)
    second = planned(case_a, psm_a)
    services.case_plan_approve(actor=tksk_a, plan=second)
    case_a.refresh_from_db()
    assert case_a.stage == Stage.INTERVENTION


def test_a_decided_plan_cannot_be_decided_again(case_a, psm_a, tksk_a, operator):
    plan = planned(assessed(case_a, psm_a), psm_a)
    services.case_plan_approve(actor=tksk_a, plan=plan)
    with pytest.raises(DomainError):
        services.case_plan_return(actor=operator, plan=plan, note="Terlambat")


def test_full_journey_to_closing_and_reopening(case_a, psm_a, tksk_a):
    services.case_advance(actor=psm_a, case=case_a)  # intake → asesmen
    assessed(case_a, psm_a)
    services.case_advance(actor=psm_a, case=case_a)  # → rencana
    services.case_plan_approve(actor=tksk_a, plan=planned(case_a, psm_a))  # → intervensi
    services.case_advance(actor=psm_a, case=case_a)  # → monitoring
    case_a.refresh_from_db()
    assert case_a.stage == Stage.MONITORING
    with pytest.raises(DomainError):
        services.case_advance(actor=psm_a, case=case_a)
    with pytest.raises(ValidationError):
        services.case_close(actor=psm_a, case=case_a, outcome="tertangani", reason="")
    services.case_close(actor=psm_a, case=case_a, outcome="tertangani", reason="Dirawat anaknya")
    case_a.refresh_from_db()
    assert case_a.stage == Stage.CLOSED and case_a.outcome == "tertangani" and case_a.closed_at
    with pytest.raises(PermissionDenied):  # reopening is the supervisor's
        services.case_reopen(actor=psm_a, case=case_a, reason="Kembali terlantar")
    services.case_reopen(actor=tksk_a, case=case_a, reason="Kembali terlantar")
    case_a.refresh_from_db()
    assert (case_a.stage, case_a.outcome, case_a.reopen_count) == (Stage.ASSESSMENT, "", 1)
    kinds = list(case_a.events.values_list("action", flat=True))
    assert kinds[0] == "opened" and kinds[-1] == "reopened" and "closed" in kinds


def test_a_closed_case_takes_no_more_steps(case_a, psm_a):
    services.case_close(actor=psm_a, case=case_a, outcome="bukan_kasus", reason="Sudah mampu")
    for call in (lambda: services.case_advance(actor=psm_a, case=case_a), lambda: assessed(case_a, psm_a)):
        with pytest.raises(DomainError):
            call()


def test_reopen_only_a_closed_case(case_a, tksk_a):
    with pytest.raises(DomainError):
        services.case_reopen(actor=tksk_a, case=case_a, reason="x")


def test_plan_target_date_in_the_past_is_refused(case_a, psm_a):
    assessed(case_a, psm_a)
    with pytest.raises(ValidationError):
        services.case_plan_submit(
            actor=psm_a, case=case_a, goals="a", actions="b", target_date=timezone.localdate() - timedelta(days=1)
        )


def test_stage_changes_are_on_the_timeline(case_a, psm_a):
    services.case_advance(actor=psm_a, case=case_a, note="Mulai asesmen")
    change = CaseEvent.objects.get(case=case_a, action="stage")
    assert (change.from_status, change.to_status, change.reason) == ("intake", "asesmen", "Mulai asesmen")


def test_risk_factors_come_back_after_the_table_was_emptied(case_a, psm_a):
    from pilar.cases.models import RiskFactor

    RiskFactor.objects.all().delete()  # as after a test flush
    assert services.case_assess(actor=psm_a, case=case_a, factors=["kekerasan"]).score == 6
