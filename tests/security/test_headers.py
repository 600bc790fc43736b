"""Defect 9: a strict Content-Security-Policy, Permissions-Policy, no-store on personal data, sandboxed uploads."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pilar.accounts.models import ApiToken
from pilar.registry.evidence import evidence_add
from tests.registry.makers import propose


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def test_pages_carry_a_strict_content_security_policy(client, operator):
    client.force_login(operator)
    policy = directives(client.get(reverse("registry:ppks_list")))
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert any(s.startswith("'nonce-") for s in policy["script-src"]) or policy["script-src"] == ["'self'"]


def test_no_template_has_inline_script_style_or_event_handler():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "pilar" / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"|hx-on|javascript:", re.I)
    found = []
    for path in root.rglob("*.html"):
        html = re.sub(r"\{%.*?%\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # the tags' own arguments
        found += [f"{path.relative_to(root)}: {m.group(0)}" for m in inline.finditer(html)]
    assert not found, found


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client, operator):
    client.force_login(operator)
    page = client.get(reverse("registry:ppks_list")).content.decode()
    assert '"includeIndicatorStyles": false' in page and '"allowEval": false' in page


def test_permissions_policy_and_no_store_on_pages_and_api(client, operator):
    client.force_login(operator)
    page = client.get(reverse("registry:ppks_list"))
    assert "camera=(self)" in page["Permissions-Policy"] and "microphone=()" in page["Permissions-Policy"]
    assert "no-store" in page["Cache-Control"]
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(operator)}"}).get("/api/v1/ppks/")
    assert "no-store" in api["Cache-Control"]


def test_uploaded_pdfs_are_attachments_in_a_sandbox(client, psm_a, operator):
    record = propose(psm_a)
    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf")
    evidence = evidence_add(record=record, actor=psm_a, upload=pdf)
    client.force_login(operator)
    answer = client.get(reverse("registry:evidence_download", args=[record.pk, evidence.pk]))
    assert answer.status_code == 200 and answer["Content-Disposition"].startswith("attachment")
    assert answer["Content-Security-Policy"].startswith("sandbox")
    assert answer["X-Content-Type-Options"] == "nosniff"


def test_uploaded_photos_are_shown_inline_but_sandboxed(client, psm_a, operator):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    record = propose(psm_a)
    evidence = evidence_add(record=record, actor=psm_a, upload=SimpleUploadedFile("a.png", buffer.getvalue()))
    client.force_login(operator)
    answer = client.get(reverse("registry:evidence_download", args=[record.pk, evidence.pk]))
    assert answer["Content-Disposition"].startswith("inline") and answer["Content-Security-Policy"].startswith(
        "sandbox"
    )
