"""Every workflow step on the pages: login first, 404 outside the user's area, 403 without the permission."""

import pytest
from django.urls import reverse

from tests.programs.makers import RTLH, proposed, record

pytestmark = pytest.mark.django_db
STEPS = ["approve", "reject", "deliver", "complete", "exit"]


@pytest.fixture
def enrollment(psm_a):
    return proposed("pkh", record(), psm_a)


@pytest.mark.parametrize("step", STEPS)
def test_every_step_sends_an_anonymous_visitor_to_the_login_page(client, enrollment, step):
    answer = client.post(reverse(f"programs:enrollment_{step}", args=[enrollment.pk]))
    assert answer.status_code == 302 and answer.url.startswith(reverse("login"))


@pytest.mark.parametrize("step", STEPS)
def test_every_step_outside_the_area_is_404_even_for_a_tksk(client, tksk_a, psm_b, step):
    far = proposed("pkh", record(kelurahan="36.71.03.1001"), psm_b)
    client.force_login(tksk_a)
    assert client.post(reverse(f"programs:enrollment_{step}", args=[far.pk])).status_code == 404


@pytest.mark.parametrize("step", STEPS)
def test_pimpinan_reads_but_every_step_is_403(client, pimpinan, enrollment, step):
    client.force_login(pimpinan)
    assert client.get(enrollment.get_absolute_url()).status_code == 200
    assert client.post(reverse(f"programs:enrollment_{step}", args=[enrollment.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["pimpinan", "opd_user"])
def test_only_field_workers_and_dinsos_propose(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("programs:enrollment_propose")).status_code == 403


def test_psm_cannot_assess_a_house(client, psm_a):
    enrollment = proposed("bedah-rumah", record(RTLH), psm_a)
    client.force_login(psm_a)
    assert client.get(reverse("programs:house_assess", args=[enrollment.pk])).status_code == 403


def test_reach_page_shows_a_psm_only_its_own_kelurahan(client, psm_a, psm_b):
    proposed("pkh", record(), psm_a)
    proposed("pkh", record(kelurahan="36.71.03.1001"), psm_b)
    client.force_login(psm_b)
    rows = client.get(reverse("programs:reach")).context["rows"]
    assert [r["region"] for r in rows] == ["36.71.03"]
