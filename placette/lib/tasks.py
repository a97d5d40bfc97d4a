"""Background work of the kernel (Django's Tasks API; django-tasks-db worker in production)."""

from django.tasks import task


@task
def job_run_task(job_id: int) -> str:
    """Run one background job (`placette.lib.jobs`); a duplicate enqueue is a no-op."""
    from placette.lib.jobs import job_run

    return job_run(job_id=job_id)
