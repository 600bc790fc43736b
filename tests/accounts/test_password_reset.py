"""A forgotten password: a link by e-mail through the outbox, once, rate limited, audited, revealing nobody."""

import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from pilar.accounts.models import ApiToken
from pilar.audit.models import AuditEntry
from pilar.notifications.models import OutgoingMail
from tests.conftest import PASSWORD

RESET = reverse("password_reset")
NEW = "Kembang-Sepatu-Merah-2031"


@pytest.fixture
def with_mail(operator):
    operator.email = "operator@dinsos.example.go.id"
    operator.save(update_fields=["email"])
    return operator


def ask(client: Client, email: str):
    # Queued mail leaves when its transaction commits; inside a test's transaction, run those hooks here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(RESET, {"email": email})


def link_in(message: str) -> str:
    return re.search(r"https?://\S+/akun/sandi/atur/\S+/", message).group(0)


def test_the_login_page_offers_the_way_to_a_new_password(client, db):
    assert f'href="{RESET}"' in client.get(reverse("login")).content.decode()


def test_a_link_is_mailed_through_the_outbox_and_sets_a_new_password_once(with_mail, settings):
    settings.PILAR_BASE_URL = "https://pilar.dinsos.example.go.id"
    token = ApiToken.issue(with_mail)
    answer = ask(Client(), "OPERATOR@dinsos.example.go.id")
    assert answer.status_code == 302 and answer.url == reverse("password_reset_done")
    queued = OutgoingMail.objects.get()
    assert queued.to == with_mail.email and queued.state == OutgoingMail.State.SENT  # the immediate task queue
    assert len(mail.outbox) == 1 and "operator" in mail.outbox[0].body
    link = link_in(mail.outbox[0].body)
    assert link.startswith("https://pilar.dinsos.example.go.id/akun/sandi/atur/")

    browser = Client()
    form_page = browser.get(link.removeprefix(settings.PILAR_BASE_URL), follow=True)
    assert "Buat kata sandi baru" in form_page.content.decode()
    done = browser.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    with_mail.refresh_from_db()
    assert with_mail.check_password(NEW) and not with_mail.must_change_password
    assert ApiToken.objects.valid().filter(pk=ApiToken.objects.get(key_hash=ApiToken.hash(token)).pk).count() == 0
    assert AuditEntry.objects.filter(action="accounts.password_reset.completed", object_id=str(with_mail.pk)).exists()

    again = Client().get(link.removeprefix(settings.PILAR_BASE_URL), follow=True)
    assert "Tautan ini tidak berlaku lagi" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(with_mail):
    answer = ask(Client(), "siapa.saja@example.com")
    assert answer.status_code == 302 and answer.url == reverse("password_reset_done")
    assert not OutgoingMail.objects.exists() and not mail.outbox
    entry = AuditEntry.objects.get(action="accounts.password_reset.requested")
    assert entry.data["accounts"] == 0 and "siapa.saja" not in str(entry.data)  # only a keyed hash of it


def test_a_deactivated_account_gets_no_link(with_mail):
    with_mail.is_active = False
    with_mail.save(update_fields=["is_active"])
    assert ask(Client(), with_mail.email).status_code == 302
    assert not mail.outbox


def test_a_weak_new_password_is_refused_with_an_indonesian_message(with_mail):
    ask(Client(), with_mail.email)
    browser = Client()
    form_page = browser.get(link_in(mail.outbox[0].body).split("testserver", 1)[-1], follow=True)
    answer = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Tangerang1", "new_password2": "Tangerang1"}
    )
    assert answer.status_code == 200 and "setidaknya 12 karakter" in answer.content.decode()
    with_mail.refresh_from_db()
    assert with_mail.check_password(PASSWORD)


def test_one_typed_address_gets_at_most_three_links_an_hour(with_mail):
    for number in range(3):
        assert ask(Client(REMOTE_ADDR=f"10.3.3.{number}"), with_mail.email).status_code == 302
    refused = ask(Client(REMOTE_ADDR="10.3.3.9"), with_mail.email)
    assert refused.status_code == 429 and "sudah beberapa kali dikirim" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_one_client_asking_for_many_addresses_is_throttled(with_mail, settings):
    settings.PILAR_PASSWORD_RESET_ADDRESS_LIMIT = 4
    guesser = Client(REMOTE_ADDR="203.0.113.20")
    for number in range(4):
        assert ask(guesser, f"tebakan{number}@example.com").status_code == 302
    refused = ask(guesser, with_mail.email)
    assert refused.status_code == 429 and "dari alamat Anda" in refused.content.decode()
    assert not mail.outbox  # the real address was not reached either
    assert ask(Client(REMOTE_ADDR="10.3.4.1"), with_mail.email).status_code == 302


def test_a_malformed_address_is_refused_on_the_field(db):
    answer = ask(Client(), "bukan-surel")
    assert answer.status_code == 400 and "Alamat surel tidak valid." in answer.content.decode()


def test_the_admin_sends_a_reset_link_from_the_account_page(client, admin_user, with_mail):
    client.force_login(admin_user)
    detail = client.get(reverse("accounts:detail", args=[with_mail.pk])).content.decode()
    assert 'value="send_reset_link"' in detail
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post(
            reverse("accounts:action", args=[with_mail.pk]), {"action": "send_reset_link"}, follow=True
        )
    assert "Tautan atur ulang kata sandi dikirim" in answer.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [with_mail.email]
    sent = AuditEntry.objects.get(action="accounts.password_reset.sent")
    assert sent.actor_id == admin_user.pk and sent.object_id == str(with_mail.pk)
