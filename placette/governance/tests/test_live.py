"""Issue 11, the meeting in session: registration, check-in (QR code, desk search), live
electronic votes with proxies, amendments, the projector — rules, bad input, permissions."""

import datetime as dt
import threading
from fractions import Fraction

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from placette.contacts.models import TimelineEntry
from placette.governance import live, services
from placette.governance.models import Attendance, Ballot, Decision, Meeting, RollEntry
from placette.governance.models_live import Amendment, AmendmentBallot, LiveVote, Registration
from placette.governance.tests.helpers import make_ag, make_member, make_statutes, start
from placette.lib.models import AuditEntry
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase, make_contact


class LiveTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_member("Alice", "a")
        cls.arthur = make_member("Arthur", "a")
        cls.bruno = make_member("Bruno", "b")
        cls.berthe = make_member("Berthe", "b")
        cls.carla = make_member("Carla", "c")
        cls.cyril = make_member("Cyril", "c")
        cls.denis = make_member("Denis", "d")
        cls.diane = make_member("Diane", "d")
        # The member persona is on the roll too (college D), to test the member's pages.
        make_member("Marc", "d", contact=cls.member.contact)

    def assert_refused(self, call, fragment):
        with self.assertRaises(Refusal) as ctx:
            call()
        text = " ".join(ctx.exception.messages)
        self.assertIn(fragment, text)
        return text

    def convened(self, *, started=True, proxies=()):
        meeting = make_ag()
        for giver, holder in proxies:
            services.proxy_give(actor=None, meeting=meeting, giver=giver, holder=holder)
        services.meeting_convene(actor=self.staff, meeting=meeting)
        meeting.refresh_from_db()
        return start(meeting) if started else meeting

    def entry(self, meeting, contact):
        return RollEntry.objects.get(meeting=meeting, contact=contact)

    def present(self, meeting, *contacts, mode=Attendance.PRESENT):
        for contact in contacts:
            live.checkin_record(actor=self.staff, entry=self.entry(meeting, contact), mode=mode)

    # -- registration -----------------------------------------------------------------------

    def test_a_member_answers_the_invitation_and_staff_see_the_expected_attendance(self):
        meeting = self.convened(started=False)
        live.registration_answer(actor=None, meeting=meeting, contact=self.alice, answer="come")
        live.registration_answer(actor=None, meeting=meeting, contact=self.bruno, answer="remote")
        live.registration_answer(actor=None, meeting=meeting, contact=self.carla, answer="proxy")
        live.registration_answer(actor=None, meeting=meeting, contact=self.alice, answer="postal")
        counts = live.registration_counts(meeting)
        self.assertEqual(
            (counts["come"], counts["remote"], counts["proxy"], counts["postal"]), (0, 1, 1, 1)
        )
        self.assertEqual(counts["unanswered"], 9 - 3)
        self.assertEqual(Registration.objects.count(), 3)
        self.login(self.staff)
        response = self.client.get(reverse("governance:meeting", args=[meeting.pk]))
        self.assertContains(response, "0 viennent, 1 à distance, 1 donnent procuration")

    def test_the_demo_registrations_are_deterministic_and_idempotent(self):
        import random

        from placette.governance import demo_live

        meeting = self.convened(started=False)
        for i in range(80):
            contact = make_contact(first_name=f"Démo{i}", last_name="Inscrite")
            RollEntry.objects.create(meeting=meeting, contact=contact, name=f"Démo{i}")
        first = demo_live.seed(random.Random(7), meeting)
        answers = sorted(Registration.objects.values_list("entry_id", "answer"))
        self.assertGreater(first, 0)
        self.assertEqual(demo_live.seed(random.Random(7), meeting), 0)
        Registration.objects.all().delete()
        self.assertEqual(demo_live.seed(random.Random(7), meeting), first)
        self.assertEqual(sorted(Registration.objects.values_list("entry_id", "answer")), answers)
        self.assertTrue(all(r.answered_at <= timezone.now() for r in Registration.objects.all()))

    def test_an_unknown_answer_or_an_answer_after_the_start_is_refused(self):
        meeting = self.convened(started=False)
        self.assert_refused(
            lambda: live.registration_answer(
                actor=None, meeting=meeting, contact=self.alice, answer="maybe"
            ),
            "Réponse inconnue",
        )
        outsider = make_contact(first_name="Oscar", last_name="Dehors")
        self.assert_refused(
            lambda: live.registration_answer(
                actor=None, meeting=meeting, contact=outsider, answer="come"
            ),
            "liste des votants",
        )
        start(meeting)
        self.assert_refused(
            lambda: live.registration_answer(
                actor=None, meeting=meeting, contact=self.alice, answer="come"
            ),
            "plus temps de répondre",
        )
        self.assertFalse(Registration.objects.exists())

    def test_the_member_answers_from_their_space(self):
        meeting = self.convened(started=False)
        self.login(self.member)
        page = self.client.get(reverse("governance_portal:meeting", args=[meeting.pk]))
        self.assertContains(page, "Je vote par correspondance")
        response = self.client.post(
            reverse("governance_portal:live_registration", args=[meeting.pk]), {"answer": "come"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Registration.objects.get().answer, "come")

    # -- check-in ---------------------------------------------------------------------------

    def test_a_check_in_code_names_one_voter_and_a_forged_one_nothing(self):
        meeting = self.convened()
        entry = self.entry(meeting, self.alice)
        token = live.checkin_token(entry)
        self.assertEqual(live.checkin_entry(token), entry)
        self.assertIsNone(live.checkin_entry(token[:-2] + "xx"))
        other = self.entry(meeting, self.bruno)
        forged = f"{meeting.pk}.{other.pk}:" + token.split(":", 1)[1]
        self.assertIsNone(live.checkin_entry(forged))
        self.assertIsNone(live.checkin_entry("csv"))

    def test_the_qr_code_decodes_to_the_check_in_link(self):
        zxingcpp = pytest.importorskip("zxingcpp")
        from PIL import Image

        from placette.lib.qr import qr_png

        meeting = self.convened()
        entry = self.entry(meeting, self.alice)
        import io

        image = Image.open(io.BytesIO(qr_png(live.checkin_url(entry))))
        decoded = zxingcpp.read_barcodes(image)
        self.assertEqual([d.text for d in decoded], [live.checkin_url(entry)])
        self.assertIn("<svg", live.checkin_qr_svg(entry))

    def test_the_letter_can_carry_the_check_in_qr_code_of_each_convocation(self):
        from django.template import Context, Template

        from placette.governance.models import Convocation

        meeting = self.convened()
        convocation = Convocation.objects.get(meeting=meeting, contact=self.alice)
        html = Template("{% load governance_live %}{% checkin_qr c %}|{% checkin_link c %}").render(
            Context({"c": convocation})
        )
        svg, link = html.split("|")
        self.assertTrue(svg.startswith("<svg"))
        self.assertEqual(link, live.checkin_url(self.entry(meeting, self.alice)))

    def test_each_letter_prints_the_check_in_qr_code_of_its_voter(self):
        from placette.governance import pdfs
        from placette.lib.testing import pdf_text

        meeting = self.convened(started=False)
        letters = list(pdfs.letters(meeting))
        self.assertGreater(len(letters), 1)
        text = " ".join(pdf_text(pdfs.letters_pdf(meeting)).split())
        self.assertEqual(text.count("Votre code d’accueil"), len(letters))

    def test_check_in_writes_the_attendance_the_quorum_reads(self):
        meeting = self.convened()
        self.assertEqual(services.quorum_status(meeting).counted, 0)
        self.present(meeting, self.alice)
        self.present(meeting, self.bruno, mode=Attendance.REMOTE)
        quorum = services.quorum_status(meeting)
        self.assertEqual((quorum.by_mode["present"], quorum.by_mode["remote"]), (1, 1))
        self.assertEqual(quorum.counted, 2)

    def test_a_second_check_in_a_giver_and_a_check_in_before_the_doors_open_are_refused(self):
        meeting = self.convened(proxies=[(self.bruno, self.carla)])
        self.present(meeting, self.alice)
        self.assert_refused(lambda: self.present(meeting, self.alice), "déjà noté·e présent·e")
        self.assert_refused(lambda: self.present(meeting, self.bruno), "a donné pouvoir à Carla")
        self.assertEqual(self.entry(meeting, self.bruno).attendance, Attendance.REPRESENTED)
        later = self.convened(started=False)
        self.assert_refused(lambda: self.present(later, self.alice), "L’accueil ouvre le")
        self.assertEqual(self.entry(later, self.alice).attendance, "")

    def test_the_desk_tells_homonyms_apart_by_number_commune_and_college(self):
        twins = [
            make_contact(first_name="Arthur", last_name="Joly", commune_code=code)
            for code in ("26113", "26198")
        ]
        make_member("Arthur", "a", contact=twins[0])
        make_member("Arthur", "c", contact=twins[1])
        meeting = self.convened()
        found = list(live.desk_search(meeting, "arthur joly"))
        self.assertEqual(len(found), 2)
        self.assertEqual(len({(e.member_number, e.college) for e in found}), 2)
        self.assertEqual(len({e.contact.commune_name for e in found}), 2)
        self.assertEqual(list(live.desk_search(meeting, str(found[1].member_number))), [found[1]])
        self.login(self.staff)
        page = self.client.get(reverse("governance:live_desk", args=[meeting.pk]), {"q": "joly"})
        for entry in found:
            self.assertContains(page, entry.contact.commune_name)
            self.assertContains(page, entry.college)
        self.client.post(
            reverse("governance:live_desk", args=[meeting.pk]) + "?q=joly",
            {"entry": found[0].pk},
        )
        found[0].refresh_from_db()
        self.assertEqual(found[0].attendance, Attendance.PRESENT)

    def test_the_desk_search_costs_the_same_queries_for_few_and_many_matches(self):
        meeting = self.convened()
        self.login(self.staff)
        url = reverse("governance:live_desk", args=[meeting.pk])

        def add(n):
            for i in range(n):
                contact = make_contact(first_name=f"Zoé{i}", last_name="Homonyme")
                RollEntry.objects.create(
                    meeting=meeting, contact=contact, name=f"HOMONYME Zoé{i}", college="Soutiens"
                )

        self.assert_constant_queries(url, add, data={"q": "homonyme"}, few=3, many=60)

    def test_the_qr_link_opens_a_confirmation_for_the_desk_and_checks_in(self):
        meeting = self.convened()
        entry = self.entry(meeting, self.alice)
        url = reverse("governance:live_checkin_code", args=[live.checkin_token(entry)])
        self.login(self.member)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.login(self.board_member)
        self.assertContains(self.client.get(url), "Confirmer l’arrivée")
        self.client.post(url)
        entry.refresh_from_db()
        self.assertEqual(entry.attendance, Attendance.PRESENT)
        self.assertEqual(self.client.get(url + "x").status_code, 404)

    # -- live votes -------------------------------------------------------------------------

    def test_members_vote_live_and_the_result_is_weighted_per_college_exactly(self):
        # Carla holds Bruno's and Berthe's proxies (college B); they count in college B.
        meeting = self.convened(proxies=[(self.bruno, self.carla), (self.berthe, self.carla)])
        self.present(meeting, self.arthur, self.carla)
        self.present(meeting, self.cyril, mode=Attendance.REMOTE)
        resolution = meeting.resolutions.get()
        live.live_vote_open(actor=self.staff, resolution=resolution, minutes=2)
        carla = self.entry(meeting, self.carla)
        cast = [
            (self.arthur, self.entry(meeting, self.arthur), "yes"),
            (self.carla, carla, "no"),
            (self.carla, self.entry(meeting, self.bruno), "yes"),
            (self.carla, self.entry(meeting, self.berthe), "yes"),
            (self.cyril, self.entry(meeting, self.cyril), "yes"),
        ]
        for voter, for_entry, choice in cast:
            live.live_ballot_cast(
                actor=None, resolution=resolution, voter=voter, for_entry=for_entry, choice=choice
            )
        self.assertEqual(
            sorted(
                Ballot.objects.filter(voter__contact=self.bruno).values_list("college", "channel")
            ),
            [("Bénéficiaires individuels", "proxy")],
        )
        result = services.resolution_result(resolution)
        # A 1/0 → 1; B 2/0 → 1; C 1/1 → 1/2; D empty. (2/5 + 1/4 + 1/8) / (9/10) = 31/36.
        self.assertEqual(result.outcome.yes_share, Fraction(31, 36))
        self.assertTrue(result.adopted)
        closed = live.live_vote_close(actor=self.staff, resolution=resolution)
        self.assertTrue(closed.adopted)
        self.assertEqual(closed.result["yes_share"], "31/36")
        self.assertTrue(Decision.objects.filter(resolution=resolution, adopted=True).exists())
        self.assert_refused(
            lambda: live.live_ballot_cast(
                actor=None,
                resolution=resolution,
                voter=self.alice,
                for_entry=self.entry(meeting, self.alice),
                choice="yes",
            ),
            "est clos",
        )

    def test_a_second_vote_is_refused_in_french_and_nothing_changes(self):
        meeting = self.convened()
        self.present(meeting, self.alice)
        resolution = meeting.resolutions.get()
        live.live_vote_open(actor=self.staff, resolution=resolution)
        alice = self.entry(meeting, self.alice)

        def vote(choice):
            live.live_ballot_cast(
                actor=None, resolution=resolution, voter=self.alice, for_entry=alice, choice=choice
            )

        vote("yes")
        self.assert_refused(lambda: vote("no"), "Vous a déjà voté sur la résolution n° 1")
        self.assertEqual(list(Ballot.objects.values_list("choice", flat=True)), ["yes"])

    def test_votes_for_others_absent_voters_bad_choices_and_late_votes_are_refused(self):
        meeting = self.convened(proxies=[(self.bruno, self.carla)])
        self.present(meeting, self.alice, self.carla)
        resolution = meeting.resolutions.get()
        bruno = self.entry(meeting, self.bruno)

        def vote(voter, for_entry, choice="yes", now=None):
            return lambda: live.live_ballot_cast(
                actor=None,
                resolution=resolution,
                voter=voter,
                for_entry=for_entry,
                choice=choice,
                now=now,
            )

        self.assert_refused(vote(self.alice, self.entry(meeting, self.alice)), "n’est pas ouvert")
        vote_ = live.live_vote_open(actor=self.staff, resolution=resolution, minutes=1)
        self.assert_refused(vote(self.alice, bruno), "Vous ne détenez pas le pouvoir de")
        self.assert_refused(vote(self.arthur, self.entry(meeting, self.arthur)), "ni à distance")
        self.assert_refused(
            vote(self.alice, self.entry(meeting, self.alice), "peut-être"), "Vote inconnu"
        )
        self.assert_refused(
            vote(
                self.alice,
                self.entry(meeting, self.alice),
                now=vote_.closes_at + dt.timedelta(seconds=1),
            ),
            "est clos depuis",
        )
        self.assertFalse(Ballot.objects.exists())

    def test_one_vote_at_a_time_and_only_once_the_meeting_has_started(self):
        meeting = make_ag(resolutions=2)
        services.meeting_convene(actor=self.staff, meeting=meeting)
        first, second = meeting.resolutions.all()
        self.assert_refused(
            lambda: live.live_vote_open(actor=None, resolution=first), "ne peut pas être ouvert"
        )
        start(meeting)
        first.refresh_from_db()
        self.assert_refused(
            lambda: live.live_vote_open(actor=None, resolution=first, minutes=0), "de 1 à 60"
        )
        live.live_vote_open(actor=None, resolution=first)
        self.assert_refused(
            lambda: live.live_vote_open(actor=None, resolution=second), "Un vote est déjà en cours"
        )
        self.assert_refused(
            lambda: live.live_vote_open(actor=None, resolution=first), "a déjà été ouvert"
        )

    def test_a_show_of_hands_adds_the_voters_who_did_not_vote_from_their_phone(self):
        meeting = self.convened()
        self.present(meeting, self.alice, self.arthur, self.bruno, self.carla)
        resolution = meeting.resolutions.get()
        live.live_vote_open(actor=None, resolution=resolution)
        live.live_ballot_cast(
            actor=None,
            resolution=resolution,
            voter=self.alice,
            for_entry=self.entry(meeting, self.alice),
            choice="yes",
        )
        hands = {name: (0, 0, 0) for name in services.college_names(meeting)}
        # Alice voted from her phone: college A has one hand left (Arthur), not two.
        hands["Bénévoles et salariés"] = (0, 2, 0)
        self.assert_refused(
            lambda: services.hands_record(actor=None, resolution=resolution, counts=hands),
            "2 mains levées pour 1 votant",
        )
        hands["Bénévoles et salariés"] = (0, 1, 0)
        hands["Bénéficiaires individuels"] = (1, 0, 0)
        services.hands_record(actor=None, resolution=resolution, counts=hands)
        counts = services.resolution_counts(resolution)
        self.assertEqual(counts["Bénévoles et salariés"], {"yes": 1, "no": 1, "abstain": 0})
        self.assertEqual(counts["Bénéficiaires individuels"]["yes"], 1)

    def test_a_live_vote_on_a_secret_resolution_keeps_who_voted_apart_from_what(self):
        from placette.governance.models import Resolution, SecretBallot, VoteMark

        meeting = self.convened()
        resolution = meeting.resolutions.get()
        Resolution.objects.filter(pk=resolution.pk).update(secret=True)
        resolution.refresh_from_db()
        self.present(meeting, self.member.contact, self.alice)
        live.live_vote_open(actor=None, resolution=resolution)
        self.login(self.member)
        me = self.entry(meeting, self.member.contact)
        url = reverse("governance_portal:live_vote", args=[meeting.pk])
        self.client.post(url, {"item": f"r:{resolution.pk}", "for": me.pk, "choice": "no"})
        page = self.client.get(reverse("governance_portal:live_session", args=[meeting.pk]))
        self.assertContains(page, "Vos reçus de vote secret")
        fingerprint = SecretBallot.objects.get().fingerprint
        self.assertContains(page, fingerprint)
        again = self.client.get(reverse("governance_portal:live_session", args=[meeting.pk]))
        self.assertNotContains(again, fingerprint)  # shown once
        self.assertContains(again, "A voté")
        self.assertFalse(Ballot.objects.exists())
        self.assertEqual(VoteMark.objects.get().voter, me)
        self.assertEqual(services.resolution_counts(resolution)["Soutiens"]["no"], 1)
        response = self.client.post(
            url, {"item": f"r:{resolution.pk}", "for": me.pk, "choice": "yes"}, follow=True
        )
        self.assertContains(response, "déjà voté")
        self.assertEqual(SecretBallot.objects.count(), 1)
        audit = AuditEntry.objects.get(action="governance.live.voted")
        self.assertNotIn("choice", audit.details)

    def test_no_vote_choice_is_written_on_a_timeline_or_in_the_audit_log(self):
        meeting = self.convened(proxies=[(self.bruno, self.carla)])
        self.present(meeting, self.carla)
        resolution = meeting.resolutions.get()
        live.live_vote_open(actor=self.staff, resolution=resolution)
        live.live_ballot_cast(
            actor=None,
            resolution=resolution,
            voter=self.carla,
            for_entry=self.entry(meeting, self.bruno),
            choice="no",
        )
        entries = TimelineEntry.objects.filter(title__startswith="A voté")
        self.assertEqual(entries.count(), 1)
        self.assertEqual(entries.get().contact, self.bruno)
        for title in entries.values_list("title", flat=True):
            for word in ("contre", "pour ", "abstention", "no"):
                self.assertNotIn(word, title.lower().replace("pouvoir", ""))
        audit = AuditEntry.objects.get(action="governance.live.voted")
        self.assertNotIn("choice", audit.details)
        self.assertNotIn("no", [str(v) for v in audit.details.values()])

    def test_a_voter_who_voted_online_before_the_meeting_cannot_vote_again_live(self):
        meeting = make_ag()
        resolution = meeting.resolutions.get()
        services.ballot_cast(
            actor=None, meeting=meeting, voter=self.alice, choices={resolution: "yes"}
        )
        services.meeting_convene(actor=self.staff, meeting=meeting)
        start(meeting)
        self.present(meeting, self.alice, mode=Attendance.REMOTE)
        resolution.refresh_from_db()
        live.live_vote_open(actor=None, resolution=resolution)
        self.assert_refused(
            lambda: live.live_ballot_cast(
                actor=None,
                resolution=resolution,
                voter=self.alice,
                for_entry=self.entry(meeting, self.alice),
                choice="no",
            ),
            "déjà voté",
        )

    # -- amendments -------------------------------------------------------------------------

    def test_an_amendment_is_voted_before_its_resolution_and_amends_its_text(self):
        meeting = self.convened()
        self.present(meeting, self.alice, self.bruno, self.carla)
        resolution = meeting.resolutions.get()
        amendment = live.amendment_propose(
            actor=self.staff,
            resolution=resolution,
            text="Porter la réserve à 20 %.",
            proposed_by=self.entry(meeting, self.bruno),
        )
        self.assertEqual(amendment.number, 1)
        self.assert_refused(
            lambda: live.live_vote_open(actor=None, resolution=resolution),
            "Votez d’abord les amendements",
        )
        live.live_vote_open(actor=None, resolution=resolution, amendment=amendment)
        for contact, choice in ((self.alice, "yes"), (self.bruno, "yes"), (self.carla, "no")):
            live.live_ballot_cast(
                actor=None,
                resolution=resolution,
                amendment=amendment,
                voter=contact,
                for_entry=self.entry(meeting, contact),
                choice=choice,
            )
        self.assert_refused(
            lambda: live.live_ballot_cast(
                actor=None,
                resolution=resolution,
                amendment=amendment,
                voter=self.alice,
                for_entry=self.entry(meeting, self.alice),
                choice="no",
            ),
            "a déjà voté sur Amendement n° 1",
        )
        self.assertEqual(AmendmentBallot.objects.count(), 3)
        view = live.amendment_view(amendment)
        # A 1/0, B 1/0, C 0/1, D empty: (2/5 + 1/4) / (9/10) = 13/18
        self.assertIn("13/18", view["yes_share"])
        closed = live.live_vote_close(actor=None, resolution=resolution, amendment=amendment)
        self.assertTrue(closed.adopted)
        self.assertEqual(closed.result["yes_share"], "13/18")
        resolution.refresh_from_db()
        self.assertIn(
            "Amendement n° 1 adopté en séance : Porter la réserve à 20 %.", resolution.text
        )
        live.live_vote_open(actor=None, resolution=resolution)
        self.assert_refused(
            lambda: live.amendment_propose(actor=None, resolution=resolution, text="Encore"),
            "un amendement se propose avant",
        )

    def test_an_amendment_on_a_closed_resolution_is_refused(self):
        meeting = self.convened()
        self.present(meeting, self.alice, self.bruno)
        resolution = meeting.resolutions.get()
        live.live_vote_open(actor=None, resolution=resolution)
        live.live_vote_close(actor=None, resolution=resolution)
        self.assert_refused(
            lambda: live.amendment_propose(actor=None, resolution=resolution, text="Trop tard"),
            "est clos : elle ne peut plus être amendée",
        )
        self.assert_refused(
            lambda: live.amendment_propose(actor=None, resolution=resolution, text=""),
            "Saisissez le texte",
        )
        self.assertFalse(Amendment.objects.exists())

    def test_closing_without_quorum_is_refused_and_leaves_the_vote_as_it_was(self):
        meeting = self.convened()
        resolution = meeting.resolutions.get()
        live.live_vote_open(actor=None, resolution=resolution)
        self.assert_refused(
            lambda: live.live_vote_close(actor=None, resolution=resolution), "quorum"
        )
        self.assertIsNone(live.live_vote_of(resolution).stopped_at)
        resolution.refresh_from_db()
        self.assertIsNone(resolution.closed_at)

    # -- pages and permissions --------------------------------------------------------------

    def test_the_chair_pages_are_for_the_team_and_the_board(self):
        meeting = self.convened()
        resolution = meeting.resolutions.get()
        item = f"r:{resolution.pk}"
        gets = ["live_desk", "live_console", "live_projector", "live_state"]
        posts = ["live_open", "live_close", "live_show", "live_amendment_add"]
        for name in gets + posts:
            url = reverse(f"governance:{name}", args=[meeting.pk])
            self.client.logout()
            method = self.client.get if name in gets else self.client.post
            self.assertEqual(method(url).status_code, 302, name)
            for persona in (self.member, self.activity_holder):
                self.login(persona)
                self.assertEqual(method(url, {"item": item}).status_code, 403, name)
        self.assertFalse(LiveVote.objects.exists())
        self.login(self.board_member)
        for name in gets:
            self.assertEqual(
                self.client.get(reverse(f"governance:{name}", args=[meeting.pk])).status_code, 200
            )
        self.client.post(
            reverse("governance:live_open", args=[meeting.pk]), {"item": item, "minutes": "2"}
        )
        self.assertIsNotNone(live.live_vote_of(resolution))
        projector = self.client.get(reverse("governance:live_projector", args=[meeting.pk]))
        self.assertContains(projector, "Résolution n° 1")
        self.assertContains(projector, "Vote ouvert")
        self.assertContains(projector, 'nonce="')

    def test_a_member_votes_from_the_session_page_only_for_self_and_givers(self):
        meeting = self.convened(proxies=[(self.bruno, self.member.contact)])
        self.present(meeting, self.member.contact)
        resolution = meeting.resolutions.get()
        live.live_vote_open(actor=None, resolution=resolution)
        self.login(self.member)
        page = self.client.get(reverse("governance_portal:live_session", args=[meeting.pk]))
        self.assertContains(page, "Mon vote")
        self.assertContains(
            page, "Pour Bruno TEST (pouvoir, Bénéficiaires individuels)"
        )  # the giver, in their college
        url = reverse("governance_portal:live_vote", args=[meeting.pk])
        me = self.entry(meeting, self.member.contact)
        for_entry = self.entry(meeting, self.bruno)
        self.client.post(url, {"item": f"r:{resolution.pk}", "for": me.pk, "choice": "yes"})
        self.client.post(url, {"item": f"r:{resolution.pk}", "for": for_entry.pk, "choice": "no"})
        other = self.entry(meeting, self.alice)
        response = self.client.post(
            url, {"item": f"r:{resolution.pk}", "for": other.pk, "choice": "no"}, follow=True
        )
        self.assertContains(response, "Vous ne détenez pas le pouvoir de")
        self.assertEqual(Ballot.objects.count(), 2)
        page = self.client.get(reverse("governance_portal:live_session_state", args=[meeting.pk]))
        self.assertContains(page, "A voté", count=2)
        # A member not on the roll sees nothing of the meeting.
        self.login(self.other_member)
        for name in ("live_session", "live_session_state", "live_my_code"):
            url = reverse(f"governance_portal:{name}", args=[meeting.pk])
            self.assertEqual(self.client.get(url).status_code, 403, name)

    def test_a_live_vote_costs_the_same_queries_whatever_the_size_of_the_roll(self):
        from django.db import connection as db
        from django.test.utils import CaptureQueriesContext

        meeting = make_ag(resolutions=2)
        services.meeting_convene(actor=self.staff, meeting=meeting)
        start(meeting)
        self.present(meeting, self.member.contact, self.alice)
        first, second = meeting.resolutions.all()
        self.login(self.member)
        url = reverse("governance_portal:live_vote", args=[meeting.pk])
        me = self.entry(meeting, self.member.contact)

        def vote(resolution):
            live.live_vote_open(actor=None, resolution=resolution)
            with CaptureQueriesContext(db) as queries:
                response = self.client.post(
                    url, {"item": f"r:{resolution.pk}", "for": me.pk, "choice": "yes"}
                )
            self.assertEqual(response.status_code, 302)
            LiveVote.objects.filter(resolution=resolution).update(stopped_at=timezone.now())
            return len(queries)

        few = vote(first)
        for i in range(200):
            contact = make_contact(first_name=f"Zoé{i}", last_name="Nombreuse")
            RollEntry.objects.create(
                meeting=meeting, contact=contact, name=f"Zoé{i}", attendance="present"
            )
        self.assertEqual(vote(second), few)
        self.assertLessEqual(few, 25)

    def test_a_member_joins_remotely_from_their_space(self):
        meeting = self.convened()
        self.login(self.member)
        self.client.post(reverse("governance_portal:live_join", args=[meeting.pk]))
        self.assertEqual(self.entry(meeting, self.member.contact).attendance, Attendance.REMOTE)
        code = self.client.get(reverse("governance_portal:live_my_code", args=[meeting.pk]))
        self.assertEqual(code["Content-Type"], "image/svg+xml")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submissions_of_a_live_vote_leave_one_ballot():
    if connection.vendor != "postgresql":
        pytest.skip("Test de concurrence réservé à PostgreSQL.")
    make_statutes()
    alice = make_member("Alice", "a")
    make_member("Bruno", "b")
    meeting = make_ag()
    services.meeting_convene(actor=None, meeting=meeting)
    meeting = start(Meeting.objects.get(pk=meeting.pk))
    entry = RollEntry.objects.get(meeting=meeting, contact=alice)
    live.checkin_record(actor=None, entry=entry)
    entry.refresh_from_db()
    resolution = meeting.resolutions.get()
    live.live_vote_open(actor=None, resolution=resolution)
    barrier = threading.Barrier(6)
    outcomes = []

    def vote(i):
        from django.db import connections

        try:
            barrier.wait()
            live.live_ballot_cast(
                actor=None,
                resolution=resolution,
                voter=alice,
                for_entry=entry,
                choice="yes" if i % 2 else "no",
            )
            outcomes.append("ok")
        except Refusal as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert all("déjà voté" in o for o in outcomes if o != "ok")
    assert Ballot.objects.filter(resolution=resolution).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_ballot_cast_while_the_chair_closes_waits_and_is_refused():
    if connection.vendor != "postgresql":
        pytest.skip("Test de concurrence réservé à PostgreSQL.")
    import time

    from django.db import connections, transaction

    make_statutes()
    alice = make_member("Alice", "a")
    make_member("Bruno", "b")
    meeting = make_ag()
    services.meeting_convene(actor=None, meeting=meeting)
    meeting = start(Meeting.objects.get(pk=meeting.pk))
    entry = RollEntry.objects.get(meeting=meeting, contact=alice)
    live.checkin_record(actor=None, entry=entry)
    entry.refresh_from_db()
    resolution = meeting.resolutions.get()
    live.live_vote_open(actor=None, resolution=resolution)
    stopped = threading.Event()
    outcome = []

    def chair():
        try:
            with transaction.atomic():
                LiveVote.objects.filter(resolution=resolution).update(stopped_at=timezone.now())
                stopped.set()
                time.sleep(0.5)  # the chair's closing is still computing the result
        finally:
            connections.close_all()

    def member():
        try:
            stopped.wait()
            live.live_ballot_cast(
                actor=None, resolution=resolution, voter=alice, for_entry=entry, choice="yes"
            )
            outcome.append("ok")
        except Refusal as exc:
            outcome.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=chair), threading.Thread(target=member)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcome) == 1 and "est clos depuis" in outcome[0]
    assert not Ballot.objects.filter(resolution=resolution).exists()
