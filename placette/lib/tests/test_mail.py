"""The one mail function: templates, one address rule, after commit, once, and its faults."""

import datetime as dt
from email import message_from_bytes

import pytest
from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

from placette.contacts.models import Affiliation
from placette.lib import mail as lib_mail
from placette.lib.mail import Attachment, mail_attachment, mail_resume, mail_send, message_deliver
from placette.lib.models import MessageStatus, OutgoingMessage
from placette.test import make_contact

LOGIN = "account/login_code"


@mail_attachment
def note_attachment(*, text: str) -> Attachment:
    note_attachment.calls += 1  # type: ignore[attr-defined]
    return Attachment(filename="note.txt", content=text.encode(), mimetype="text/plain")


note_attachment.calls = 0  # type: ignore[attr-defined]


class MailSendTests(TestCase):
    def test_a_message_goes_out_after_commit_with_its_text_and_inlined_html(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            message = mail_send(
                template=LOGIN, to_email="lea@exemple.fr", context={"code": "ABC-123"}, key="k1"
            )
        self.assertEqual(mail.outbox, [])  # nothing before the commit
        self.assertEqual(message.status, MessageStatus.QUEUED)
        for callback in callbacks:
            callback()
        [sent] = mail.outbox
        self.assertEqual(sent.to, ["lea@exemple.fr"])
        self.assertEqual(sent.subject, "Votre code de connexion à Placette")
        self.assertIn("ABC-123", sent.body)
        html = sent.alternatives[0][0]
        self.assertIn('style="', html)  # CSS inlined: mail clients drop <style>
        self.assertIn("ABC-123", html)
        self.assertTrue(sent.extra_headers["Message-ID"].startswith("<"))
        message.refresh_from_db()
        self.assertEqual(message.status, MessageStatus.SENT)
        self.assertIsNotNone(message.sent_at)
        self.assertEqual(message.attempts, 1)

    def test_a_key_already_used_sends_nothing_more(self):
        with self.captureOnCommitCallbacks(execute=True):
            first = mail_send(template=LOGIN, to_email="a@exemple.fr", context={}, key="once")
        with self.captureOnCommitCallbacks(execute=True):
            again = mail_send(template=LOGIN, to_email="a@exemple.fr", context={}, key="once")
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(message_deliver(message_id=first.pk), MessageStatus.SENT)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(OutgoingMessage.objects.count(), 1)

    def test_a_rolled_back_transaction_sends_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    mail_send(template=LOGIN, to_email="a@exemple.fr", context={}, key="rb")
                    raise RuntimeError("refus")
            except RuntimeError:
                pass
        self.assertEqual(mail.outbox, [])
        self.assertFalse(OutgoingMessage.objects.exists())

    def test_nothing_is_queued_for_a_contact_without_any_address(self):
        org = make_contact(kind="organisation", organisation_name="Café sans mail")
        self.assertIsNone(mail_send(template=LOGIN, to_contact=org, context={}, key="none"))
        self.assertFalse(OutgoingMessage.objects.exists())

    def test_a_pdf_like_attachment_is_produced_inside_the_task_not_when_queued(self):
        note_attachment.calls = 0
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            mail_send(
                template=LOGIN,
                to_email="a@exemple.fr",
                context={},
                key="att",
                attachments=[Attachment.later(note_attachment, text="bonjour")],
                headers={"List-Id": "<test.placette>"},
            )
        self.assertEqual(note_attachment.calls, 0)
        for callback in callbacks:
            callback()
        self.assertEqual(note_attachment.calls, 1)
        [sent] = mail.outbox
        self.assertEqual(sent.attachments[0][:2], ("note.txt", "bonjour"))
        self.assertEqual(sent.extra_headers["List-Id"], "<test.placette>")

    def test_only_declared_functions_can_produce_attachments(self):
        with self.assertRaises(ValueError):
            Attachment.later(print)

    def test_the_relay_is_never_called_inside_a_transaction(self):
        message = mail_send(template=LOGIN, to_email="a@exemple.fr", context={}, key="tx")
        with transaction.atomic():
            status = message_deliver(message_id=message.pk)
        self.assertEqual(status, MessageStatus.QUEUED)  # refused, kept for a later attempt
        self.assertEqual(mail.outbox, [])
        message.refresh_from_db()
        self.assertIn("transaction", message.error)

    def test_a_sign_in_code_is_not_kept_once_sent(self):
        with self.captureOnCommitCallbacks(execute=True):
            message = mail_send(
                template=LOGIN,
                to_email="a@exemple.fr",
                context={"code": "SECRET-1"},
                key="code",
                keep_body=False,
            )
        message.refresh_from_db()
        self.assertEqual(message.status, MessageStatus.SENT)
        self.assertNotIn("SECRET-1", message.body_text + message.body_html)
        self.assertIn("SECRET-1", mail.outbox[0].body)

    @override_settings(MAIL_CLAIM_TIMEOUT=60)
    def test_a_message_left_sending_by_a_dead_worker_is_taken_over_after_the_timeout(self):
        message = mail_send(template=LOGIN, to_email="a@exemple.fr", context={}, key="dead")
        OutgoingMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENDING, claimed_at=timezone.now(), attempts=1
        )
        # Another worker does not touch it while its claim is fresh…
        self.assertEqual(message_deliver(message_id=message.pk), MessageStatus.SENDING)
        self.assertEqual(mail_resume(), 0)
        # …and takes it over once the claim is older than the timeout.
        OutgoingMessage.objects.filter(pk=message.pk).update(
            claimed_at=timezone.now() - dt.timedelta(seconds=61)
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(mail_resume(), 1)
        self.assertEqual(len(mail.outbox), 1)
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (MessageStatus.SENT, 2))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(mail_resume(), 0)
        self.assertEqual(len(mail.outbox), 1)


