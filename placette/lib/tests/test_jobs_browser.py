"""In Chromium: the progress page follows a background job by itself (htmx polling) and offers
its file as soon as the worker has finished, without a reload."""

from pathlib import Path

import pytest
from django.test import Client

from placette.accounts.models import Role, User
from placette.lib.jobs import job_run, job_start
from placette.lib.models import Document


def _session_cookie(user, live_server):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_progress_page_shows_the_file_when_the_worker_finishes(page, live_server, settings):
    # No worker: the job waits in the queue until the test runs it, as db_worker would.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    staff = User.objects.create_user("equipe@test.fr", None, role=Role.STAFF)
    job = job_start(
        kind="test.count",
        label="Bilan de test",
        actor=staff,
        func_path="placette.lib.tests.test_jobs.counting_job",
        kwargs={"steps": 2},
    )
    page.context.add_cookies([_session_cookie(staff, live_server)])
    page.goto(job.get_absolute_url())
    page.get_by_text("En attente d’un processus de fond").wait_for()
    page.wait_for_load_state("networkidle")
    try:
        job_run(job_id=job.pk)
        link = page.get_by_role("link", name="Télécharger bilan.txt")
        link.wait_for(timeout=15000)  # polled every second: no reload
        assert page.locator("[data-status]").inner_text() == "Terminé"
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == "bilan.txt"
        assert Path(download.value.path()).read_bytes() == b"contenu"
    finally:
        for document in Document.objects.all():
            document.file.delete(save=False)
