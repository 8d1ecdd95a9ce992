"""Thin Celery tasks of the curriculum app."""

from __future__ import annotations

from celery import shared_task

from .services.leave_approval import leave_steps_pass_overdue


@shared_task(acks_late=True)
def pass_overdue_leave_steps() -> int:
    """Leave approval steps undecided past the camp's wait pass to staff."""
    return leave_steps_pass_overdue()
