"""Office settings: the kop surat, logo, head of office and signatories every official PDF prints."""

import io
import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pilar.audit.models import AuditEntry
from pilar.regions.models import Office, Signatory
from pilar.regions.office import current_office, signer

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> str:
    parts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            parts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            parts.append(stream.decode("latin-1"))
    return "\n".join(parts)


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), (20, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


FORM = {
    "government": "Pemerintah Kota Tangerang",
    "name": "Dinas Sosial",
    "address": "Jl. Satria Sudirman No. 1",
    "phone": "021-5517000",
    "email": "dinsos@tangerangkota.go.id",
    "website": "dinsos.tangerangkota.go.id",
    "head_name": "Drs. Mulyani Sari",
    "head_position": "Kepala Dinas Sosial",
    "head_nip": "197001011995032001",
    "sign_insentif_name": "Budi Hartono, S.Sos",
    "sign_insentif_position": "Sekretaris Dinas Sosial",
    "sign_insentif_nip": "197505052000121002",
}


def test_the_region_pack_gives_the_letterhead_of_a_fresh_install(city):
    office = current_office()
    assert office.pk and office.government == "Pemerintah Kota Tangerang"
    assert office.head_position == "Kepala Dinas Sosial Kota Tangerang"


def test_a_region_without_a_pack_prints_the_region_and_the_settings_until_the_office_fills_the_page(settings, city):
    Office.objects.all().delete()  # as for a kota/kabupaten whose pack gives no letterhead
    settings.PILAR_HEAD_OF_OFFICE_NAME = "Kepala Dari Pengaturan"
    office = current_office()
    assert office.pk is None and office.government == "Pemerintah Kota Tangerang"
    assert signer(Signatory.Document.PAYROLL).name == "Kepala Dari Pengaturan"


def test_the_admin_saves_the_letterhead_and_a_payroll_signatory_and_the_change_is_audited(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/pengaturan/kantor/").status_code == 200
    response = client.post("/pengaturan/kantor/", FORM | {"logo": png()})
    assert response.status_code == 302
    office = Office.objects.get()  # the pack's row, now filled in
    assert office.head_nip == "197001011995032001" and office.logo.name.startswith("kantor/logo-")
    assert signer(Signatory.Document.PAYROLL).position == "Sekretaris Dinas Sosial"
    assert signer(Signatory.Document.CERTIFICATE).name == "Drs. Mulyani Sari"  # no own signatory: the head
    entry = AuditEntry.objects.filter(action="regions.office.updated").get()
    assert entry.actor == admin_user and entry.changes["insentif.name"] == ["", "Budi Hartono, S.Sos"]


def test_a_wrong_nip_or_a_non_image_logo_is_refused_in_indonesian_and_nothing_is_saved(client, admin_user):
    client.force_login(admin_user)
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post("/pengaturan/kantor/", FORM | {"head_nip": "12345", "logo": fake})
    assert response.status_code == 200
    assert "NIP terdiri atas 18 angka." in response.text
    assert "logo" in response.context["form"].errors
    assert Office.objects.get().head_nip == ""
    assert not AuditEntry.objects.filter(action="regions.office.updated").exists()


@pytest.mark.parametrize("persona", ["operator", "pimpinan", "opd_user", "psm_a", "tksk_a"])
def test_only_the_admin_may_change_the_office(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/pengaturan/kantor/").status_code == 403
    assert client.post("/pengaturan/kantor/", FORM).status_code == 403
    assert Office.objects.get().head_nip == ""


def test_the_login_letters_and_a_persons_data_export_open_with_the_offices_letterhead(client, admin_user):
    from pilar.accounts.letters import Letter, letters_pdf
    from pilar.rights.export import person_export
    from pilar.rights.pdf import export_pdf
    from tests.registry.makers import person_in

    client.force_login(admin_user)
    assert client.post("/pengaturan/kantor/", FORM | {"name": "Dinas Sosial Percobaan"}).status_code == 302
    letters = letters_pdf([Letter("Siti", "Kelurahan Sukarasa", "psm.1", "sandi-sementara")])
    export = export_pdf(person_export(person_in()))
    for body in (letters, export):
        text = pdf_text(body)
        assert "DINAS SOSIAL PERCOBAAN" in text and "PEMERINTAH KOTA TANGERANG" in text
