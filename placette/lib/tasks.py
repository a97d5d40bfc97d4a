"""Background work of the kernel (Django's Tasks API; django-tasks-db worker in production)."""

from django.tasks import task


@task
def job_run_task(job_id: int) -> str:
    """Run one background job (`placette.lib.jobs`); a duplicate enqueue is a no-op."""
    from placette.lib.jobs import job_run

    return job_run(job_id=job_id)


@task
def mail_deliver_task(message_id: int) -> str:
    """Deliver one queued email (placette.lib.mail). Running it twice sends nothing more."""
    from placette.lib.mail import message_deliver, messages_reclaim

    status = message_deliver(message_id=message_id)
    # The next worker takes over what a killed one left « sending ».
    messages_reclaim()
    return status
