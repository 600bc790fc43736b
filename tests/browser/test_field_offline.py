"""The field app offline, in Chromium at 360 px: a PSM opens the field home once with a network, the
service worker keeps it; with the network off, opening Pilar shows the home with the lists from the device
store; signing out leaves nothing of them on the device. The field forms (a report, a proposal with a photo,
a TKSK's field verification with a conflict, a case's home visit) are filled offline, sent once when the
network returns, and their refusals and conflicts come back to the user."""

import time
from datetime import date, timedelta

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from pilar.activities.models import ActivityReport
from pilar.cases import services as case_services
from pilar.cases.models import Case, HomeVisit
from pilar.registry import services as registry_services
from pilar.registry.models import Category, PpksEvent, PpksRecord
from tests.access import world
from tests.browser.fixtures import login
from tests.conftest import KEL_A
from tests.factories import region
from tests.registry.makers import HOMELESS, person_in, propose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT_HOME = "async () => Boolean(await caches.match('/lapangan/'))"
DRAFT_HAS = (
    "async ([key, name]) => ((await PilarStore.get('drafts', key)) || {fields: []})"
    ".fields.some(f => f[0] === name && f[1])"
)
STORES = "async () => (await indexedDB.databases()).map(d => d.name)"


def send_outbox(page: Page, base: str, sent: int) -> None:
    """Back online on the field home, the user presses "Kirim sekarang" and sees ``sent`` items sent."""
    page.goto(f"{base}/lapangan/")
    page.context.set_offline(False)
    page.get_by_role("button", name="Kirim sekarang").click()
    expect(page.locator("#outbox li[data-state=terkirim]")).to_have_count(sent)


def store_gone(page: Page, seconds: float = 10.0) -> bool:
    """Whether the device store is deleted within ``seconds``: the deletion finishes only once the signed-out page
    has closed its connection, so it may still be listed for a moment after the sign-in page appears."""
    deadline = time.monotonic() + seconds
    while "pilar-field" in page.evaluate(STORES):
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(100)
    return True


# serviceWorker.ready never settles when a registration did not happen on this load: bound the wait, so the
# loop below reloads and asks again instead of hanging the suite (evaluate has no Playwright timeout).
WORKER_READY = (
    "async () => Promise.race([navigator.serviceWorker.ready.then(() => true),"
    " new Promise(resolve => setTimeout(() => resolve(false), 5000))])"
)


def wait_until_kept(page: Page) -> None:
    """The service worker keeps the field home on the first visit it controls (no eval: CSP)."""
    for _ in range(40):
        page.reload()
        expect(page.locator("#field-home")).to_have_attribute("data-state", "ready")
        if page.evaluate(WORKER_READY) and page.evaluate(KEPT_HOME):
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
    assert store_gone(page)
    assert not page.evaluate(KEPT_HOME)


def kept(page: Page, path: str) -> None:
    """Open a field page with a network until the service worker has kept it for offline use."""
    for _ in range(40):
        page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + path)
        if page.evaluate("async (p) => Boolean(await caches.match(p))", path):
            return
        time.sleep(0.25)
    raise AssertionError(f"the service worker never kept {path}")


def outbox_row(page: Page, title: str):
    return page.locator("#outbox li", has_text=title)


