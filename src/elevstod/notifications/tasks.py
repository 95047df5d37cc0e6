"""Background tasks (Django's tasks API through django-tasks). Each task is a thin call of an
idempotent function, so a task run twice, or also run by cron, does no harm."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_notifications() -> int:
    """Deliver every e-mail/SMS that is due; returns how many were sent."""
    from .delivery import deliver_due

    return deliver_due().sent
