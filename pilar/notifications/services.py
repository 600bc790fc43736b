"""``notify()``: the one way any part of Pilar tells users that something needs them."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pilar.accounts.models import User
from pilar.notifications.mail import mail_queue
from pilar.notifications.models import Notification


def notify(*, recipients: Iterable[User | None], kind: str, title: str, url: str = "", body: str = "") -> int:
    """One in-app notification per distinct active recipient, and an email to those with an address.

    The email is queued in the outbox with the change and leaves after the transaction commits, so a
    rolled-back change never mails anyone, and a mail server that is down delays the email (retried by the
    task queue), never the change or the in-app notification.
    Returns the number of notifications created.
    """
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not users:
        return 0
    rows = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, title=title[:250], body=body, url=url) for user in users.values()
    )
    base = getattr(settings, "PILAR_BASE_URL", "").rstrip("/")
    for row in rows:
        if row.recipient.email:
            text = "\n\n".join(part for part in (body, f"{base}{url}" if url else "") if part)
            mail_queue(to=row.recipient.email, subject=f"[Pilar] {title}", body=text or title, notification=row)
    return len(rows)


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Marks one of the user's notifications (or all of them) read; returns how many changed."""
    rows = Notification.objects.for_user(user).unread()
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())
