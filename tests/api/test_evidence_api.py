"""``/api/v1/ppks/<id>/evidence``: multipart upload, list, scoped download."""

from django.core.files.uploadedfile import SimpleUploadedFile

from pilar.registry.models import Evidence
from tests.registry.makers import propose
from tests.registry.test_evidence import jpeg


def test_the_api_uploads_lists_and_downloads_evidence(api_as, psm_a, tksk_a):
    record = propose(psm_a)
    client = api_as(tksk_a)
    url = f"/api/v1/ppks/{record.pk}/evidence"
    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
    answer = client.post(url, {"file": pdf, "note": "Surat keterangan"})
    assert answer.status_code == 201, answer.content
    made = answer.json()
    assert (made["content_type"], made["note"]) == ("application/pdf", "Surat keterangan")
    assert made["uploaded_by"] == "tksk.a"
    assert [e["id"] for e in client.get(url).json()] == [made["id"]]
    download = client.get(made["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_api_refuses_a_bad_file_with_400_and_other_areas_with_404(api_as, psm_a, psm_b):
    record = propose(psm_a)
    url = f"/api/v1/ppks/{record.pk}/evidence"
    answer = api_as(psm_a).post(url, {"file": SimpleUploadedFile("x.png", b"not an image")})
    assert answer.status_code == 400
    assert answer.json()["errors"]["file"] == ["Jenis berkas tidak diterima. Yang diterima: JPG, PDF, PNG, WEBP."]
    assert api_as(psm_b).post(url, {"file": jpeg()}).status_code == 404
    assert api_as(psm_b).get(url).status_code == 404
    assert api_as(None).get(url).status_code == 401
    assert not Evidence.objects.exists()