def test_psm_reports_and_proposes_with_a_photo_offline_and_both_arrive_once(
    live_server, psm_a, tksk_a, new_page, tmp_path
):
    person = person_in(KEL_A, name="Mak Saodah")
    month = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    photo = tmp_path / "rumah.png"
    Image.effect_noise((3000, 2000), 60).convert("RGB").save(photo)  # a big photo, as a phone takes it
    base = live_server.url
    page = new_page(360, 740)
    login(page, base, "psm.a")
    page.goto(f"{base}/lapangan/")
    wait_until_kept(page)
    propose = f"/registri/usul/?person={person.pk}"
    kept(page, "/kegiatan/baru/")
    kept(page, propose)

    page.context.set_offline(True)
    page.goto(f"{base}/kegiatan/baru/")
    page.get_by_label("Bulan laporan").fill(month)
    page.get_by_label("Jumlah kunjungan rumah").fill("7")
    expect(page.locator("[data-field-state]")).to_have_attribute("data-state", "draft")
    page.reload()  # a reload (or a crash) loses nothing typed
    expect(page.get_by_label("Jumlah kunjungan rumah")).to_have_value("7")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator("[data-field-state]")).to_have_attribute("data-state", "menunggu")

    page.goto(f"{base}{propose}")
    page.get_by_label("Kategori PPKS").select_option(HOMELESS)
    page.get_by_label("Foto", exact=True).set_input_files(str(photo))
    expect(page.locator("[data-shrunk]")).to_contain_text("dikecilkan")
    page.get_by_role("button", name="Kirim usulan").click()
    expect(page.locator("[data-field-state]")).to_have_attribute("data-state", "menunggu")
    context = page.context
    page.close()

    page = context.new_page()  # the app opened again, still offline
    page.goto(f"{base}/lapangan/")
    expect(page.locator("#outbox li[data-state=menunggu]")).to_have_count(2)

    page.context.set_offline(False)
    page.get_by_role("button", name="Kirim sekarang").click()
    expect(page.locator("#outbox li[data-state=terkirim]")).to_have_count(2)
    record = PpksRecord.objects.get(person=person)
    evidence = record.evidence.get()
    with Image.open(evidence.file.open("rb")) as shrunk:
        assert max(shrunk.size) <= 1600 and shrunk.format == "JPEG"
    assert ActivityReport.objects.get(worker__user=psm_a).visits == 7

    # The same submission sent again (its answer lost, say): still one record, one photo.
    replayed = page.evaluate("""async () => {
        const item = (await PilarOutbox.items()).find(i => i.steps.length === 2);
        Object.assign(item, {state: "menunggu", done: 0});
        await PilarStore.put("outbox", item.id, item);
        await PilarOutbox.sendAll();
        return (await PilarOutbox.get(item.id)).state;
    }""")
    assert replayed == "terkirim"
    assert PpksRecord.objects.filter(person=person).count() == 1 and record.evidence.count() == 1

    # A second report for the same month is refused: the PSM reads the server's message in the outbox.
    page.context.set_offline(True)
    page.goto(f"{base}/kegiatan/baru/")
    page.get_by_label("Bulan laporan").fill(month)
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator("[data-field-state]")).to_have_attribute("data-state", "menunggu")
    page.goto(f"{base}/lapangan/")
    page.context.set_offline(False)
    page.get_by_role("button", name="Kirim sekarang").click()
    refused = page.locator("#outbox li[data-state=ditolak]")
    expect(refused).to_contain_text("sudah ada")
    assert ActivityReport.objects.filter(worker__user=psm_a).count() == 1

    # Signing out would drop the refused form kept on the phone: the shared confirmation asks first.
    page.locator("header .account-menu > summary").click()
    page.locator("header").get_by_role("button", name="Keluar", exact=True).click()
    expect(page.locator("header .unsent [data-count]")).to_have_text("1")
    assert "pilar-field" in page.evaluate(STORES)
    page.locator("header").get_by_role("button", name="Ya, keluar dan hapus isian").click()
    expect(page).to_have_url(f"{base}/akun/masuk/")
    assert store_gone(page)

    tksk = new_page(360, 740)
    login(tksk, base, "tksk.a")
    tksk.goto(f"{base}/kegiatan/")
    expect(tksk.locator("main")).to_contain_text(psm_a.worker.person.name)
    tksk.goto(f"{base}{record.get_absolute_url()}")
    expect(tksk.locator("main")).to_contain_text("Mak Saodah")


