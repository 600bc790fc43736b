import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from pilar.notifications.models import Notification
from pilar.notifications.services import notify

LIST = reverse("notifications:list")


def test_notify_creates_one_notification_per_distinct_active_recipient(psm_a, psm_b, tksk_a):
    tksk_a.is_active = False
    tksk_a.save()
    created = notify(recipients=[psm_a, psm_a, None, psm_b, tksk_a], kind="cases.assigned", title="Kasus baru")
    assert created == 2
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["psm.a", "psm.b"]


@pytest.mark.django_db(transaction=True)
def test_the_email_goes_out_only_after_the_change_commits(psm_a, psm_b):
    psm_a.email, psm_b.email = "a@contoh.id", ""
    psm_a.save()
    psm_b.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[psm_a], kind="x", title="Dibatalkan")
        raise RuntimeError
    assert mail.outbox == [] and not Notification.objects.exists()
    with transaction.atomic():
        notify(recipients=[psm_a, psm_b], kind="cases.assigned", title="Kasus baru", url="/kasus/1/", body="Isi")
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["a@contoh.id"]]
    assert mail.outbox[0].subject == "[Pilar] Kasus baru" and "/kasus/1/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=psm_a).emailed
    assert not Notification.objects.get(recipient=psm_b).emailed


def test_the_list_needs_a_login(client, city):
    answer = client.get(LIST)
    assert answer.status_code == 302 and reverse("login") in answer.url


def test_a_user_sees_only_their_own_notifications_and_the_unread_badge(client, psm_a, psm_b):
    notify(recipients=[psm_a], kind="x", title="Untuk A")
    notify(recipients=[psm_b], kind="x", title="Untuk B")
    client.force_login(psm_a)
    body = client.get(LIST).content.decode()
    assert "Untuk A" in body and "Untuk B" not in body
    assert '<span class="badge"' in body


def test_opening_a_notification_marks_it_read_and_follows_only_local_links(client, psm_a, psm_b):
    notify(recipients=[psm_a], kind="x", title="Lokal", url="/registri/")
    notify(recipients=[psm_a], kind="x", title="Asing", url="https://contoh.invalid/")
    notify(recipients=[psm_b], kind="x", title="Milik B", url="/registri/")
    local, foreign = (Notification.objects.get(title=t) for t in ("Lokal", "Asing"))
    client.force_login(psm_a)
    assert client.post(reverse("notifications:open", args=[local.pk])).url == "/registri/"
    assert client.post(reverse("notifications:open", args=[foreign.pk])).url == LIST
    others = Notification.objects.get(title="Milik B")
    client.post(reverse("notifications:open", args=[others.pk]))
    local.refresh_from_db()
    others.refresh_from_db()
    assert local.read_at is not None and others.read_at is None


def test_mark_all_read_touches_only_the_users_own(client, psm_a, psm_b):
    notify(recipients=[psm_a, psm_b], kind="x", title="Dua")
    client.force_login(psm_a)
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.unread().get().recipient == psm_b
    assert "Tidak ada notifikasi." in client.get(LIST + "?belum=1").content.decode()
