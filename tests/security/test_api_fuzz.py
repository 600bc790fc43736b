"""Schemathesis over the whole OpenAPI schema, as Admin Dinsos and as a PSM: no 5xx, and every answer
(status code, content type, headers, body) as the schema documents it.

Requests go straight to Pilar's WSGI handler in the test's transaction, over a small city with one of every
kind of record in the PSM's kelurahan and in another (the access matrix's world), so that generated ids hit
real records as well as missing ones. Each generated request carries a fresh token: an operation that revokes
tokens (logout, token delete, a role change) must not turn the rest of the run into 401s.

Not checked: that every schema-valid request is accepted (``positive_data_acceptance``). A JSON schema cannot
say that a NIK's digits must encode a real date and region, or that a PSM needs a kelurahan while a TKSK needs
a kecamatan; such requests get the documented 400 with the field's message, which the status-code and
response-schema checks do verify.

The number of examples per operation is ``PILAR_FUZZ_EXAMPLES`` (CI runs a bigger budget as its own step);
the count of requests and of 5xx is printed for the security report.
"""

import json
import os
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from pilar.accounts.models import ApiToken
from tests.access import world

EXAMPLES = int(os.environ.get("PILAR_FUZZ_EXAMPLES", "3"))


def served_schema() -> Any:
    """What ``/api/v1/openapi.json`` serves, with Pilar's WSGI handler to send the requests to."""
    from ninja.responses import NinjaJSONEncoder

    from pilar.api.api import api

    loaded = schemathesis.openapi.from_dict(
        json.loads(json.dumps(api.get_openapi_schema(path_params={}), cls=NinjaJSONEncoder))
    )
    loaded.app = WSGIHandler()
    return loaded


MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def small_city(request) -> None:
    names = ["psm_a", "psm_b", "operator", "admin_user", "tksk_a", "opd_user", "pimpinan"]
    world.build({name: request.getfixturevalue(name) for name in names})


def fuzz(user) -> tuple[int, int, list[str]]:
    """Every operation, valid and invalid requests: the number of requests, of 5xx answers, and the failures."""
    count, server_errors, failures = 0, 0, []
    for result in served_schema().get_all_operations():
        operation = result.ok()
        for mode in MODES:

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,  # the same requests on every run: what CI found is found again here
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case) -> None:
                nonlocal count, server_errors
                headers = {"Authorization": f"Bearer {ApiToken.issue(user)}"}
                response = case.call(headers=headers)
                count += 1
                server_errors += response.status_code >= 500
                case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])

            try:
                run()
            except Unsatisfiable:
                continue  # an operation without parameters or body has no invalid request to make
            except (Exception, BaseExceptionGroup) as exc:  # collected: one report of every operation that failed
                failures.append(f"{operation.label} ({mode}): {exc}")
    return count, server_errors, failures


@pytest.fixture(autouse=True)
def connection_kept_between_requests():
    """Django closes the database connection after each request; the test client stops that for the test's
    transaction, and so must a test that calls the WSGI handler itself (on PostgreSQL the close is real)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.mark.parametrize("persona", ["admin_user", "psm_a"])
def test_every_operation_answers_as_documented_without_a_server_error(city, request, persona, capsys):
    small_city(request)
    count, server_errors, failures = fuzz(request.getfixturevalue(persona))
    with capsys.disabled():
        print(f"\nschemathesis {persona}: {count} requests, {server_errors} 5xx, {len(failures)} failing")
    assert not failures, "\n\n".join(failures)