def test_lokasi_saya_fills_the_coordinates_and_shows_the_point_on_the_kelurahan_map(live_server, psm_a, new_page):
    person = person_in(KEL_A)
    base = live_server.url
    page = new_page(360, 740)
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": -6.172884, "longitude": 106.631851, "accuracy": 12})  # Sukarasa
    login(page, base, "psm.a")
    page.goto(f"{base}/registri/usul/?person={person.pk}")
    page.get_by_role("button", name="Lokasi saya").click()
    expect(page.locator("[data-place-state]")).to_contain_text("akurasi ± 12 m")
    expect(page.get_by_label("Lintang")).to_have_value("-6.172884")
    expect(page.locator("[data-mini-map]")).to_have_attribute("data-outside", "false")
    expect(page.locator("[data-map-name]")).to_have_text("Sukarasa")

    page.context.set_geolocation({"latitude": -6.2, "longitude": 106.7, "accuracy": 30})  # far to the east
    page.get_by_role("button", name="Lokasi saya").click()
    expect(page.locator("[data-mini-map]")).to_have_attribute("data-outside", "true")
    expect(page.locator("[data-map-name]")).to_contain_text("di luar kelurahan")


def test_tksk_verifies_offline_once_and_a_record_changed_meanwhile_shows_both_sides(
    live_server, psm_a, tksk_a, operator, new_page
):
    found = propose(psm_a, person=person_in(KEL_A, name="Mak Saodah"))
    changed = propose(psm_a, person=person_in(KEL_A, name="Pak Darto"))
    base = live_server.url
    page = new_page(360, 740)
    login(page, base, "tksk.a")
    page.goto(f"{base}/lapangan/")
    wait_until_kept(page)
    expect(page.locator(f'section[data-list=ppks] a[href="/lapangan/verifikasi/{found.pk}/"]')).to_be_visible()
    for record in (found, changed):
        kept(page, f"/lapangan/verifikasi/{record.pk}/")

    page.context.set_offline(True)
    page.goto(f"{base}/lapangan/verifikasi/{found.pk}/")
    page.get_by_label("Hasil verifikasi lapangan").select_option("ditemukan")
    page.get_by_label("Catatan").fill("Ada di rumah, tidur di teras")
    expect(page.locator("[data-field-state]")).to_have_attribute("data-state", "draft")
    page.reload()  # the draft survives
    expect(page.get_by_label("Catatan")).to_have_value("Ada di rumah, tidur di teras")
    page.get_by_role("button", name="Simpan hasil verifikasi").click()
    expect(page.locator("[data-field-state]")).to_have_attribute("data-state", "menunggu")
    page.goto(f"{base}/lapangan/verifikasi/{changed.pk}/")
    page.get_by_label("Hasil verifikasi lapangan").select_option("pindah")
    page.get_by_label("Catatan").fill("Rumah kosong")
    page.get_by_role("button", name="Simpan hasil verifikasi").click()
    expect(page.locator("[data-field-state]")).to_have_attribute("data-state", "menunggu")
    # Meanwhile Dinsos sends the second proposal back to the PSM for a fix.
    registry_services.ppks_return(record=changed, actor=operator, reason="Alamat kurang lengkap")

    page.goto(f"{base}/lapangan/")
    expect(page.locator("#outbox li[data-state=menunggu]")).to_have_count(2)
    page.context.set_offline(False)
    page.get_by_role("button", name="Kirim sekarang").click()
    expect(page.locator("#outbox li[data-state=terkirim]")).to_have_count(1)
    conflict = page.locator("#outbox li[data-state=konflik]")
    expect(conflict).to_contain_text("Berubah di server")
    expect(conflict.locator("tr.differs", has_text="Status")).to_contain_text("Perlu perbaikan")
    expect(conflict.locator("tr", has_text="Catatan")).to_contain_text("Rumah kosong")
    found.refresh_from_db()
    assert found.status == "diverifikasi" and found.verified_by == tksk_a

    # The verification sent again (its answer lost): still one verification.
    replayed = page.evaluate("""async () => {
        const item = (await PilarOutbox.items()).find(i => i.state === "terkirim");
        Object.assign(item, {state: "menunggu", done: 0});
        await PilarStore.put("outbox", item.id, item);
        await PilarOutbox.sendAll();
        return (await PilarOutbox.get(item.id)).state;
    }""")
    assert replayed == "terkirim"
    assert PpksEvent.objects.filter(record=found, action="verified").count() == 1

    # Keeping the device's input sends it over the server's version: Pilar's call, its message shown back.
    conflict.get_by_role("button", name="Kirim isian saya").click()
    refused = page.locator("#outbox li[data-state=ditolak]")
    expect(refused).to_contain_text("Hanya usulan berstatus diusulkan yang dapat diverifikasi.")
    changed.refresh_from_db()
    assert changed.status == "perlu_perbaikan"


