"""The shared registry forms as a page posts them (strings, JSON text) and as the API does."""

import json

from pilar.registry.forms import HouseholdForm, PersonForm, PpksProposeForm, ResubmitForm
from tests.conftest import KEL_A, KEL_A2, KEL_B
from tests.registry.makers import next_kk, person_in


def test_household_members_may_come_as_json_text_from_a_page(psm_a):
    head, wife = person_in(KEL_A), person_in(KEL_A)
    members = json.dumps(
        [{"person": str(head.pk), "relationship": "kepala"}, {"person": wife.pk, "relationship": "istri"}]
    )
    form = HouseholdForm({"kk_number": next_kk(), "kelurahan": KEL_A, "members": members}, user=psm_a)
    assert form.is_valid(), form.errors
    assert form.service_kwargs()["members"] == [(head, "kepala"), (wife, "istri")]


def test_household_members_must_be_a_non_empty_list_of_known_people(operator):
    for members in ("[]", "{}", json.dumps([{"person": True, "relationship": "kepala"}]), "bukan json"):
        form = HouseholdForm({"kk_number": next_kk(), "kelurahan": KEL_A, "members": members}, user=operator)
        assert not form.is_valid() and "members" in form.errors


def test_field_workers_must_give_a_kelurahan_of_their_area_dinsos_need_not(psm_a, operator):
    data = {"name": "Tanpa Alamat", "sex": "L"}
    assert "village" in PersonForm(data, user=psm_a).errors
    assert PersonForm(data, user=operator).is_valid()
    assert PersonForm(data).is_valid()


def test_proposal_source_defaults_by_who_proposes(psm_a, operator):
    data = {"category": "PPKS-11", "person": person_in(KEL_A).pk, "kelurahan": KEL_A}
    psm_form, operator_form = PpksProposeForm(data, user=psm_a), PpksProposeForm(data, user=operator)
    assert psm_form.is_valid() and operator_form.is_valid()
    assert (psm_form.cleaned_data["source"], operator_form.cleaned_data["source"]) == ("psm", "operator")
    assert "source" in PpksProposeForm(data | {"source": "operator"}, user=psm_a).errors


def test_tksk_area_is_its_whole_kecamatan(tksk_a):
    def kelurahan_ok(code: str) -> bool:
        form = PpksProposeForm({"category": "PPKS-11", "person": person_in(code).pk, "kelurahan": code}, user=tksk_a)
        return form.is_valid() or "kelurahan" not in form.errors

    assert kelurahan_ok(KEL_A) and kelurahan_ok(KEL_A2) and not kelurahan_ok(KEL_B)


def test_resubmit_changes_only_the_fields_sent(city):
    form = ResubmitForm({"note": "Alamat dilengkapi", "address": "Jl. Melati 4", "rw": "3"})
    assert form.is_valid()
    # The service's keywords: the note and only the corrections sent (rt and notes keep the record's values).
    assert form.cleaned_data == {"note": "Alamat dilengkapi", "address": "Jl. Melati 4", "rw": "003"}
