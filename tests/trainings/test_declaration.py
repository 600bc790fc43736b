"""Answering a training invitation is the step of one declaration (``pilar.trainings.workflow.PARTICIPANT``):
its page URL, its API endpoint and the guard the service calls."""

from datetime import timedelta

import pytest
from django.urls import reverse

from pilar.regions.models import Region
from pilar.trainings import services
from pilar.trainings.models import Event, Participant
from pilar.trainings.services import Target
from tests.conftest import KEL_A

pytestmark = pytest.mark.django_db


def _invited(event, operator) -> Participant:
    services.participants_invite(
        event=event, actor=operator, target=Target.PSM_KELURAHAN, region=Region.objects.get(code=KEL_A)
    )
    return Participant.objects.get()


def test_an_answer_after_the_training_ended_is_refused_with_409_and_said_on_the_page(client, operator, psm_a, event):
    participant = _invited(event, operator)
    Event.objects.filter(pk=event.pk).update(
        start_date=event.start_date - timedelta(days=400), end_date=event.start_date - timedelta(days=399)
    )
    client.force_login(psm_a)
    response = client.post(reverse("trainings:respond", args=[participant.pk]), {"response": "hadir"})
    assert response.status_code == 409 and "Pelatihan ini sudah selesai." in response.content.decode()
    participant.refresh_from_db()
    assert participant.response == "diundang"


def test_the_answer_endpoint_comes_from_the_declaration_and_answers_the_new_state(api_as, operator, psm_a, event):
    participant = _invited(event, operator)
    url = f"/api/v1/trainings/participants/{participant.pk}/respond"
    answer = api_as(psm_a).post(url, {"response": "tidak_bisa"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"id": participant.pk, "response": "tidak_bisa"}
    assert api_as(psm_a).post(url, {"response": "nanti"}, content_type="application/json").status_code == 400
