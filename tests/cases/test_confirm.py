"""Closing a case asks first, through the shared confirmation partial, saying what closing means."""

import pytest

pytestmark = pytest.mark.django_db


def test_closing_a_case_asks_first_and_says_what_follows(client, case_a, psm_a):
    client.force_login(psm_a)
    page = client.get(case_a.get_absolute_url()).content.decode()
    close = page[page.index('id="aksi-close"') :]
    assert '<details class="confirm" data-confirm>' in close
    assert "Ya, tutup kasus" in close and "Hanya penyelia yang dapat membukanya kembali" in close
