"""Public sign-up with double opt-in, the preferences page, the suppression list."""

import re
from email import message_from_bytes, policy

import pytest
from django.test import Client

from placette.contacts.models import ConsentRecord, ConsentSource, Contact
from placette.contacts.services import consent_of
from placette.mailing.models import PreferenceKey, Signup, Suppression, SuppressionReason
from placette.mailing.services import preference_key_get, suppression_add
from placette.mailing.suppression import suppressed_reason
from placette.mailing.tests.helpers import NEWSLETTER, smtp, subscriber

FORM = {
    "email": "Nouvelle@Exemple.fr",
    "first_name": "Nina",
    "last_name": "Nouvelle",
    f"purpose_{NEWSLETTER}": "on",
}


def _confirm_link(server) -> str:
    [message] = [message_from_bytes(m.as_bytes(), policy=policy.default) for m in server.messages]
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https://placette\.example(/lettres/inscription/confirmer/\S+/)", text)[1]


@pytest.mark.django_db(transaction=True)
def test_a_sign_up_consents_only_once_the_emailed_link_is_confirmed_with_its_proof(
    smtp_server, settings
):
    smtp(settings, smtp_server)
    client = Client(HTTP_USER_AGENT="Navigateur de test")
    page = client.get("/lettres/inscription/")
    assert 'type="checkbox"' in page.content.decode() and "checked" not in page.content.decode()
    response = client.post("/lettres/inscription/", FORM, REMOTE_ADDR="203.0.113.9")
    assert "Plus qu’une étape" in response.content.decode()
    assert not Contact.objects.filter(email_normalized="nouvelle@exemple.fr").exists()
    link = _confirm_link(smtp_server)
    assert client.get(link).status_code == 200  # a GET (a link scanner) confirms nothing
    assert not ConsentRecord.objects.exists()
    response = client.post(link, REMOTE_ADDR="203.0.113.10")
    assert response.status_code == 302
    contact = Contact.objects.get(email_normalized="nouvelle@exemple.fr")
    assert consent_of(contact, NEWSLETTER)
    record = ConsentRecord.objects.get(contact=contact)
    assert record.source == ConsentSource.WEB_FORM
    assert "double opt-in" in record.source_detail and "203.0.113.9" in record.source_detail
    assert record.ip == "203.0.113.10" and record.user_agent == "Navigateur de test"
    assert record.text == contact.consents.get().purpose.consent_text
    # Confirming again records nothing more.
    client.post(link)
    assert ConsentRecord.objects.filter(contact=contact).count() == 1
    assert Signup.objects.get().confirmed_at is not None


@pytest.mark.django_db
def test_a_malformed_address_is_refused_and_nothing_is_written(client):
    response = client.post("/lettres/inscription/", {**FORM, "email": "nina@@exemple"})
    assert response.status_code == 200
    assert "adresse e-mail valide" in response.content.decode()
    assert not Signup.objects.exists()


@pytest.mark.django_db
def test_a_sign_up_without_any_box_ticked_is_refused(client):
    data = {k: v for k, v in FORM.items() if not k.startswith("purpose_")}
    response = client.post("/lettres/inscription/", data)
    assert "Cochez au moins une lettre" in response.content.decode()
    assert not Signup.objects.exists()


@pytest.mark.django_db
def test_an_unknown_confirmation_link_is_refused(client):
    response = client.post("/lettres/inscription/confirmer/inconnu/")
    assert response.status_code == 404
    assert not ConsentRecord.objects.exists()


@pytest.mark.django_db
def test_the_preferences_page_changes_each_purpose_in_one_click(client):
    person = subscriber(1)
    token = preference_key_get(person).token
    page = client.get(f"/lettres/preferences/{token}/")
    assert "Ce que vous recevez de nous" in page.content.decode()
    client.post(f"/lettres/preferences/{token}/", {"purpose": NEWSLETTER, "given": "0"})
    assert not consent_of(person, NEWSLETTER)
    client.post(f"/lettres/preferences/{token}/", {"purpose": "coop-news", "given": "1"})
    assert consent_of(person, "coop-news")
    client.post(f"/lettres/preferences/{token}/", {"stop_all": "1"})
    assert not consent_of(person, "coop-news")
    assert suppressed_reason(person.email) == str(SuppressionReason.UNSUBSCRIBED.label)
    # Asking again lifts a suppression the person chose, never a complaint.
    client.post(f"/lettres/preferences/{token}/", {"purpose": NEWSLETTER, "given": "1"})
    assert consent_of(person, NEWSLETTER) and suppressed_reason(person.email) == ""


@pytest.mark.django_db
def test_a_complaint_is_not_lifted_from_the_preferences_page(client):
    person = subscriber(1, consent=False)
    suppression_add(email=person.email, reason=SuppressionReason.COMPLAINT)
    token = preference_key_get(person).token
    response = client.post(
        f"/lettres/preferences/{token}/", {"purpose": NEWSLETTER, "given": "1"}, follow=True
    )
    assert "ne reçoit plus nos lettres" in response.content.decode()
    assert not consent_of(person, NEWSLETTER)


@pytest.mark.django_db
def test_a_forged_preferences_token_shows_nothing_and_changes_nothing(client):
    subscriber(1)
    assert PreferenceKey.objects.count() == 0
    response = client.post("/lettres/preferences/devine/", {"stop_all": "1"})
    assert response.status_code == 404
    assert not Suppression.objects.exists()


@pytest.mark.django_db
def test_the_suppression_list_ignores_case_and_keeps_one_active_entry_per_address():
    first = suppression_add(email="Tom@Exemple.fr", reason=SuppressionReason.HARD_BOUNCE)
    again = suppression_add(email="tom@exemple.fr", reason=SuppressionReason.COMPLAINT)
    assert first.pk == again.pk and again.reason == SuppressionReason.HARD_BOUNCE
    assert suppressed_reason(" TOM@exemple.fr ") != ""
