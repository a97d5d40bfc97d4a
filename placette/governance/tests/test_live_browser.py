"""Issue 11 in Chromium: a member checks in by the QR link of their convocation, the chair
opens a resolution, two members vote from their (simulated) phones — one present, one remote —
a proxy holder votes for two givers, and the projector shows the live college-weighted result.

Colleges as in example 1 (A 2/5, B 1/4, C 1/4, D 1/10). Alice (A) yes; Carla (C) yes for
herself, yes for Bruno (B) and no for Berthe (B), whose proxies she holds; Cyril (C, remote)
no. A 1/0 → 1; B 1/1 → 1/2; C 1/1 → 1/2; D empty (redistributed):
(2/5 · 1 + 1/4 · 1/2 + 1/4 · 1/2) / (9/10) = (26/40) / (9/10) = 13/18 (about 72.22 %).
"""

import io
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from placette.accounts.models import User
from placette.contacts.models import TimelineEntry
from placette.governance import live, services
from placette.governance.models import Attendance, Ballot, RollEntry
from placette.governance.tests.helpers import make_ag, make_member, make_statutes, start
from placette.lib.models import AuditEntry

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _cookie(user, live_server):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def _phone(page, user, live_server):
    context = page.context.browser.new_context(locale="fr-FR", base_url=live_server.url, **PHONE)
    context.add_cookies([_cookie(user, live_server)])
    phone = context.new_page()
    phone.set_default_timeout(15000)
    return phone


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_check_in_by_qr_live_votes_with_proxies_and_the_projector_shows_13_18(page, live_server):
    make_statutes(legal_form="SA")
    members = {
        name: make_member(name, college)
        for name, college in [
            ("Alice", "a"),
            ("Arthur", "a"),
            ("Bruno", "b"),
            ("Berthe", "b"),
            ("Carla", "c"),
            ("Cyril", "c"),
            ("Denis", "d"),
            ("Diane", "d"),
        ]
    }
    users = {
        name: User.objects.create_user(
            f"{name.lower()}@exemple.fr", None, role="member", contact=members[name]
        )
        for name in ("Alice", "Carla", "Cyril")
    }
    chair = User.objects.create_user("equipe@test.fr", None, role="staff", display_name="Eric")
    meeting = make_ag()
    for giver in ("Bruno", "Berthe"):
        services.proxy_give(
            actor=None, meeting=meeting, giver=members[giver], holder=members["Carla"]
        )
    services.meeting_convene(actor=chair, meeting=meeting)
    meeting = start(meeting)
    resolution = meeting.resolutions.get()
    entry = {name: RollEntry.objects.get(meeting=meeting, contact=c) for name, c in members.items()}

    # Alice shows the QR code of her convocation; the desk's phone opens its link.
    alice_phone = _phone(page, users["Alice"], live_server)
    alice_phone.goto(reverse("governance_portal:meeting", args=[meeting.pk]))
    alice_phone.get_by_text("Mon code d’accueil").click()
    shown = alice_phone.get_by_role("img", name="Code QR d’accueil").screenshot()
    zxingcpp = pytest.importorskip("zxingcpp")
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(shown)))
    assert code.text == live.checkin_url(entry["Alice"])
    page.context.add_cookies([_cookie(chair, live_server)])
    page.goto(urlsplit(code.text).path)
    page.get_by_role("heading", name=entry["Alice"].name).wait_for()
    page.get_by_role("button", name="Confirmer l’arrivée").click()
    page.get_by_text(f"{entry['Alice'].name} est noté·e présent·e.").wait_for()
    # Carla is found by search at the desk.
    page.get_by_label("Nom, commune ou n° de sociétaire").fill("carla")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name=f"Noter {entry['Carla'].name} présent·e").click()
    page.get_by_text(f"{entry['Carla'].name} est noté·e présent·e.").wait_for()
    assert RollEntry.objects.get(pk=entry["Alice"].pk).attendance == Attendance.PRESENT

    # The chair opens the vote from the console; the projector shows it.
    page.goto(reverse("governance:live_console", args=[meeting.pk]))
    page.get_by_role("button", name=f"Ouvrir le vote : {resolution}").click()
    page.get_by_text("Vote ouvert pour 3 minute(s).").wait_for()
    projector = page.context.new_page()
    projector.goto(reverse("governance:live_projector", args=[meeting.pk]))
    projector.get_by_test_id("live-status").filter(has_text="Vote ouvert").wait_for()

    # Cyril joins remotely from his phone, then votes; Alice votes; Carla votes three times.
    cyril_phone = _phone(page, users["Cyril"], live_server)
    cyril_phone.goto(reverse("governance_portal:live_session", args=[meeting.pk]))
    cyril_phone.get_by_role("button", name="Rejoindre la séance à distance").click()
    cyril_phone.get_by_text("Vous participez à la séance à distance.").first.wait_for()
    cyril_phone.get_by_role("button", name=f"Contre — {entry['Cyril'].name}").click()
    cyril_phone.get_by_test_id(f"voted-{entry['Cyril'].pk}").wait_for()

    alice_phone.goto(reverse("governance_portal:live_session", args=[meeting.pk]))
    alice_phone.get_by_role("button", name=f"Pour — {entry['Alice'].name}").click()
    alice_phone.get_by_test_id(f"voted-{entry['Alice'].pk}").wait_for()

    carla_phone = _phone(page, users["Carla"], live_server)
    carla_phone.goto(reverse("governance_portal:live_session", args=[meeting.pk]))
    for name, choice in (("Carla", "Pour"), ("Bruno", "Pour"), ("Berthe", "Contre")):
        carla_phone.get_by_role("button", name=f"{choice} — {entry[name].name}").click()
        carla_phone.get_by_test_id(f"voted-{entry[name].pk}").wait_for()
    # Once voted, no button is left for that voter.
    carla_phone.reload()
    assert carla_phone.get_by_role("button", name=f"Pour — {entry['Carla'].name}").count() == 0

    # The projector refreshes by itself and shows the exact weighted result per college.
    projector.get_by_test_id("live-share").filter(has_text="13/18").wait_for()
    text = projector.locator("main").inner_text()
    assert "environ 72,22" in text
    assert "Bénéficiaires individuels" in text
    assert Ballot.objects.filter(resolution=resolution).count() == 5
    assert set(
        Ballot.objects.filter(voter__in=[entry["Bruno"], entry["Berthe"]]).values_list(
            "college", "channel"
        )
    ) == {("Bénéficiaires individuels", "proxy")}

    # The chair closes: adopted, 13/18; no vote choice on any timeline or audit entry.
    page.goto(reverse("governance:live_console", args=[meeting.pk]))
    page.get_by_role("button", name=f"Clore le vote : {resolution}").click()
    page.get_by_text(f"Vote clos : {resolution}, adoptée.").wait_for()
    resolution.refresh_from_db()
    assert resolution.adopted is True and resolution.result["yes_share"] == "13/18"
    projector.get_by_test_id("live-status").filter(has_text="Vote clos").wait_for()
    for title in TimelineEntry.objects.filter(title__startswith="A voté").values_list(
        "title", flat=True
    ):
        assert not any(w in title for w in ("Pour", "Contre", " pour ", "contre", "Abstention"))
    for details in AuditEntry.objects.filter(action="governance.live.voted").values_list(
        "details", flat=True
    ):
        assert "choice" not in details
    for p in (alice_phone, cyril_phone, carla_phone):
        p.context.close()
