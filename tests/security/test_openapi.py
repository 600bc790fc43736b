"""Defect 8: the OpenAPI schema says what the API does (unique schema names, real enums, strict JSON types)."""

import pytest
from django.test import Client

from pilar.accounts.models import ApiToken
from pilar.api.api import api
from tests.factories import WorkerFactory


@pytest.fixture
def schema(db):
    return api.get_openapi_schema()


def test_every_response_schema_name_is_used_once(schema):
    names = set(schema["components"]["schemas"])
    assert "EventOut" not in names
    assert {"PpksEventOut", "ReferralEventOut", "EnrollmentEventOut", "TrainingOut"} <= names


def test_referral_events_are_described_by_the_referral_event_schema(schema):
    detail = schema["components"]["schemas"]["ReferralDetailOut"]["properties"]["events"]
    assert detail["items"]["$ref"].endswith("/ReferralEventOut")


def test_the_training_invite_target_lists_its_choices(schema):
    body = schema["paths"]["/api/v1/trainings/{event_id}/invite"]["post"]["requestBody"]
    enum = body["content"]["application/json"]["schema"]["properties"]["target"]["enum"]
    assert set(enum) == {"psm_kecamatan", "psm_kelurahan", "psm_semua", "tksk_semua", "semua"}


def test_confirm_address_must_be_a_boolean(operator, city):
    worker = WorkerFactory()
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(operator)}"})
    answer = client.patch(f"/api/v1/workers/{worker.pk}", {"confirm_address": "tidak"}, content_type="application/json")
    assert answer.status_code == 400 and "confirm_address" in answer.json()["errors"]
    ok = client.patch(f"/api/v1/workers/{worker.pk}", {"confirm_address": False}, content_type="application/json")
    assert ok.status_code == 200


def test_every_operation_documents_its_error_answers(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "400" in codes, (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
