"""The field app offline, in Chromium at 360 px: a PSM opens the field home once with a network, the
service worker keeps it; with the network off, opening Pilar shows the home with the lists from the device
store; signing out leaves nothing of them on the device."""

import time

import pytest
from playwright.sync_api import Page, expect

from pilar.registry.models import PpksRecord
from tests.access import world
from tests.browser.fixtures import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT_HOME = "async () => Boolean(await caches.match('/lapangan/'))"
STORES = "async () => (await indexedDB.databases()).map(d => d.name)"


def wait_until_kept(page: Page) -> None:
    """The service worker keeps the field home on the first visit it controls (no eval: CSP)."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; return true; }")
    for _ in range(40):
        page.reload()
        expect(page.locator("#field-home")).to_have_attribute("data-state", "ready")
        if page.evaluate(KEPT_HOME):
            return
        time.sleep(0.25)
    raise AssertionError("the service worker never kept the field home")


def test_psm_finds_their_lists_offline_and_signing_out_wipes_them(live_server, operator, psm_a, psm_b, new_page):
    w = world.build({"operator": operator, "psm_a": psm_a, "psm_b": psm_b})
    record_a = w.objects["ppks"]["A"]
    category = PpksRecord.objects.get(pk=record_a.pk).category.name
    base = live_server.url
    page = new_page(360, 740)
    login(page, base, "psm.a")
    page.goto(f"{base}/lapangan/")
    ppks = page.locator("section[data-list=ppks]")
    expect(ppks).to_have_attribute("data-state", "fresh")
    expect(ppks).to_contain_text(category)
    expect(page.locator("section[data-list=cases]")).to_have_attribute("data-state", "fresh")
    wait_until_kept(page)

    page.context.set_offline(True)
    page.goto(f"{base}/kasus/")  # any page: without a network the kept field home answers
    expect(page.locator("#field-home")).to_have_attribute("data-state", "ready")
    expect(page.locator("#net-state")).to_have_attribute("data-state", "offline")
    expect(ppks).to_have_attribute("data-state", "cached")
    expect(ppks).to_contain_text(category)
    assert "B" not in {p.area for p in w.planted if p.value in ppks.inner_text()}  # only A's, as the API gave

    page.context.set_offline(False)
    page.goto(f"{base}/")
    page.locator("header .account-menu > summary").click()
    page.locator("header").get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(f"{base}/akun/masuk/")
    assert "pilar-field" not in page.evaluate(STORES)
    assert not page.evaluate(KEPT_HOME)
