"""``notify()``: the one way any part of Pilar tells users that something needs them."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from pilar.accounts.models import User
from pilar.notifications.models import Notification


def notify(*, recipients: Iterable[User | None], kind: str, title: str, url: str = "", body: str = "") -> int:
    """One in-app notification per distinct active recipient, and an email to those with an address.

    The email goes out only after the surrounding transaction commits, so a rolled-back change never mails
    anyone; a mail server that is down loses the email, never the change or the in-app notification.
    Returns the number of notifications created.
    """
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not users:
        return 0
    rows = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, title=title[:250], body=body, url=url) for user in users.values()
    )
    mails = [(user.email, title, body, url) for user in users.values() if user.email]
    if mails:
        transaction.on_commit(lambda: _send(mails, [row.pk for row in rows if row.recipient.email]))
    return len(rows)


def _send(mails: list[tuple[str, str, str, str]], notification_ids: list[int]) -> None:
    base = getattr(settings, "PILAR_BASE_URL", "").rstrip("/")
    messages = []
    for address, title, body, url in mails:
        text = "\n\n".join(part for part in (body, f"{base}{url}" if url else "") if part)
        messages.append((f"[Pilar] {title}", text or title, settings.DEFAULT_FROM_EMAIL, [address]))
    send_mass_mail(messages, fail_silently=True)
    Notification.objects.filter(pk__in=notification_ids).update(emailed=True)


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Marks one of the user's notifications (or all of them) read; returns how many changed."""
    rows = Notification.objects.for_user(user).unread()
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())
