"""More rules: linking to the registry, closing with a plan still waiting, every endpoint's login and scope."""

import pytest
from django.db import connection
from django.urls import reverse

from pilar.cases import services
from pilar.cases.models import Case, Plan, Stage, Transfer
from pilar.core.errors import DomainError
from tests.cases.conftest import assessed, planned
from tests.concurrency import at_once
from tests.factories import PersonFactory, region, user_with_role

pytestmark = pytest.mark.django_db
STEPS = [
    "assess",
    "plan",
    "advance",
    "close",
    "reopen",
    "assign",
    "transfer",
    "link",
    "note",
    "visit",
    "approve-plan",
    "return-plan",
    "accept-transfer",
    "decline-transfer",
]


def test_unregistered_person_is_linked_later(client, case_a, psm_a):
    person = PersonFactory(village=region("36.71.01.1001"))
    client.force_login(psm_a)
    bad = client.post(reverse("cases:link", args=[case_a.pk]), {"person": "999999"})
    assert bad.status_code == 400 and "Orang tidak ditemukan di wilayah Anda." in bad.content.decode()
    assert client.post(reverse("cases:link", args=[case_a.pk]), {"person": person.pk}).status_code == 302
    case_a.refresh_from_db()
    assert case_a.person == person and case_a.subject_label == person.name
    with pytest.raises(DomainError):
        services.case_link_subject(actor=psm_a, case=case_a, person=person)


def test_person_outside_the_area_cannot_be_linked(client, case_a, psm_a):
    stranger = PersonFactory(village=region("36.71.03.1001"))
    client.force_login(psm_a)
    assert client.post(reverse("cases:link", args=[case_a.pk]), {"person": stranger.pk}).status_code == 400
    case_a.refresh_from_db()
    assert case_a.person is None


def test_closing_withdraws_a_waiting_plan_so_a_reopened_case_can_plan_again(case_a, psm_a, tksk_a):
    plan = planned(assessed(case_a, psm_a), psm_a)
    services.case_close(actor=psm_a, case=case_a, outcome="pindah", reason="Pindah ke Bogor")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.RETURNED and plan.decided_by is None
    services.case_reopen(actor=tksk_a, case=case_a, reason="Kembali lagi")
    assert planned(case_a, psm_a).status == Plan.Status.PENDING


def test_tksk_of_another_kecamatan_gets_404_for_plan_and_transfer_decisions(client, case_a, psm_a, city):
    other_tksk = user_with_role("tksk.b", "tksk", region_code="36.71.03")
    plan = planned(assessed(case_a, psm_a), psm_a)
    client.force_login(other_tksk)
    assert client.post(reverse("cases:plan_approve", args=[plan.pk])).status_code == 404
    transfer = services.case_transfer(
        actor=psm_a, case=case_a, to_user=user_with_role("tksk.a2", "tksk", region_code="36.71.01"), reason="Cuti"
    )
    assert client.post(reverse("cases:transfer_accept", args=[transfer.pk])).status_code == 404
    plan.refresh_from_db()
    transfer.refresh_from_db()
    assert plan.status == Plan.Status.PENDING and transfer.status == Transfer.Status.PENDING


def test_decision_pages_need_login(client, case_a, psm_a):
    plan = planned(assessed(case_a, psm_a), psm_a)
    for url in (
        reverse("cases:plan_approve", args=[plan.pk]),
        reverse("cases:transfer_accept", args=[1]),
        reverse("cases:document_file", args=[1]),
    ):
        assert client.post(url).status_code == 302 or client.get(url).status_code == 302


@pytest.fixture
def api(db, api_as):
    return lambda user=None: api_as(user)


@pytest.mark.parametrize("step", STEPS)
def test_every_api_step_needs_a_token(api, case_a, step):
    assert api().post(f"/api/v1/cases/{case_a.pk}/{step}", {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("step", STEPS)
def test_every_api_step_answers_404_outside_the_area(api, case_a, psm_b, step):
    answer = api(psm_b).post(
        f"/api/v1/cases/{case_a.pk}/{step}", {"text": "x", "reason": "x", "note": "x"}, content_type="application/json"
    )
    assert answer.status_code == 404
    assert Case.objects.get().stage == Stage.INTAKE and not case_a.notes.exists()


@pytest.mark.parametrize("path", ["", "counts", "overdue"])
def test_api_reads_need_a_token(api, city, path):
    assert api().get(f"/api/v1/cases/{path}").status_code == 401


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_deciding_one_plan_at_once_decide_it_once(city, psm_a, tksk_a, operator):
    case = services.case_open(
        actor=psm_a,
        kelurahan=region("36.71.01.1001"),
        category=None,
        source="temuan_psm",
        summary="Lansia",
        subject_name="Bu Enah",
    )
    plan = planned(assessed(case, psm_a), psm_a)
    results = at_once(
        lambda: services.case_plan_approve(actor=tksk_a, plan=plan),
        lambda: services.case_plan_return(actor=operator, plan=plan, note="Perbaiki"),
        catch=(DomainError,),
    )
    outcomes = ["refused" if isinstance(r, DomainError) else "ok" for r in results]
    assert sorted(outcomes) == ["ok", "refused"]
    plan.refresh_from_db()
    case.refresh_from_db()
    assert (plan.status == Plan.Status.APPROVED) == (case.stage == Stage.INTERVENTION)
