"""The page frame on phones: a bottom bar of the role's most used pages, the language switch in the account
menu, filter panels that fold."""

import re

import pytest
from django.urls import get_script_prefix, set_script_prefix

from pilar.accounts.models import Role
from pilar.accounts.nav import menu_for
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def bottom_bar(html: str) -> list[str]:
    bar = re.search(r'<nav class="bottom-bar".*?</nav>', html, re.S).group(0)
    return [re.sub(r"\s+", " ", label).strip() for label in re.findall(r"<a [^>]*>(.*?)</a>", bar, re.S)]


def test_psm_bottom_bar_has_their_five_most_used_pages_and_lainnya(client, psm_a):
    client.force_login(psm_a)
    html = client.get("/").content.decode()
    assert bottom_bar(html) == ["Beranda", "Lapangan", "Laporan", "PPKS", "Kasus", "Lainnya"]
    assert 'href="#menu"' in html and 'id="menu"' in html


def test_finance_bottom_bar_leads_to_payroll(client, city):
    client.force_login(user_with_role("keuangan", Role.KEUANGAN))
    assert bottom_bar(client.get("/").content.decode()) == ["Beranda", "Insentif", "PSM", "Lainnya"]


def test_bottom_bar_marks_the_page_the_user_is_on(client, tksk_a):
    client.force_login(tksk_a)
    html = client.get("/kasus/").content.decode()
    assert re.search(r'<nav class="bottom-bar".*<a href="/kasus/" aria-current="page">Kasus</a>', html, re.S)


def test_language_switch_sits_in_the_account_menu_once_signed_in(client, psm_a):
    anonymous = client.get("/akun/masuk/").content.decode()
    assert 'id="lang-select"' in anonymous
    client.force_login(psm_a)
    html = client.get("/").content.decode()
    menu = re.search(r'<details class="account-menu">.*?</details>', html, re.S).group(0)
    assert 'id="lang-select"' in menu and "Keluar" in menu and html.count('id="lang-select"') == 1


def test_filter_panel_folds_on_phones_unless_a_filter_is_in_use(client, operator):
    client.force_login(operator)
    plain = client.get("/kasus/").content.decode()
    assert re.search(r'<details class="filters-panel" open data-fold-on-phone>', plain)
    filtered = client.get("/kasus/?q=Budi").content.decode()
    assert '<details class="filters-panel" open data-fold-on-phone data-active>' in filtered


def test_the_menu_links_follow_the_address_pilar_is_served_under(operator):
    # The menu's addresses are reversed once per process, per script prefix (pilar.accounts.nav._item_url).
    before = get_script_prefix()
    try:
        set_script_prefix("/pilar/")
        links, _bar = menu_for(operator, "home")
        assert links and all(link.url.startswith("/pilar/") for link in links)
    finally:
        set_script_prefix(before)
    links, _bar = menu_for(operator, "home")
    assert links[0].url == "/" and not any(link.url.startswith("/pilar/") for link in links)
