"""A field submission sent again after a dropped answer (same Idempotency-Key) is done once and answered
with the first result; refusals keep no key; keys are per user and expire (pilar/core/idempotency.py)."""

import threading
import time
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from pilar.activities.models import ReportPhoto
from pilar.core.idempotency import prune_expired
from pilar.core.models import IdempotencyKey
from pilar.registry import services
from pilar.registry.models import PpksRecord
from tests.activities.makers import report_for
from tests.conftest import KEL_A
from tests.factories import psm_user
from tests.registry.makers import HOMELESS, person_in
from tests.signin import PilarClient

PROPOSE = reverse("registry:ppks_propose")
KEY = "f3b1c2d4-0a1b-4c5d-9e8f-112233445566"


def proposal(person, **extra) -> dict:
    return {"person": person.pk, "category": HOMELESS, "kelurahan": KEL_A, "notes": "Tidur di pasar"} | extra


def send(client, person, key=KEY, **extra):
    return client.post(f"{PROPOSE}?person={person.pk}", proposal(person, **extra), headers={"Idempotency-Key": key})


@pytest.mark.django_db
def test_a_proposal_sent_twice_with_one_key_makes_one_record_and_the_replay_lands_on_it(client, psm_a):
    person = person_in()
    client.force_login(psm_a)
    first, again = send(client, person), send(client, person)
    record = PpksRecord.objects.get(person=person)
    assert first.status_code == again.status_code == 302
    assert first.url == again.url == record.get_absolute_url()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert "sudah diterima sebelumnya" in client.get(again.url).text


@pytest.mark.django_db
def test_a_plain_form_carries_its_key_in_a_hidden_field_and_a_second_press_is_a_replay(client, psm_a):
    person = person_in()
    client.force_login(psm_a)
    page = client.get(f"{PROPOSE}?person={person.pk}")
    assert 'name="idempotency_key"' in page.text
    url = f"{PROPOSE}?person={person.pk}"
    for _ in range(2):
        assert client.post(url, proposal(person, idempotency_key=KEY)).status_code == 302
    assert PpksRecord.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_without_a_key_each_sending_is_its_own_submission(client, psm_a):
    person = person_in()
    client.force_login(psm_a)
    for _ in range(2):
        client.post(f"{PROPOSE}?person={person.pk}", proposal(person))
    assert PpksRecord.objects.filter(person=person).count() == 2


@pytest.mark.django_db
def test_a_refused_submission_keeps_no_key_so_the_fixed_one_goes_through(client, psm_a):
    person = person_in()
    client.force_login(psm_a)
    refused = send(client, person, category="")
    assert refused.status_code == 400 and not PpksRecord.objects.exists()
    assert not IdempotencyKey.objects.exists()
    fixed = send(client, person)
    assert fixed.status_code == 302 and PpksRecord.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_another_users_key_never_answers_for_yours(client, psm_a):
    neighbour = psm_user("psm.a.dua", KEL_A)
    person = person_in()
    client.force_login(psm_a)
    mine = send(client, person)
    other = PilarClient()
    other.force_login(neighbour)
    theirs = send(other, person)
    assert "Idempotent-Replayed" not in theirs and mine.url != theirs.url
    assert PpksRecord.objects.filter(person=person).count() == 2


@pytest.mark.django_db
def test_a_key_sent_again_to_another_form_is_refused_with_a_message(client, psm_a):
    person = person_in()
    client.force_login(psm_a)
    send(client, person)
    report = report_for(psm_a)
    answer = client.post(reverse("activities:submit", args=[report.pk]), headers={"Idempotency-Key": KEY})
    assert answer.status_code == 422 and "sudah dipakai untuk isian lain" in answer.text
    report.refresh_from_db()
    assert report.status == report.Status.DRAFT


@pytest.mark.django_db
def test_a_malformed_key_is_refused_before_anything_is_done(client, psm_a):
    person = person_in()
    client.force_login(psm_a)
    answer = send(client, person, key="<script>")
    assert answer.status_code == 400 and "tidak sah" in answer.text
    assert not PpksRecord.objects.exists()


@pytest.mark.django_db
def test_an_expired_key_is_forgotten_and_the_periodic_job_prunes_it(client, psm_a):
    person = person_in()
    client.force_login(psm_a)
    send(client, person)
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "Idempotent-Replayed" not in send(client, person)
    assert PpksRecord.objects.filter(person=person).count() == 2
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert prune_expired() == 1 and not IdempotencyKey.objects.exists()


def jpeg() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_a_photo_upload_replayed_after_a_dropped_answer_adds_one_photo(client, psm_a):
    report = report_for(psm_a)
    client.force_login(psm_a)
    url = reverse("activities:photo_add", args=[report.pk])
    for _ in range(2):
        answer = client.post(url, {"file": jpeg(), "caption": "Posyandu"}, headers={"Idempotency-Key": KEY})
        assert answer.status_code == 302
    assert ReportPhoto.objects.filter(report=report).count() == 1


@pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_sendings_of_one_key_at_the_same_moment_make_one_record(psm_a, monkeypatch):
    person = person_in()
    clients = [PilarClient(), PilarClient()]
    for c in clients:
        c.force_login(psm_a)
    propose = services.ppks_propose

    def slow_propose(**kwargs):
        # Hold the first request inside its transaction, so that the second arrives while it runs.
        record = propose(**kwargs)
        time.sleep(0.4)
        return record

    monkeypatch.setattr(services, "ppks_propose", slow_propose)
    barrier = threading.Barrier(2)
    answers = []

    def post(c) -> None:
        try:
            barrier.wait()
            answers.append(send(c, person))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    record = PpksRecord.objects.get(person=person)
    assert [a.status_code for a in answers] == [302, 302]
    assert {a.url for a in answers} == {record.get_absolute_url()}
    assert sum(a.has_header("Idempotent-Replayed") for a in answers) == 1
