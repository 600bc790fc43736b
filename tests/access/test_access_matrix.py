"""The access matrix, generated from the URL map: every role × every GET page and API endpoint × objects in
and out of the role's area × every planted personal value.

For each answer: never a 5xx; an object outside an area-bound role's area never answers 2xx; and no personal
value appears unless the visibility table lets that user see it whole for that object. The number of probes
and leaks is printed (``-s``) for the security report.
"""

import json
import re
import zlib
from typing import Any

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from pilar.accounts.models import ApiToken, Role
from pilar.accounts.visibility import Level, visibility_for
from tests.access import routes, world
from tests.factories import user_with_role
from tests.signin import PilarClient

PERSONAS = ["anonymous", "admin_user", "operator", "pimpinan", "keuangan", "tksk_a", "psm_a", "opd_user"]
# Area-bound personas see only A's objects (OPD: only what is addressed to Dinkes, which is A's referral).
BOUND = {"tksk_a", "psm_a", "opd_user", "anonymous"}


def text_of(response: Any) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".xlsx") as fh:
            fh.write(body)
            fh.flush()
            book = CalamineWorkbook.from_path(fh.name)
            return "\n".join(
                str(c) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for c in row
            )
    if "pdf" in kind:
        streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
        parts = []
        for stream in streams:
            try:
                parts.append(zlib.decompress(stream).decode("latin-1"))
            except zlib.error:
                parts.append(stream.decode("latin-1"))
        return "\n".join(parts)
    if kind.startswith("image/"):
        return ""
    text = body.decode("utf-8", "replace")
    if "json" in kind:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def allowed(user: Any, persona: str, planted: world.Planted) -> bool:
    if persona in BOUND and planted.area != "A":
        return False
    if user is None:
        return False
    view = visibility_for(user, planted.obj, subject=planted.subject, assigned=user.pk in planted.assigned)
    if planted.key == "notes":
        return view.notes_of(planted.category)
    return view.level(planted.key) == Level.FULL


@pytest.fixture
def keuangan(city):
    # Finance staff: approves payroll runs, takes the bank file; no registry.
    return user_with_role("keuangan", Role.KEUANGAN)


@pytest.fixture
def everyone(request, psm_a, psm_b, operator):
    people = {p: request.getfixturevalue(p) for p in PERSONAS if p != "anonymous"}
    return people | {"psm_b": psm_b, "anonymous": None}


def clients(user: Any) -> tuple[Client, Client]:
    page, api = PilarClient(), Client()
    if user is not None:
        page.force_login(user)
        api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})
    return page, api


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_role_sees_what_the_visibility_table_hides_on_any_page_or_endpoint(everyone, persona, capsys):
    w = world.build(everyone)
    user = everyone[persona]
    page, api = clients(user)
    failures, count, pages_shown = [], 0, 0
    for probe in routes.probes(w):
        client = api if probe.path.startswith("/api/") else page
        response = client.get(probe.path)
        count += 1
        pages_shown += client is page and response.status_code == 200
        if response.status_code >= 500:
            failures.append(f"{probe.path}: {response.status_code}")
            continue
        if persona in BOUND and probe.area == "B" and 200 <= response.status_code < 300:
            failures.append(f"{probe.path}: {response.status_code} for an object outside the area")
        body = text_of(response)
        for planted in w.planted:
            if planted.value in body and not allowed(user, persona, planted):
                failures.append(f"{probe.path}: shows {planted.subject}.{planted.key} {planted.value!r}")
    with capsys.disabled():
        print(f"\naccess matrix {persona}: {count} probes, {pages_shown} pages shown, {len(failures)} leaks")
    assert not failures, "\n".join(failures)
    # A signed-in persona stuck at the second-factor page would see nothing and leak nothing: not a pass.
    if user is not None:
        assert pages_shown >= 20, f"{persona} was shown only {pages_shown} pages: is the sign-in complete?"


def test_every_parameterised_route_has_a_rule(city):
    for route in routes.routes():
        routes.rule_for(route)  # raises, naming the route and its parameters
