"""Background tasks of the core module and the after-commit enqueue helper."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task


def enqueue_after_commit(task_obj, *args, **kwargs) -> None:
    """Queue a task once the current transaction commits; nothing is queued if it rolls back."""
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))


@task()
def send_notification_email(notification_id: int) -> str:
    from shuangchuang.core.models import Notification

    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return "skipped"
    if not notification.recipient.email:
        return "no-address"
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{notification.url}"
    send_mail(notification.subject, body, None, [notification.recipient.email])
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return "sent"
