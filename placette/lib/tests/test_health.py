import datetime as dt
from unittest import mock

from django.test import TestCase
from django.utils import timezone


class HealthTests(TestCase):
    def test_the_health_endpoint_answers_ok_without_sign_in_and_reveals_no_data(self):
        response = self.client.get("/sante/")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(set(body), {"status", "database", "cache", "oldest_waiting_task_seconds"})
        self.assertIn("no-cache", response["Cache-Control"])

    def test_a_database_that_does_not_answer_is_a_503(self):
        with mock.patch("placette.lib.health._database", return_value=False):
            response = self.client.get("/sante/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "error")

    def test_a_stalled_task_queue_shows_the_age_of_its_oldest_waiting_task(self):
        from django_tasks_db.models import DBTaskResult

        task = DBTaskResult.objects.create(
            status="READY",
            args_kwargs={"args": [], "kwargs": {}},
            task_path="placette.lib.tasks.nothing",
            queue_name="default",
            backend_name="default",
            priority=0,
        )
        DBTaskResult.objects.filter(pk=task.pk).update(
            enqueued_at=timezone.now() - dt.timedelta(minutes=10)
        )
        age = self.client.get("/sante/").json()["oldest_waiting_task_seconds"]
        self.assertGreaterEqual(age, 600)
