"""The outbox: every email is a row first, then sent by the task queue, retried with back-off when it fails.

A failed send is logged (with the server's answer, not the message), kept for the admin to see on the
operations page, and tried again by the ``retry-mail`` job: after 5, 10, 20 minutes … up to 6 hours apart,
at most ``MAX_ATTEMPTS`` times.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from pilar.notifications.models import Notification, OutgoingMail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def mail_queue(*, to: str, subject: str, body: str, notification: Notification | None = None) -> OutgoingMail:
    """Queue one email; it leaves after the surrounding transaction commits."""
    mail = OutgoingMail.objects.create(to=to, subject=subject[:300], body=body, notification=notification)
    transaction.on_commit(lambda: deliver_mail.enqueue(mail.pk))
    return mail


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=5) * 2 ** (attempts - 1), timedelta(hours=6))


def mail_deliver(mail_id: int) -> bool:
    """Try one pending email once; returns whether it left."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id, state=OutgoingMail.State.PENDING).first()
        if mail is None:
            return False  # sent or given up meanwhile (two workers, or a retry racing the first try)
        mail.attempts += 1
        try:
            EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to]).send()
        except (smtplib.SMTPException, OSError) as exc:
            mail.last_error = f"{type(exc).__name__}: {exc}"[:500]
            mail.state = OutgoingMail.State.FAILED if mail.attempts >= MAX_ATTEMPTS else OutgoingMail.State.PENDING
            mail.next_attempt_at = timezone.now() + _backoff(mail.attempts)
            log.warning(
                "email %s to recipient #%s failed (attempt %s): %s",
                mail.pk,
                mail.notification_id,
                mail.attempts,
                mail.last_error,
            )
            mail.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            return False
        mail.state, mail.sent_at, mail.last_error = OutgoingMail.State.SENT, timezone.now(), ""
        mail.save(update_fields=["attempts", "state", "sent_at", "last_error"])
        if mail.notification_id:
            Notification.objects.filter(pk=mail.notification_id).update(emailed=True)
        return True


@task()
def deliver_mail(mail_id: int) -> bool:
    return mail_deliver(mail_id)


def mail_retry_due() -> int:
    """Enqueue every pending email whose retry time has come; returns how many."""
    due = OutgoingMail.objects.filter(state=OutgoingMail.State.PENDING, next_attempt_at__lte=timezone.now())
    ids = list(due.values_list("pk", flat=True)[:500])
    for mail_id in ids:
        deliver_mail.enqueue(mail_id)
    return len(ids)
