"""Who may do what with trainings: the head of office reads, agencies see nothing, workers manage nothing."""

import pytest
from django.urls import reverse

from pilar.accounts.permissions import Perm, can
from pilar.trainings import services
from pilar.trainings.services import Target

pytestmark = pytest.mark.django_db


def test_pimpinan_reads_every_event_but_manages_none(client, pimpinan, operator, psm_a, event):
    services.participants_invite(event=event, actor=operator, target=Target.PSM_ALL)
    client.force_login(pimpinan)
    assert event.title in client.get(reverse("trainings:list")).content.decode()
    page = client.get(event.get_absolute_url()).content.decode()
    assert psm_a.worker.person.name in page and event.checkin_code not in page
    assert client.get(reverse("trainings:edit", args=[event.pk])).status_code == 403
    assert client.post(reverse("trainings:invite", args=[event.pk]), {"target": "semua"}).status_code == 403
    assert client.get(reverse("trainings:checkin")).status_code == 403


def test_agency_user_has_no_training_pages(client, opd_user, event):
    client.force_login(opd_user)
    assert client.get(reverse("trainings:list")).status_code == 403
    assert client.get(event.get_absolute_url()).status_code == 404


def test_role_permissions(operator, tksk_a, psm_a, pimpinan):
    assert can(operator, Perm.TRAINING_MANAGE)
    assert can(tksk_a, Perm.TRAINING_CHECKIN) and not can(tksk_a, Perm.TRAINING_MANAGE)
    assert can(psm_a, Perm.TRAINING_CHECKIN) and not can(psm_a, Perm.TRAINING_MANAGE)
    assert can(pimpinan, Perm.TRAINING_VIEW) and not can(pimpinan, Perm.TRAINING_CHECKIN)


def test_public_verify_lookup_needs_no_login(client):
    assert client.get(reverse("trainings:verify_lookup")).status_code == 200
