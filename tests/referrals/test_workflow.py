"""The referral's declaration drives the page's forms, the guard of each service, the step URLs and endpoints."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pilar.api.api import api
from pilar.core.workflow import Refused
from pilar.referrals import services
from pilar.referrals.models import Referral
from pilar.referrals.workflow import REFERRAL


def test_the_page_offers_the_steps_the_declaration_allows_in_declaration_order(client, referral_a, opd_user):
    client.force_login(opd_user)
    steps = client.get(referral_a.get_absolute_url()).context["steps"]
    assert [item.step.name for item in steps] == ["accept", "decline"]
    assert steps[0].action == reverse("referrals:accept", args=[referral_a.pk])


def test_the_case_worker_who_sent_it_is_offered_no_answer(client, referral_a, psm_a):
    client.force_login(psm_a)
    assert client.get(referral_a.get_absolute_url()).context["steps"] == []


def test_a_service_refuses_a_step_its_source_state_does_not_allow(referral_a, opd_user):
    services.referral_decline(referral=referral_a, actor=opd_user, reason="Bukan kewenangan kami")
    with pytest.raises(Refused) as refused:
        services.referral_process(referral=referral_a, actor=opd_user)
    assert refused.value.status == 409 and "sudah diterima" in refused.value.message
    assert Referral.objects.get(pk=referral_a.pk).status == "ditolak"


def test_a_service_refuses_an_actor_without_the_steps_permission(referral_a, psm_a):
    with pytest.raises(Refused) as refused:
        services.referral_accept(referral=referral_a, actor=psm_a)
    assert refused.value.status == 403
    assert Referral.objects.get(pk=referral_a.pk).status == "terkirim"


def test_an_answer_already_given_is_refused_on_the_page_with_409_and_the_reason(client, referral_a, opd_user):
    services.referral_accept(referral=referral_a, actor=opd_user)
    client.force_login(opd_user)
    response = client.post(reverse("referrals:decline", args=[referral_a.pk]), {"reason": "Terlambat"})
    assert response.status_code == 409
    assert "Hanya rujukan berstatus terkirim yang dapat ditolak." in response.content.decode()
    assert [item.step.name for item in response.context["steps"]] == ["process", "complete"]


def test_every_step_has_its_page_url_and_api_endpoint(db):
    paths = api.get_openapi_schema()["paths"]
    for step in REFERRAL.steps:
        assert reverse(f"referrals:{step.name}", args=[1]).endswith(f"/{step.path}/")
        operation = paths[f"/api/v1/referrals/{{referral_id}}/{step.name}"]["post"]
        assert operation["operationId"] == f"pilar_api_endpoints_referrals_{step.name}_referral"
        assert set(operation["requestBody"]["content"]["application/json"]["schema"]["properties"]) == set(
            step.form.base_fields
        )


def test_the_api_answers_a_step_the_state_no_longer_allows_with_409(api_as, referral_a, opd_user):
    services.referral_decline(referral=referral_a, actor=opd_user, reason="Salah tujuan")
    today = timezone.localdate().isoformat()
    answer = api_as(opd_user).post(
        f"/api/v1/referrals/{referral_a.pk}/complete",
        {"outcome": "Selesai", "completed_on": today},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert answer.json()["errors"] == {"status": ["Hanya rujukan yang diterima atau diproses yang dapat diselesaikan."]}


def test_the_decline_step_asks_for_confirmation_through_the_shared_attribute(client, referral_a, opd_user):
    client.force_login(opd_user)
    page = client.get(referral_a.get_absolute_url()).content.decode()
    assert page.count("data-confirm=") == 1 and "tidak dapat diubah" in page


def test_the_complete_form_keeps_its_own_initial_date_of_today(client, referral_a, opd_user):
    services.referral_accept(referral=referral_a, actor=opd_user)
    client.force_login(opd_user)
    form = client.get(referral_a.get_absolute_url()).context["forms"]["complete"]
    assert form.initial == {"completed_on": timezone.localdate()}
