import io
import random

import pytest

from placette.contacts.models import Contact
from placette.mailing import demo
from placette.mailing.models import Campaign, CampaignStatus, Segment, Suppression


@pytest.mark.django_db
def test_the_demo_imports_both_files_archives_three_issues_and_is_idempotent(client):
    demo.seed(random.Random("placette-mailing"), io.StringIO())
    state = (Contact.objects.count(), Segment.objects.count(), Suppression.objects.count())
    assert Campaign.objects.filter(status=CampaignStatus.SENT, archived=True).count() == 3
    assert Segment.objects.filter(name=demo.INVESTORS).exists()
    assert Contact.objects.filter(email_normalized="helene.brun@exemple.net").exists()  # Brevo
    assert Suppression.objects.filter(email_normalized="luc.perrin@exemple.org").exists()
    demo.seed(random.Random("placette-mailing"), io.StringIO())
    assert (Contact.objects.count(), Segment.objects.count(), Suppression.objects.count()) == state
    assert "La Panache n° 3" in client.get("/lettres/").content.decode()
