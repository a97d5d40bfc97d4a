"""A newsletter sent for real to a local SMTP server (aiosmtpd), read back with `email`."""

import datetime as dt
from collections import Counter
from email import message_from_bytes, policy
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from placette.contacts.models import ConsentRecord, ConsentSource
from placette.contacts.services import consent_of
from placette.lib.jobs import jobs_recover
from placette.lib.mail import mail_send
from placette.lib.models import Job, JobStatus, OutgoingMessage
from placette.lib.refusals import Refusal
from placette.mailing import sending
from placette.mailing.models import CampaignStatus, Delivery, SuppressionReason
from placette.mailing.services import suppression_add
from placette.mailing.tests.helpers import NEWSLETTER, campaign, segment, smtp, subscriber


def _parsed(server):
    return [message_from_bytes(m.as_bytes(), policy=policy.default) for m in server.messages]


def _parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


@pytest.mark.django_db(transaction=True)
def test_a_campaign_reaches_each_consenting_recipient_once_with_the_list_headers(
    smtp_server, settings
):
    smtp(settings, smtp_server)
    first = subscriber(1, first_name="Léa")
    subscriber(2)
    subscriber(3, consent=False)  # no consent: not a recipient
    suppressed = subscriber(4)
    suppression_add(email=suppressed.email, reason=SuppressionReason.COMPLAINT)
    c = campaign(segment())
    job = sending.campaign_send_start(actor=None, campaign=c)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    messages = _parsed(smtp_server)
    assert sorted(m["To"] for m in messages) == ["abonne1@exemple.fr", "abonne2@exemple.fr"]
    lea = next(m for m in messages if m["To"] == first.email)
    delivery = Delivery.objects.get(campaign=c, contact=first)
    assert lea["Subject"] == "La Panache n° 12"
    unsubscribe = lea["List-Unsubscribe"]
    assert f"<https://placette.example/lettres/desinscription/{delivery.token}/>" in unsubscribe
    assert "<mailto:" in unsubscribe and delivery.token in unsubscribe
    assert lea["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert lea["List-Id"] == "La Panache <investor-newsletter.placette.local>"
    text, html = _parts(lea)
    assert "Bonjour Léa," in html, html
    assert "Bonjour Léa," in text
    assert "<strong>les nouvelles</strong>" in html
    assert 'style="' in html  # CSS inlined
    assert "*|" not in html and "*|" not in text  # every merge tag replaced
    assert f"/lettres/preferences/{delivery.token}/" in html
    assert "nos lieux (https://exemple.fr)" in text
    c.refresh_from_db()
    assert c.status == CampaignStatus.SENT and c.recipients_count == 2
    stats = sending.campaign_stats(c)
    assert stats["sent"] == 2 and stats["failed"] == 0 and stats["recipients"] == 2


@pytest.mark.django_db(transaction=True)
def test_the_one_click_post_unsubscribes_at_once_and_the_next_campaign_skips_the_person(
    smtp_server, settings
):
    smtp(settings, smtp_server)
    person = subscriber(1)
    subscriber(2)
    seg = segment()
    sending.campaign_send_start(actor=None, campaign=campaign(seg))
    delivery = Delivery.objects.get(contact=person)
    client = Client(enforce_csrf_checks=True)  # a mail client has no cookie nor CSRF token
    response = client.post(
        f"/lettres/desinscription/{delivery.token}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not consent_of(person, NEWSLETTER)
    record = ConsentRecord.objects.filter(contact=person, given=False).get()
    assert record.source == ConsentSource.UNSUBSCRIBE
    # Replayed: nothing more is recorded.
    client.post(
        f"/lettres/desinscription/{delivery.token}/", data={"List-Unsubscribe": "One-Click"}
    )
    assert ConsentRecord.objects.filter(contact=person, given=False).count() == 1
    delivery.refresh_from_db()
    assert delivery.unsubscribed_at is not None
    # A GET shows the preferences, and changes nothing.
    page = client.get(f"/lettres/desinscription/{delivery.token}/")
    assert "Ce que vous recevez de nous" in page.content.decode()
    smtp_server.messages.clear()
    sending.campaign_send_start(actor=None, campaign=campaign(seg, subject="La Panache n° 13"))
    assert [m["To"] for m in smtp_server.messages] == ["abonne2@exemple.fr"]


@pytest.mark.django_db(transaction=True)
def test_a_forged_unsubscribe_token_changes_nothing(smtp_server, settings):
    smtp(settings, smtp_server)
    person = subscriber(1)
    before = ConsentRecord.objects.count()
    response = Client().post("/lettres/desinscription/forge-AAAAAAAAAAAAAAAAAAAA/")
    assert response.status_code == 404
    assert "Ce lien n’est pas reconnu" in response.content.decode()
    assert ConsentRecord.objects.count() == before and consent_of(person, NEWSLETTER)


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing catches it on the way out."""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_then_recovered_mails_everybody_exactly_once(
    smtp_server, settings, monkeypatch
):
    smtp(settings, smtp_server)
    for n in range(7):
        subscriber(n)
    monkeypatch.setattr(sending, "BATCH_SIZE", 2)
    real = sending.mail_send
    calls = {"n": 0}

    def dying(**kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # in the second batch, after the first batch went out
            raise WorkerKilled
        return real(**kwargs)

    c = campaign(segment())
    # (the immediate task backend swallows the kill, as the worker's death ends the task)
    with mock.patch.object(sending, "mail_send", side_effect=dying):
        sending.campaign_send_start(actor=None, campaign=c)
    assert len(smtp_server.messages) == 2  # the first batch only
    job = Job.objects.get(kind="mailing.campaign.send")
    assert job.status == JobStatus.RUNNING  # as a killed worker leaves it
    # The periodic recovery takes the job over; the second run resumes from pending rows.
    assert jobs_recover(now=timezone.now() + dt.timedelta(hours=1)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    received = Counter(m["To"] for m in smtp_server.messages)
    assert len(received) == 7 and set(received.values()) == {1}
    assert OutgoingMessage.objects.filter(kind="mailing.campaign").count() == 7
    # Running it again (a duplicate task) sends nothing more.
    sending.campaign_deliver(job, campaign_id=c.pk)
    assert len(smtp_server.messages) == 7


@pytest.mark.django_db(transaction=True)
def test_sending_to_an_empty_segment_is_refused_and_nothing_changes(smtp_server, settings):
    smtp(settings, smtp_server)
    subscriber(1, consent=False)
    c = campaign(segment())
    with pytest.raises(Refusal) as refused:
        sending.campaign_send_start(actor=None, campaign=c)
    assert "ne compte aucun destinataire" in str(refused.value)
    c.refresh_from_db()
    assert c.status == CampaignStatus.DRAFT
    assert not Delivery.objects.exists() and not Job.objects.exists()
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_a_sent_campaign_cannot_be_edited_and_is_duplicated_instead(smtp_server, settings):
    smtp(settings, smtp_server)
    subscriber(1)
    c = campaign(segment())
    sending.campaign_send_start(actor=None, campaign=c)
    c.refresh_from_db()
    with pytest.raises(Refusal) as refused:
        sending.campaign_update(actor=None, campaign=c, data={"subject": "Autre"})
    assert "ne se modifie plus" in str(refused.value)
    with pytest.raises(Refusal):
        sending.block_add(actor=None, campaign=c, kind="text")
    c.refresh_from_db()
    assert c.subject == "La Panache n° 12" and len(c.blocks) == 5
    copy = sending.campaign_duplicate(actor=None, campaign=c)
    assert copy.status == CampaignStatus.DRAFT and copy.blocks == c.blocks


@pytest.mark.django_db(transaction=True)
def test_the_kernel_refuses_a_non_transactional_email_to_a_suppressed_address(
    smtp_server, settings
):
    smtp(settings, smtp_server)
    suppression_add(email="Parti@Exemple.fr", reason=SuppressionReason.UNSUBSCRIBED)
    template = "mailing/signup_confirm"
    context = {"labels": [], "confirm_url": "x"}
    assert (
        mail_send(
            template=template,
            key="a",
            to_email="parti@exemple.fr",
            context=context,
            transactional=False,
        )
        is None
    )
    # Relationship mail (a convocation, a sign-in code) still goes.
    assert mail_send(template=template, key="b", to_email="parti@exemple.fr", context=context)
    assert [m["To"] for m in smtp_server.messages] == ["parti@exemple.fr"]


@pytest.mark.django_db(transaction=True)
def test_a_test_send_goes_to_oneself_only_marked_as_a_test(smtp_server, settings):
    smtp(settings, smtp_server)
    subscriber(1, first_name="Léa")
    c = campaign(segment())
    sending.campaign_test_send(actor=None, campaign=c, to="moi@placette.example")
    [message] = _parsed(smtp_server)
    assert message["To"] == "moi@placette.example"
    assert message["Subject"] == "[Essai] La Panache n° 12"
    assert message["X-Placette-Essai"] == "1"
    assert "Bonjour Léa," in _parts(message)[1]
    assert not Delivery.objects.exists()