def test_psm_records_a_home_visit_offline_and_it_arrives_once(live_server, psm_a, new_page):
    case = case_services.case_open(
        actor=psm_a,
        kelurahan=region(KEL_A),
        category=Category.objects.get(code="PPKS-09"),
        source=Case.Source.PSM_FINDING,
        summary="Lansia hidup sendiri.",
        subject_name="Ibu Siti",
        address="Jl. Ki Samaun No. 3",
    )
    visit = f"/lapangan/kasus/{case.pk}/kunjungan/"
    base = live_server.url
    page = new_page(360, 740)
    login(page, base, "psm.a")
    page.goto(f"{base}/lapangan/")
    wait_until_kept(page)
    expect(page.locator(f'section[data-list=cases] a[href="{visit}"]')).to_be_visible()
    kept(page, visit)

    page.context.set_offline(True)
    page.goto(f"{base}{visit}")
    page.get_by_label("Tanggal kunjungan").fill(date.today().isoformat())
    page.get_by_label("Yang berkunjung").fill("PSM Sukarasa dan ketua RT")
    page.get_by_label("Temuan").fill("Lansia sehat, makan dari tetangga")
    page.get_by_role("button", name="Simpan kunjungan").click()
    expect(page.locator("[data-field-state]")).to_have_attribute("data-state", "menunggu")

    send_outbox(page, base, 1)
    again = page.evaluate("""async () => {
        const item = (await PilarOutbox.items())[0];
        Object.assign(item, {state: "menunggu", done: 0});
        await PilarStore.put("outbox", item.id, item);
        await PilarOutbox.sendAll();
        return (await PilarOutbox.get(item.id)).state;
    }""")
    assert again == "terkirim"
    assert HomeVisit.objects.filter(case=case).count() == 1


def test_psm_chooses_the_person_of_a_proposal_offline_from_the_devices_list(live_server, psm_a, new_page):
    person = person_in(KEL_A, name="Mak Saodah")
    base = live_server.url
    page = new_page(360, 740)
    login(page, base, "psm.a")
    page.goto(f"{base}/lapangan/")
    wait_until_kept(page)
    expect(page.locator("section[data-list=persons]")).to_have_attribute("data-state", "fresh")
    kept(page, "/lapangan/usul/")

    page.context.set_offline(True)
    page.goto(f"{base}/lapangan/usul/")
    page.get_by_label("Cari nama di daftar perangkat").fill("saodah")
    page.locator(f'[data-pick="{person.pk}"]').click()
    expect(page.locator("[data-pick-chosen]")).to_contain_text("Mak Saodah")
    page.get_by_label("Kategori PPKS").select_option(HOMELESS)
    for _ in range(40):  # the draft is written on every change; reload once this one is on the device
        if page.evaluate(DRAFT_HAS, ["/lapangan/usul/", "category"]):
            break
        time.sleep(0.1)
    page.reload()  # the draft keeps the chosen person too
    expect(page.locator("[data-pick-chosen]")).to_contain_text("Mak Saodah")
    expect(page.get_by_label("Kategori PPKS")).to_have_value(HOMELESS)
    page.get_by_role("button", name="Kirim usulan").click()
    expect(page.locator("[data-field-state]")).to_have_attribute("data-state", "menunggu")

    send_outbox(page, base, 1)
    record = PpksRecord.objects.get(person=person)
    assert record.reported_by == psm_a and record.kelurahan.code == KEL_A
