"""From a registry record the field worker goes straight on: propose it to a program, or open a case."""

from django.urls import reverse

from pilar.registry.models import PpksRecord
from tests.registry.makers import propose


def test_a_validated_record_offers_the_program_proposal_and_a_case_to_the_psm(client, psm_a):
    record = propose(psm_a)
    PpksRecord.objects.filter(pk=record.pk).update(status="ditetapkan")
    client.force_login(psm_a)
    page = client.get(record.get_absolute_url()).content.decode()
    assert f"{reverse('programs:enrollment_propose')}?record={record.pk}" in page
    assert f"{reverse('cases:create')}?person={record.person_id}" in page
    person_page = client.get(reverse("registry:person_detail", args=[record.person_id])).content.decode()
    assert f"{reverse('cases:create')}?person={record.person_id}" in person_page


def test_a_proposal_not_yet_validated_cannot_go_to_a_program_and_the_head_of_office_gets_no_buttons(
    client, psm_a, pimpinan
):
    record = propose(psm_a)
    client.force_login(psm_a)
    assert reverse("programs:enrollment_propose") not in client.get(record.get_absolute_url()).content.decode()
    client.force_login(pimpinan)
    page = client.get(record.get_absolute_url()).content.decode()
    assert reverse("programs:enrollment_propose") not in page and reverse("cases:create") not in page
