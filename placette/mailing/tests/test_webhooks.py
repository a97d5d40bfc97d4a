"""Brevo's signed tracking webhook (django-anymail) feeds the suppression list."""

import base64
import json
import time

import pytest

from placette.mailing.models import MailEvent, SuppressionReason
from placette.mailing.suppression import suppression_of

URL = "/lettres/webhooks/brevo/"
NOW_MS = int(time.time() * 1000)


def _post(client, payload, auth="relais:secret-partage"):
    headers = {}
    if auth:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return client.post(URL, json.dumps(payload), content_type="application/json", **headers)


@pytest.fixture
def secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "relais:secret-partage"}


def _event(kind, email="rejet@exemple.fr", n=1):
    return {"event": kind, "email": email, "id": n, "ts_epoch": NOW_MS - n, "reason": "550"}


@pytest.mark.django_db
def test_a_webhook_without_the_shared_secret_is_refused_and_changes_nothing(client, secret):
    response = _post(client, _event("hard_bounce"), auth="intrus:mauvais")
    assert response.status_code in (400, 403)
    response = _post(client, _event("hard_bounce"), auth="")
    assert response.status_code in (400, 403)
    assert not MailEvent.objects.exists() and suppression_of("rejet@exemple.fr") is None


@pytest.mark.django_db
def test_without_a_configured_secret_the_webhook_does_not_exist(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}
    assert _post(client, _event("hard_bounce")).status_code == 404
    assert not MailEvent.objects.exists()


@pytest.mark.django_db
def test_a_hard_bounce_or_a_complaint_suppresses_the_address_once(client, secret):
    assert _post(client, _event("hard_bounce")).status_code == 200
    assert _post(client, _event("hard_bounce")).status_code == 200  # delivered twice
    assert MailEvent.objects.count() == 1
    assert suppression_of("rejet@exemple.fr").reason == SuppressionReason.HARD_BOUNCE
    _post(client, _event("spam", email="plainte@exemple.fr", n=2))
    assert suppression_of("plainte@exemple.fr").reason == SuppressionReason.COMPLAINT


@pytest.mark.django_db
def test_soft_bounces_suppress_only_past_the_threshold(client, secret, settings):
    settings.MAILING_SOFT_BOUNCE_LIMIT = 3
    for n in (1, 2):
        _post(client, _event("soft_bounce", email="pleine@exemple.fr", n=n))
    assert suppression_of("pleine@exemple.fr") is None
    _post(client, _event("soft_bounce", email="pleine@exemple.fr", n=3))
    assert suppression_of("pleine@exemple.fr").reason == SuppressionReason.SOFT_BOUNCE
