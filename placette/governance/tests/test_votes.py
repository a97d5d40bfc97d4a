"""Roll freezing, convocation, proxies, ballots, quorum and the tally: rules and bad input."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from placette.governance import services
from placette.governance.models import (
    Ballot,
    Convocation,
    Decision,
    HandCount,
    Meeting,
    Proxy,
    RollEntry,
)
from placette.governance.tests.helpers import make_ag, make_member, make_statutes, start
from placette.lib.mail import mail_resume, message_deliver
from placette.lib.models import MessageStatus, OutgoingMessage
from placette.lib.refusals import Refusal
from placette.membership.models import CollegeWeight
from placette.test import BaseTestCase, give_consent, make_contact


class VotesTests(BaseTestCase):
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
        cls.outsider = make_contact(
            first_name="Oscar", last_name="Dehors", email="oscar@exemple.fr"
        )

    def assert_refused(self, call, fragment):
        with self.assertRaises(Refusal) as ctx:
            call()
        text = " ".join(ctx.exception.messages)
        self.assertIn(fragment, text)
        return text

    # -- roll -------------------------------------------------------------------------------

    def test_it_freezes_the_roll_from_the_share_ledger_with_colleges_and_weights(self):
        meeting = make_ag()
        self.assertEqual(meeting.roll.count(), 8)
        self.assertEqual(meeting.roll.get(contact=self.bruno).college, "Bénéficiaires individuels")
        self.assertEqual(meeting.college_weights["Soutiens"], "1/10")
        self.assertEqual(meeting.legal_form, "SA")

    def test_it_refuses_to_freeze_a_roll_with_college_weights_out_of_bounds(self):
        meeting = make_ag(freeze=False)
        CollegeWeight.objects.filter(college__code="gov-a").update(weight_percent=55)
        CollegeWeight.objects.filter(college__code="gov-c").update(weight_percent=10)
        self.assert_refused(lambda: services.roll_freeze(actor=None, meeting=meeting), "55")
        self.assertEqual(RollEntry.objects.filter(meeting=meeting).count(), 0)
        self.assertIsNone(Meeting.objects.get(pk=meeting.pk).roll_frozen_at)

    # -- convocation ------------------------------------------------------------------------

    def test_it_convenes_by_email_with_consent_and_by_letter_otherwise_and_resumes(self):
        meeting = make_ag()
        give_consent(self.alice)
        give_consent(self.bruno)
        with self.captureOnCommitCallbacks(execute=True):
            counts = services.meeting_convene(actor=self.staff, meeting=meeting)
        self.assertEqual(counts, {"email": 2, "letter": 6})
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["alice@exemple.fr", "bruno@exemple.fr"]
        )
        self.assertIn("AG 2025", mail.outbox[0].body)
        # re-running sends nothing more: each recipient is stamped
        self.assertEqual(services.convocations_send(meeting=meeting), 0)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(
            Convocation.objects.filter(meeting=meeting, sent_at__isnull=False).count(), 2
        )
        self.assertTrue(
            self.alice.timeline.filter(area="governance", title__contains="Convocation").exists()
        )

    def test_an_interrupted_sending_sends_only_to_those_not_yet_sent(self):
        meeting = make_ag()
        for c in (self.alice, self.bruno, self.carla):
            give_consent(c)
        # The worker died before sending: the three convocations are queued, none sent.
        services.meeting_convene(actor=self.staff, meeting=meeting)  # on_commit not run
        messages = OutgoingMessage.objects.filter(kind="governance.convocation").order_by("id")
        self.assertEqual(messages.filter(status=MessageStatus.QUEUED).count(), 3)
        self.assertEqual(message_deliver(message_id=messages[0].pk), MessageStatus.SENT)
        self.assertEqual(services.convocations_send(meeting=meeting), 0)  # all already queued
        with self.settings(MAIL_CLAIM_TIMEOUT=0), self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(mail_resume(), 2)  # the periodic command takes the rest over
        with self.settings(MAIL_CLAIM_TIMEOUT=0), self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(mail_resume(), 0)
        self.assertEqual(len({m.to[0] for m in mail.outbox}), 3)
        self.assertEqual(len(mail.outbox), 3)
        self.assertEqual(
            Convocation.objects.filter(meeting=meeting, sent_at__isnull=False).count(), 3
        )

    def test_an_address_refused_by_the_relay_is_shown_to_the_staff_for_a_letter(self):
        from smtplib import SMTPRecipientsRefused
        from unittest import mock

        from django.core.mail.backends.locmem import EmailBackend

        meeting = make_ag()
        for c in (self.alice, self.bruno):
            give_consent(c)
        refused = SMTPRecipientsRefused({self.alice.email: (550, b"5.1.1 Mailbox unavailable")})
        real_send = EmailBackend.send_messages

        def relay(backend, messages):
            if messages[0].to == [self.alice.email]:
                raise refused
            return real_send(backend, messages)

        with (
            mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", relay),
            self.captureOnCommitCallbacks(execute=True),
        ):
            services.meeting_convene(actor=self.staff, meeting=meeting)
        self.assertEqual([m.to[0] for m in mail.outbox], [self.bruno.email])
        alice = Convocation.objects.get(meeting=meeting, contact=self.alice)
        self.assertIsNone(alice.sent_at)
        self.assertTrue(self.alice.timeline.filter(title__contains="non remise").exists())
        self.login(self.staff)
        page = self.client.get(reverse("governance:convocation", args=[meeting.pk]))
        self.assertContains(page, "1 non remise : convoquez par courrier")
        self.assertContains(page, "Mailbox unavailable")

    def test_it_refuses_to_convene_too_late(self):
        meeting = make_ag(days_ahead=10)
        text = self.assert_refused(
            lambda: services.meeting_convene(actor=None, meeting=meeting),
            "Convocation trop tardive",
        )
        self.assertIn("15 jours", text)
        self.assertEqual(Convocation.objects.count(), 0)
        self.assertIsNone(Meeting.objects.get(pk=meeting.pk).convened_at)

    def test_reminders_go_only_to_those_who_neither_voted_nor_gave_a_proxy(self):
        meeting = make_ag()
        for c in (self.alice, self.bruno):
            give_consent(c)
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        resolution = meeting.resolutions.get()
        services.ballot_cast(
            actor=None, meeting=meeting, voter=self.alice, choices={resolution: "yes"}
        )
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            services.reminders_send(actor=None, meeting=meeting)
        self.assertEqual([m.to[0] for m in mail.outbox], ["bruno@exemple.fr"])
        self.assertTrue(mail.outbox[0].subject.startswith("Rappel"))

    # -- online votes -------------------------------------------------------------------------

    def test_a_member_votes_online_and_can_change_the_vote_until_the_window_closes(self):
        meeting = make_ag()
        resolution = meeting.resolutions.get()
        services.ballot_cast(
            actor=None, meeting=meeting, voter=self.alice, choices={resolution: "yes"}
        )
        services.ballot_cast(
            actor=None, meeting=meeting, voter=self.alice, choices={resolution: "no"}
        )
        ballot = Ballot.objects.get()
        self.assertEqual(ballot.choice, "no")
        self.assertEqual(ballot.college, "Bénévoles et salariés")
        self.assertEqual(meeting.roll.get(contact=self.alice).attendance, "postal")
        self.assertTrue(self.alice.timeline.filter(area="governance", kind="vote").exists())

    def test_it_refuses_a_vote_after_the_window_closed(self):
        meeting = make_ag()
        resolution = meeting.resolutions.get()
        late = meeting.starts_at + dt.timedelta(minutes=1)
        self.assert_refused(
            lambda: services.ballot_cast(
                actor=None, meeting=meeting, voter=self.alice, choices={resolution: "yes"}, now=late
            ),
            "Le vote à distance est clos",
        )
        self.assertEqual(Ballot.objects.count(), 0)

    def test_it_refuses_a_vote_by_someone_not_on_the_roll(self):
        meeting = make_ag()
        resolution = meeting.resolutions.get()
        self.assert_refused(
            lambda: services.ballot_cast(
                actor=None, meeting=meeting, voter=self.outsider, choices={resolution: "yes"}
            ),
            "pas inscrit·e sur la liste des votants",
        )
        self.assertEqual(Ballot.objects.count(), 0)

    # -- proxies ------------------------------------------------------------------------------

    def test_a_proxy_counts_in_the_givers_college(self):
        meeting = start_with_proxy = make_ag()
        services.proxy_give(actor=None, meeting=meeting, giver=self.bruno, holder=self.carla)
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=start_with_proxy)
        meeting = start(meeting)
        resolution = meeting.resolutions.get()
        services.attendance_set(
            actor=None, meeting=meeting, entry=meeting.roll.get(contact=self.carla), mode="present"
        )
        services.ballot_record(
            actor=None,
            resolution=resolution,
            voter=meeting.roll.get(contact=self.bruno),
            choice="yes",
        )
        counts = services.resolution_counts(resolution)
        self.assertEqual(counts["Bénéficiaires individuels"]["yes"], 1)
        self.assertEqual(counts["Bénéficiaires professionnels et collectivités"]["yes"], 0)

    def test_it_refuses_a_second_proxy_beyond_the_cap(self):
        meeting = make_ag()
        Meeting.objects.filter(pk=meeting.pk).update(proxy_cap=1)
        meeting.refresh_from_db()
        services.proxy_give(actor=None, meeting=meeting, giver=self.bruno, holder=self.carla)
        self.assert_refused(
            lambda: services.proxy_give(
                actor=None, meeting=meeting, giver=self.denis, holder=self.carla
            ),
            "maximum fixé par les statuts (1)",
        )
        self.assertEqual(Proxy.objects.count(), 1)

    def test_it_refuses_a_proxy_to_oneself(self):
        meeting = make_ag()
        self.assert_refused(
            lambda: services.proxy_give(
                actor=None, meeting=meeting, giver=self.bruno, holder=self.bruno
            ),
            "à vous-même",
        )
        self.assertEqual(Proxy.objects.count(), 0)

    def test_it_refuses_a_chain_of_proxies_both_ways(self):
        meeting = make_ag()
        services.proxy_give(actor=None, meeting=meeting, giver=self.bruno, holder=self.carla)
        self.assert_refused(
            lambda: services.proxy_give(
                actor=None, meeting=meeting, giver=self.denis, holder=self.bruno
            ),
            "en chaîne",
        )
        self.assert_refused(
            lambda: services.proxy_give(
                actor=None, meeting=meeting, giver=self.carla, holder=self.diane
            ),
            "en chaîne",
        )
        self.assertEqual(Proxy.objects.count(), 1)

    def test_a_blank_proxy_votes_yes_when_the_board_approved_the_resolution(self):
        meeting = make_ag()
        services.proxy_give(actor=None, meeting=meeting, giver=self.denis, holder=None)
        resolution = meeting.resolutions.get()
        self.assertEqual(services.resolution_counts(resolution)["Soutiens"]["yes"], 1)
        resolution.board_approved = False
        resolution.save()
        self.assertEqual(services.resolution_counts(resolution)["Soutiens"]["no"], 1)

    # -- the meeting ----------------------------------------------------------------------------

    def test_it_refuses_to_close_a_vote_without_quorum(self):
        meeting = make_ag()
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        meeting = start(meeting)
        resolution = meeting.resolutions.get()
        services.attendance_set(
            actor=None, meeting=meeting, entry=meeting.roll.get(contact=self.alice), mode="present"
        )
        # SA, AGO, first call: 1/5 of 8 = 1.6 → 2 needed
        text = self.assert_refused(
            lambda: services.resolution_close(actor=None, resolution=resolution),
            "quorum n’est pas atteint",
        )
        self.assertIn("il en faut 2", text)
        resolution.refresh_from_db()
        self.assertIsNone(resolution.closed_at)
        self.assertEqual(Decision.objects.count(), 0)

    def test_example_11_end_to_end_matches_the_hand_worked_result(self):
        """docs/governance.md, example 11: 23/36 adopted; the decision enters the register."""
        meeting = make_ag()
        resolution = meeting.resolutions.get()
        services.ballot_cast(
            actor=None, meeting=meeting, voter=self.alice, choices={resolution: "yes"}
        )
        services.proxy_give(actor=None, meeting=meeting, giver=self.bruno, holder=self.carla)
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        meeting = start(meeting)
        for c in (self.arthur, self.carla, self.cyril):
            services.attendance_set(
                actor=None, meeting=meeting, entry=meeting.roll.get(contact=c), mode="present"
            )
        status = services.quorum_status(meeting)
        self.assertEqual(
            (status.counted, status.on_roll, status.threshold, status.reached), (5, 8, 2, True)
        )
        services.hands_record(
            actor=None,
            resolution=resolution,
            counts={
                "Bénévoles et salariés": (0, 1, 0),
                "Bénéficiaires individuels": (1, 0, 0),
                "Bénéficiaires professionnels et collectivités": (1, 1, 0),
                "Soutiens": (0, 0, 0),
            },
        )
        result = services.resolution_result(resolution)
        from fractions import Fraction

        self.assertEqual(result.outcome.yes_share, Fraction(23, 36))
        self.assertEqual(result.outcome.by_college["Bénévoles et salariés"], Fraction(1, 2))
        self.assertIsNone(result.outcome.by_college["Soutiens"])
        services.resolution_close(actor=None, resolution=resolution)
        decision = Decision.objects.get()
        self.assertTrue(decision.adopted)
        self.assertIn("23/36", decision.summary)

    def test_hands_beyond_the_voters_present_are_refused(self):
        meeting = make_ag()
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        meeting = start(meeting)
        resolution = meeting.resolutions.get()
        services.attendance_set(
            actor=None, meeting=meeting, entry=meeting.roll.get(contact=self.arthur), mode="present"
        )
        self.assert_refused(
            lambda: services.hands_record(
                actor=None, resolution=resolution, counts={"Bénévoles et salariés": (2, 0, 0)}
            ),
            "2 mains levées pour 1 votant",
        )
        self.assertEqual(HandCount.objects.count(), 0)


def _now():
    return timezone.now()
