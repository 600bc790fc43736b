"""The case's workflow is declared once (``pilar.cases.workflow``): pages, URLs, API endpoints, the guard, the
action forms and the timeline's labels all follow from it."""

import pytest
from django.urls import reverse

from pilar.api.api import api
from pilar.cases import services
from pilar.cases.models import Stage
from pilar.cases.workflow import CASE, PLAN, TRANSFER
from pilar.core.workflow import Forbidden
from tests.cases.conftest import assessed, planned

pytestmark = pytest.mark.django_db


def test_every_declared_step_has_its_page_url_and_its_api_endpoint():
    paths = api.get_openapi_schema()["paths"]
    for workflow, prefix in ((CASE, ""), (PLAN, "plan_"), (TRANSFER, "transfer_")):
        for step in workflow.steps:
            assert reverse(f"cases:{prefix}{step.name}", args=[1]).endswith(f"/{step.path}/")
            if step.api_path != "-":
                assert f"/api/v1/cases/{{case_id}}/{step.api_path or step.name}" in paths


def test_the_page_offers_exactly_the_steps_the_declaration_offers(client, case_a, psm_a):
    client.force_login(psm_a)
    page = client.get(case_a.get_absolute_url())
    offered = [s.name for s in CASE.offered(psm_a, case_a)]
    assert [item.step.name for item in page.context["steps"]] == offered
    assert "plan" not in offered and "reopen" not in offered  # not assessed yet; open
    for name in offered:
        assert f'id="aksi-{name}"' in page.content.decode()


def test_a_step_the_case_has_moved_past_is_refused_on_the_page_with_409_and_its_message(client, case_a, psm_a):
    services.case_close(actor=psm_a, case=case_a, outcome="tertangani", reason="Sudah dirawat keluarga")
    client.force_login(psm_a)
    response = client.post(reverse("cases:note", args=[case_a.pk]), {"text": "Masih dipantau"})
    assert response.status_code == 302  # notes are taken in any stage
    response = client.post(reverse("cases:advance", args=[case_a.pk]), {"note": ""})
    assert response.status_code == 409
    assert "Kasus sudah ditutup. Buka kembali kasus terlebih dahulu." in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.stage == Stage.CLOSED


def test_a_refusal_for_want_of_permission_is_also_permission_denied(case_a, psm_a, tksk_a):
    plan = planned(assessed(case_a, psm_a), psm_a)
    with pytest.raises(Forbidden) as refused:
        services.case_plan_approve(actor=psm_a, plan=plan)  # a PSM is no supervisor
    assert refused.value.status == 403


def test_the_timeline_labels_its_events_from_the_declaration(client, case_a, psm_a):
    assessed(case_a, psm_a)
    client.force_login(psm_a)
    labels = [i["label"] for i in client.get(case_a.get_absolute_url()).context["timeline"] if i["kind"] == "event"]
    assert labels[:2] == ["Kasus dicatat", "Dinilai"]


def test_the_receiver_answers_a_handover_on_the_case_page_through_the_shared_forms(client, case_a, psm_a, tksk_a):
    transfer = services.case_transfer(actor=psm_a, case=case_a, to_user=tksk_a, reason="Kasus berat")
    client.force_login(tksk_a)
    page = client.get(case_a.get_absolute_url())
    assert [i.step.name for i in page.context["transfer_steps"]] == ["accept", "decline"]
    client.force_login(psm_a)
    assert client.get(case_a.get_absolute_url()).context["transfer_steps"] == []
    assert client.post(reverse("cases:transfer_decline", args=[transfer.pk]), {"note": "x"}).status_code == 403
