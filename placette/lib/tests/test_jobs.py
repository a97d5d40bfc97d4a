"""Background jobs: lifecycle, progress, a worker's death, the progress page and its guard."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from placette.accounts.models import Role, User
from placette.lib import jobs
from placette.lib.jobs import JobResult, job_run, job_start, jobs_purge, jobs_recover
from placette.lib.models import Document, Job, JobStatus
from placette.lib.pdf import pdf_render
from placette.lib.testing import pdf_text
from placette.test import BaseTestCase

HERE = "placette.lib.tests.test_jobs"
calls: list[dict] = []


def counting_job(job: Job, *, steps: int, name: str = "bilan.txt") -> JobResult:
    """Three steps, each visible in the database while the job runs."""
    for step in range(1, steps + 1):
        job.progress(step, steps, f"Étape {step}")
        row = Job.objects.get(pk=job.pk)
        calls.append({"done": row.done, "total": row.total, "status": row.status})
    return JobResult(filename=name, content=b"contenu", content_type="text/plain", message="Prêt.")


def refused_job(job: Job) -> None:
    raise ValidationError("Les paramètres de l’année ne sont pas renseignés.")


def broken_job(job: Job) -> None:
    raise RuntimeError("division by zero somewhere")


def pdf_job(job: Job, *, pages: int) -> JobResult:
    breaks = mark_safe('<p style="break-after: page">…</p>' * (pages - 1))
    content = pdf_render(
        "pdf_base.html", {"coop_name": breaks}, progress=jobs.pdf_progress(job, pages=2)
    )
    return JobResult(filename="essai.pdf", content=content)


class JobTestCase(BaseTestCase):
    def setUp(self):
        calls.clear()

    def tearDown(self):
        for document in Document.objects.all():
            document.file.delete(save=False)

    def start(self, func: str = "counting_job", run: bool = True, **kwargs) -> Job:
        with self.captureOnCommitCallbacks(execute=run):
            job = job_start(
                kind="test.count",
                label="Bilan de test",
                actor=self.staff,
                func_path=f"{HERE}.{func}",
                kwargs=kwargs,
            )
        job.refresh_from_db()
        return job


class JobLifecycleTests(JobTestCase):
    def test_a_job_waits_for_the_commit_then_runs_with_visible_progress_and_keeps_its_file(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            queued = job_start(
                kind="test.count",
                label="Bilan",
                actor=self.staff,
                func_path=f"{HERE}.counting_job",
                kwargs={"steps": 3},
            )
        self.assertEqual(Job.objects.get(pk=queued.pk).status, JobStatus.QUEUED)
        self.assertEqual(calls, [])
        callbacks[0]()
        job = Job.objects.get(pk=queued.pk)
        self.assertEqual(
            calls,
            [
                {"done": 1, "total": 3, "status": "running"},
                {"done": 2, "total": 3, "status": "running"},
                {"done": 3, "total": 3, "status": "running"},
            ],
        )
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertEqual((job.done, job.total, job.percent, job.attempts), (3, 3, 100, 1))
        self.assertEqual(job.message, "Prêt.")
        self.assertEqual(job.started_by, self.staff)
        self.assertLessEqual(job.created_at, job.started_at)
        self.assertLessEqual(job.started_at, job.finished_at)
        self.assertEqual((job.result.name, job.result.size), ("bilan.txt", 7))
        self.assertEqual(job.result.uploaded_by, self.staff)
        self.assertEqual(job.result.read(), b"contenu")
        self.assertFalse(Path(job.result.file.path).is_relative_to(settings.MEDIA_ROOT))

    def test_a_job_runs_once_even_when_it_is_enqueued_twice(self):
        job = self.start(steps=1)
        self.assertEqual(job_run(job_id=job.pk), "skipped")
        self.assertEqual(len(calls), 1)

    def test_a_refused_job_fails_with_the_rules_french_message(self):
        job = self.start("refused_job")
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertEqual(job.message, "Les paramètres de l’année ne sont pas renseignés.")
        self.assertIsNone(job.result)
        self.assertFalse(Document.objects.exists())

    def test_an_unexpected_error_fails_with_a_plain_message_and_keeps_the_traceback_for_admins(
        self,
    ):
        with self.assertLogs("placette.lib.jobs", "ERROR"):
            job = self.start("broken_job")
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertNotIn("division", job.message)
        self.assertIn("erreur inattendue", job.message)
        self.assertIn("RuntimeError: division by zero", job.error)

    def test_only_functions_of_placette_can_be_run(self):
        with self.assertRaises(ValueError):
            job_start(kind="x", label="x", actor=None, func_path="os.system", kwargs={})
        with self.assertRaises(ValueError):
            job_start(kind="x", label="x", actor=None, func_path=f"{HERE}.missing", kwargs={})
        self.assertFalse(Job.objects.exists())

    def test_a_pdf_job_reports_each_page_laid_out(self):
        job = self.start("pdf_job", pages=3)
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertGreaterEqual(job.total, 3)
        self.assertEqual(job.done, job.total)
        self.assertIn("Page 3 /", pdf_text(job.result.read()))


class StuckJobTests(JobTestCase):
    def abandon(self, job: Job, minutes: int = 30) -> Job:
        """What a worker killed in the middle of the job leaves behind."""
        long_ago = timezone.now() - dt.timedelta(minutes=minutes)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, attempts=1, started_at=long_ago, heartbeat_at=long_ago
        )
        return Job.objects.get(pk=job.pk)

    def test_a_job_stuck_running_after_its_worker_died_is_detected_and_run_again(self):
        job = self.abandon(self.start(run=False, steps=2))
        Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
        self.assertTrue(job.is_stale())
        with self.captureOnCommitCallbacks(execute=True) as enqueued:
            self.assertEqual(jobs_recover(), 1)
        self.assertEqual(len(enqueued), 1)  # queued again once, not also as a waiting job
        job.refresh_from_db()
        self.assertEqual((job.status, job.attempts, job.done), (JobStatus.DONE, 2, 2))
        self.assertFalse(job.is_stale())

    def test_a_job_that_reported_progress_recently_is_not_stale(self):
        job = self.abandon(self.start(run=False, steps=2), minutes=1)
        self.assertFalse(job.is_stale())
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(jobs_recover(), 0)
        self.assertEqual(Job.objects.get(pk=job.pk).status, JobStatus.RUNNING)

    def test_the_late_answer_of_an_abandoned_run_is_ignored(self):
        job = self.abandon(self.start(run=False, steps=1))
        with self.captureOnCommitCallbacks(execute=True):
            jobs_recover()
        first = Job.objects.get(pk=job.pk)
        before = first.result_id
        # the first run (attempt 1) wakes up and answers
        job.attempts = 1
        with self.captureOnCommitCallbacks(execute=True):
            jobs._finish(
                job, status=JobStatus.DONE, outcome=JobResult(filename="tard.txt", content=b"x")
            )
        job.progress(1, 1, "Fini en retard")
        after = Job.objects.get(pk=job.pk)
        self.assertEqual((after.result_id, after.attempts, after.message), (before, 2, "Prêt."))
        self.assertEqual(list(Document.objects.values_list("name", flat=True)), ["bilan.txt"])

    def test_a_job_interrupted_three_times_is_marked_failed(self):
        job = self.abandon(self.start(run=False, steps=1))
        Job.objects.filter(pk=job.pk).update(attempts=jobs.MAX_ATTEMPTS)
        with self.captureOnCommitCallbacks(execute=True):
            jobs_recover()
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertIn("interrompu plusieurs fois", job.message)
        self.assertEqual(calls, [])

    def test_a_job_whose_enqueue_was_lost_is_enqueued_again(self):
        job = self.start(run=False, steps=1)
        Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
        with self.captureOnCommitCallbacks(execute=True):
            jobs_recover()
        self.assertEqual(Job.objects.get(pk=job.pk).status, JobStatus.DONE)

    def test_result_files_older_than_the_retention_are_deleted(self):
        job = self.start(steps=1)
        storage, name = job.result.file.storage, job.result.file.name
        self.assertEqual(jobs_purge(), 0)
        Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=31))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(jobs_purge(), 1)
        self.assertFalse(storage.exists(name))
        self.assertIsNone(Job.objects.get(pk=job.pk).result)
        self.assertFalse(Document.objects.exists())


class JobPageTests(JobTestCase):
    def test_the_progress_page_and_its_file_are_for_the_starter_and_the_staff_admins_only(self):
        job = self.start(steps=1)
        colleague = User.objects.create_user("collegue@test.fr", "x", role=Role.STAFF)
        urls = [reverse("jobs:detail", args=[job.pk]), reverse("jobs:download", args=[job.pk])]
        for url in urls:
            self.client.logout()
            self.assertRedirects(
                self.client.get(url), f"{reverse('account_login')}?next={url}", 302, 200
            )
            for persona in (self.member, self.board_member, self.activity_holder, colleague):
                self.login(persona)
                self.assertEqual(self.client.get(url).status_code, 403, f"{url} {persona}")
            for persona in (self.staff, self.staff_admin):
                self.login(persona)
                self.assertEqual(self.client.get(url).status_code, 200, f"{url} {persona}")
        retry = reverse("jobs:retry", args=[job.pk])
        self.login(colleague)
        self.assertEqual(self.client.post(retry).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(retry).status_code, 302)
        self.assertEqual(Job.objects.get(pk=job.pk).status, JobStatus.DONE)

    def test_a_jobs_file_is_not_readable_by_another_staff_member_through_the_documents_view(
        self,
    ):
        job = self.start(steps=1)
        url = job.result.get_absolute_url()
        colleague = User.objects.create_user("collegue@test.fr", "x", role=Role.STAFF)
        for persona in (colleague, self.member, self.board_member, self.activity_holder):
            self.login(persona)
            self.assertEqual(self.client.get(url).status_code, 404, persona)
        for persona in (self.staff, self.staff_admin):
            self.login(persona)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, persona)
            self.assertEqual(b"".join(response.streaming_content), b"contenu")

    def test_the_page_polls_while_the_job_runs_then_offers_the_file(self):
        job = self.start(run=False, steps=2)
        self.login(self.staff)
        url = reverse("jobs:detail", args=[job.pk])
        page = self.client.get(url)
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertContains(page, "En attente")
        self.assertContains(page, '<meta http-equiv="refresh"')  # without JavaScript
        self.assertNotContains(page, reverse("jobs:download", args=[job.pk]))
        job_run(job_id=job.pk)
        fragment = self.client.get(url, headers={"HX-Request": "true"})
        self.assertNotContains(fragment, "<html")
        self.assertNotContains(fragment, "hx-trigger")
        self.assertContains(fragment, reverse("jobs:download", args=[job.pk]))
        self.assertContains(fragment, "Télécharger bilan.txt (7")
        download = self.client.get(reverse("jobs:download", args=[job.pk]))
        self.assertEqual(b"".join(download.streaming_content), b"contenu")
        self.assertIn('attachment; filename="bilan.txt"', download["Content-Disposition"])

    def test_a_running_job_shows_how_far_it_is(self):
        job = self.start(run=False, steps=2)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, done=3, total=4, heartbeat_at=timezone.now(), attempts=1
        )
        self.login(self.staff)
        page = self.client.get(reverse("jobs:detail", args=[job.pk]))
        self.assertContains(page, 'aria-valuenow="75"')
        self.assertContains(page, "3 sur 4")

    def test_a_stuck_job_page_says_so_and_its_button_runs_it_again(self):
        job = self.start(run=False, steps=1)
        long_ago = timezone.now() - dt.timedelta(hours=1)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, attempts=1, heartbeat_at=long_ago
        )
        self.login(self.staff)
        page = self.client.get(reverse("jobs:detail", args=[job.pk]))
        self.assertContains(page, "ne donne plus signe de vie")
        self.assertNotContains(page, 'hx-trigger="every 1s"')
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("jobs:retry", args=[job.pk]), follow=True)
        self.assertContains(response, "Le travail est relancé.")
        self.assertEqual(Job.objects.get(pk=job.pk).status, JobStatus.DONE)

    def test_a_finished_job_cannot_be_run_again(self):
        job = self.start(steps=1)
        self.login(self.staff)
        response = self.client.post(reverse("jobs:retry", args=[job.pk]), follow=True)
        self.assertContains(response, "rien à relancer")
        self.assertEqual(len(calls), 1)

    def test_a_failed_job_shows_its_message_and_can_be_run_again(self):
        job = self.start("refused_job")
        self.login(self.staff)
        page = self.client.get(reverse("jobs:detail", args=[job.pk]))
        self.assertContains(page, "Les paramètres de l’année ne sont pas renseignés.")
        self.assertContains(page, reverse("jobs:retry", args=[job.pk]))
        self.assertEqual(self.client.get(reverse("jobs:download", args=[job.pk])).status_code, 404)
