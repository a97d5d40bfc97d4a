"""Done when: a person subscribes online in Chromium, staff records the payment and approves,
the person receives the certificate, and the register at that date shows the new holding."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from placette.accounts.models import User
from placette.lib.testing import pdf_text
from placette.membership import projections
from placette.membership.models_requests import RequestStatus, SubscriptionRequest
from placette.membership.tests.helpers import make_statutes
from placette.membership.tests.test_subscription_public import payment_settings


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_subscribes_online_and_staff_approves_up_to_the_register(page, live_server):
    make_statutes()
    payment_settings()
    User.objects.create_user(
        "equipe@test.fr", "mot-de-passe-solide", role="staff", display_name="Eric Equipe"
    )

    # 1. The person fills in the bulletin, no sign-in.
    page.goto("/souscrire/")
    page.get_by_role("heading", name=re.compile("Souscrire des parts sociales")).wait_for()
    page.fill("[name=first_name]", "Léa")
    page.fill("[name=last_name]", "Martin")
    page.fill("[name=email]", "lea.martin@exemple.fr")
    page.fill("[name=address_line1]", "3 rue des Tilleuls")
    page.fill("[name=postcode]", "26150")
    page.fill("[name=commune]", "Die")
    page.check("[name=tax_resident_fr]")
    page.select_option("[name=category]", label="Soutiens")
    page.fill("[name=shares]", "3")
    assert "300,00" in page.locator("#amount").inner_text()
    page.check("input[name=payment_method][value=transfer]")
    page.check("[name=consent_statutes]")
    page.check("[name=consent_risk]")
    page.check("[name=consent_data]")
    page.get_by_role("button", name="Envoyer mon bulletin de souscription").click()
    page.get_by_role(
        "heading", name=re.compile("votre bulletin de souscription est enregistré")
    ).wait_for()
    req = SubscriptionRequest.objects.get()
    assert req.reference in page.content()
    assert "FR7630006000011234567890189" in page.content()
    assert [m.subject for m in mail.outbox] == [f"Votre bulletin de souscription {req.reference}"]

    # 2. Staff signs in, records the transfer and approves.
    page.goto("/comptes/login/")
    page.fill("[name=login]", "equipe@test.fr")
    page.fill("[name=password]", "mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    page.goto("/gestion/societariat/demandes/?status=awaiting_payment")
    page.get_by_role("link", name=req.reference).click()
    page.get_by_role("heading", name=re.compile(f"Demande {req.reference}")).wait_for()
    page.fill("[name=amount]", "300,00")
    page.fill("[name=reference]", f"VIR MARTIN {req.reference}")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    page.get_by_text("Le paiement est enregistré.").wait_for()
    page.get_by_role("button", name="Approuver la souscription").click()
    page.get_by_text("Demande approuvée").wait_for()
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED

    # 3. The person receives the certificate.
    certificate = next(m for m in mail.outbox if "certificat" in m.subject.lower())
    assert certificate.to == ["lea.martin@exemple.fr"]
    text = pdf_text(certificate.attachments[0][1])
    assert "Léa MARTIN" in text and "300,00" in text

    # 4. The register at that date shows the new holding.
    today = timezone.localdate()
    page.goto(f"/gestion/societariat/registre/?date={today:%Y-%m-%d}")
    row = page.locator("tr", has_text="Léa MARTIN")
    row.first.wait_for()
    assert "Souscription" in row.first.inner_text()
    assert re.search(r"\b3\b", row.first.inner_text())
    row.first.get_by_role("link", name="Léa MARTIN").click()
    page.get_by_role("heading", name=re.compile("Léa MARTIN")).wait_for()
    assert projections.holding_of(req.contact, today).shares == 3
