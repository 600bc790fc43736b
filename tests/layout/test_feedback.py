"""After an action the page says what happened and what comes next, and stops saying "in progress" when done;
consequential steps ask first through the one confirmation partial."""

import pytest
from django.urls import reverse

from pilar.registry.models import ImportJob

pytestmark = pytest.mark.django_db


def job(operator, status):
    return ImportJob.objects.create(
        user=operator,
        file="imports/x.csv",
        file_name="x.csv",
        checksum="0" * 64,
        status=status,
        mode=ImportJob.Mode.VALID_ROWS,
    )


def test_a_finished_import_no_longer_says_it_is_being_processed(client, operator):
    client.force_login(operator)
    done = client.get(reverse("registry:import_detail", args=[job(operator, ImportJob.Status.DONE).pk]))
    body = done.content.decode()
    assert "sedang diproses" not in body.lower() and "Impor sudah berakhir: Selesai." in body
    assert 'hx-trigger="every 2s"' not in body  # no more polling
    running = client.get(reverse("registry:import_detail", args=[job(operator, ImportJob.Status.QUEUED).pk]))
    assert "Sedang diproses" in running.content.decode()
