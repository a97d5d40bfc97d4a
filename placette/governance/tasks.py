"""Background work of governance (Django Tasks API; django-tasks-db worker in production)."""

from django.tasks import task


@task
def convocations_send_task(meeting_id: int, reminder: bool = False) -> int:
    """Send the pending email convocations (or reminders) of a meeting. Idempotent and
    resumable: each recipient is marked sent on its own, so a re-run skips them."""
    from placette.governance.models import Meeting
    from placette.governance.services import convocations_send

    meeting = Meeting.objects.get(pk=meeting_id)
    return convocations_send(meeting=meeting, reminder=reminder)