class MailToTests(TestCase):
    def test_a_person_is_written_to_at_their_own_address(self):
        lea = make_contact(first_name="Léa", last_name="Martin", email="lea@exemple.fr")
        self.assertEqual(lea.mail_to, "lea@exemple.fr")
        self.assertEqual(make_contact(last_name="Sans", email="").mail_to, "")

    def test_an_organisation_without_address_is_written_to_through_its_first_person_with_one(self):
        org = make_contact(kind="organisation", organisation_name="Épicerie du Diois")
        no_mail = make_contact(first_name="Sans", last_name="Adresse", email="")
        first = make_contact(first_name="Léa", last_name="Gérante", email="lea@epicerie.fr")
        second = make_contact(first_name="Paul", last_name="Associé", email="paul@epicerie.fr")
        for person in (no_mail, first, second):
            Affiliation.objects.create(person=person, organisation=org, role="associé")
        self.assertEqual(org.mail_to, "lea@epicerie.fr")
        org.email = "contact@epicerie.fr"
        self.assertEqual(org.mail_to, "contact@epicerie.fr")


def _smtp(settings, server, port=None):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.hostname, "port": port or server.port, "timeout": 5},
        }
    }


@pytest.mark.django_db(transaction=True)
def test_an_address_refused_by_the_relay_is_recorded_and_the_others_are_sent(smtp_server, settings):
    _smtp(settings, smtp_server)
    smtp_server.refused.add("refus@exemple.fr")
    addresses = ["un@exemple.fr", "refus@exemple.fr", "trois@exemple.fr"]
    for n, address in enumerate(addresses):
        mail_send(template=LOGIN, to_email=address, context={"code": n}, key=f"batch:{n}")
    received = sorted(m["To"] for m in smtp_server.messages)
    assert received == ["trois@exemple.fr", "un@exemple.fr"]
    refused = OutgoingMessage.objects.get(to="refus@exemple.fr")
    assert refused.status == MessageStatus.FAILED
    assert not refused.retryable  # 550: retrying would not help
    assert "550" in refused.error
    assert OutgoingMessage.objects.filter(status=MessageStatus.SENT).count() == 2
    assert mail_resume(failed=True) == 0  # a refusal is not retried, even on demand


@pytest.mark.django_db(transaction=True)
def test_a_relay_that_is_down_keeps_the_messages_and_a_later_run_sends_each_once(
    smtp_server, settings
):
    from placette.lib.testing import free_port

    _smtp(settings, smtp_server, port=free_port())  # nothing listens there: the relay is down
    settings.MAIL_CLAIM_TIMEOUT = 0
    for n in range(3):
        mail_send(template=LOGIN, to_email=f"m{n}@exemple.fr", context={}, key=f"down:{n}")
    queued = OutgoingMessage.objects.filter(status=MessageStatus.QUEUED)
    assert queued.count() == 3
    assert all(m.attempts == 1 and "Connection" in m.error for m in queued)
    assert all(m.next_attempt_at > timezone.now() for m in queued)  # a later attempt is planned
    # After the last attempt the message is failed, still retryable.
    settings.MAIL_MAX_ATTEMPTS = 2
    OutgoingMessage.objects.update(next_attempt_at=timezone.now())
    assert mail_resume() == 3
    assert OutgoingMessage.objects.filter(status=MessageStatus.FAILED, retryable=True).count() == 3
    # The relay is back: a later run sends every message once, and a second run nothing.
    _smtp(settings, smtp_server)
    assert mail_resume(failed=True) == 3
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "m0@exemple.fr",
        "m1@exemple.fr",
        "m2@exemple.fr",
    ]
    assert mail_resume(failed=True) == 0
    assert len(smtp_server.messages) == 3
    assert OutgoingMessage.objects.filter(status=MessageStatus.SENT).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_message_id_stays_the_same_on_every_attempt(smtp_server, settings):
    _smtp(settings, smtp_server)
    message = mail_send(template=LOGIN, to_email="a@exemple.fr", context={}, key="mid")
    expected = lib_mail._email(message).extra_headers["Message-ID"]
    [received] = smtp_server.messages
    assert received["Message-ID"] == expected
    assert message_from_bytes(received.as_bytes())["Subject"]


def test_no_module_but_lib_mail_sends_an_email():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sending = re.compile(
        r"from django\.core\.mail import .*\b(send_mail|send_mass_mail|mail_admins|mail_managers"
        r"|EmailMessage|EmailMultiAlternatives|get_connection|mailers)\b"
        r"|from django\.core import mail\b|(?<!def )\bsend_mail\("
        r"|\bEmail(Message|MultiAlternatives)\("
    )
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.relative_to(root).as_posix() != "lib/mail.py"
        and sending.search(path.read_text())
    ]
    assert offenders == []
