"""Issue 11, paper and in-person: paper proxies and postal voting forms recorded by the staff,
the spouse proxy of an SA, the statutory deadlines, letters posted too late, second calls, the
board's stricter rules and the secret ballot. Each bad input is refused in French, nothing
written."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from placette.contacts.models import Contact, TimelineEntry
from placette.governance import deadlines, services
from placette.governance.models import (
    Ballot,
    Body,
    BodyKind,
    Convocation,
    Meeting,
    MeetingKind,
    PostalForm,
    Proxy,
    SecretBallot,
    VoteMark,
)
from placette.governance.tests.helpers import ag_body, make_ag, make_member, make_statutes, start
from placette.lib.models import AuditEntry, Document
from placette.lib.refusals import Refusal
from placette.lib.testing import PDF
from placette.test import BaseTestCase


def convened(meeting: Meeting, **kwargs) -> Meeting:
    services.meeting_convene(actor=None, meeting=meeting, **kwargs)
    meeting.refresh_from_db()
    return meeting


def move(meeting: Meeting, *, days: float) -> Meeting:
    """The meeting is now `days` away (its convocation stays where it was)."""
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + dt.timedelta(days=days),
        vote_opens_at=timezone.now() - dt.timedelta(days=20),
    )
    meeting.refresh_from_db()
    return meeting


class PaperTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(legal_form="SA", proxy_cap=1)
        cls.alice = make_member("Alice", "a")
        cls.arthur = make_member("Arthur", "a")
        cls.bruno = make_member("Bruno", "b")
        cls.carla = make_member("Carla", "c")
        cls.denis = make_member("Denis", "d")

    def setUp(self):
        self.meeting = convened(make_ag(resolutions=2))
        self.r1, self.r2 = self.meeting.resolutions.order_by("number")

    def entry(self, contact):
        return self.meeting.roll.get(contact=contact)

    def assert_refused(self, call, fragment):
        with self.assertRaises(Refusal) as ctx:
            call()
        self.assertIn(fragment, ctx.exception.message)
        return ctx.exception.message

    # -- paper proxies ----------------------------------------------------------------------

    def test_staff_record_a_paper_proxy_with_its_scanned_form(self):
        proxy = services.proxy_paper_record(
            actor=self.staff,
            meeting=self.meeting,
            giver=self.entry(self.alice),
            holder=self.bruno,
            file=SimpleUploadedFile("pouvoir.pdf", PDF),
        )
        self.assertEqual((proxy.source, proxy.holder.contact), ("paper", self.bruno))
        self.assertEqual(proxy.document.scope, "governance.form")
        self.assertEqual(self.entry(self.alice).attendance, "represented")

    def test_a_proxy_to_a_non_member_who_is_not_a_spouse_is_refused(self):
        text = self.assert_refused(
            lambda: services.proxy_paper_record(
                actor=self.staff,
                meeting=self.meeting,
                giver=self.entry(self.alice),
                holder_name="Jean Voisin",
            ),
            "n’est pas sur la liste des votants",
        )
        self.assertIn("conjoint", text)
        self.assertFalse(Proxy.objects.exists())

    def test_in_an_sa_a_proxy_goes_to_the_spouse_who_counts_once_present(self):
        proxy = services.proxy_paper_record(
            actor=self.staff,
            meeting=self.meeting,
            giver=self.entry(self.alice),
            holder_name="Jean  Martin",
            holder_relation="spouse",
        )
        self.assertEqual(proxy.holder_name, "Jean Martin")
        meeting = start(self.meeting)
        self.assertEqual(services.quorum_status(meeting).by_mode["represented"], 0)
        services.proxy_holder_checked_in(actor=self.staff, proxy=proxy)
        self.assertEqual(services.quorum_status(meeting).by_mode["represented"], 1)
        services.ballot_record(
            actor=self.staff, resolution=self.r1, voter=self.entry(self.alice), choice="yes"
        )
        self.assertEqual(Ballot.objects.get().channel, "proxy")

    def test_a_proxy_holder_above_the_cap_is_refused(self):
        services.proxy_paper_record(
            actor=self.staff, meeting=self.meeting, giver=self.entry(self.alice), holder=self.bruno
        )
        self.assert_refused(
            lambda: services.proxy_paper_record(
                actor=self.staff,
                meeting=self.meeting,
                giver=self.entry(self.arthur),
                holder=self.bruno,
            ),
            "le maximum fixé par les statuts (1)",
        )
        self.assertEqual(Proxy.objects.count(), 1)

    def test_a_proxy_handed_in_at_the_meeting_is_marked_so(self):
        meeting = start(self.meeting)
        proxy = services.proxy_paper_record(
            actor=self.staff, meeting=meeting, giver=self.entry(self.alice), holder=self.bruno
        )
        self.assertEqual(proxy.source, "meeting")

    # -- postal voting forms ----------------------------------------------------------------

    def test_staff_record_a_paper_postal_form_that_counts_in_the_quorum(self):
        form = services.postal_form_record(
            actor=self.staff,
            meeting=self.meeting,
            voter=self.entry(self.carla),
            choices={self.r1: "yes", self.r2: "no"},
            received_on=timezone.localdate(),
            file=SimpleUploadedFile("formulaire.pdf", PDF),
        )
        self.assertEqual(form.channel, "paper")
        self.assertEqual(Ballot.objects.filter(channel="paper").count(), 2)
        self.assertEqual(services.quorum_status(self.meeting).by_mode["postal"], 1)
        self.assertTrue(Document.objects.filter(pk=form.document_id).exists())

    def test_a_paper_form_received_after_the_deadline_is_refused(self):
        meeting = move(self.meeting, days=2)
        last = deadlines.paper_form_last_day(meeting)
        text = self.assert_refused(
            lambda: services.postal_form_record(
                actor=self.staff,
                meeting=meeting,
                voter=self.entry(self.carla),
                choices={self.r1: "yes"},
                received_on=timezone.localdate(),
            ),
            "doit parvenir au plus tard le",
        )
        self.assertIn(f"{last:%d/%m/%Y}", text)
        self.assertFalse(Ballot.objects.exists())
        self.assertFalse(PostalForm.objects.exists())

    def test_a_second_postal_form_of_the_same_voter_is_refused(self):
        kwargs = {
            "actor": self.staff,
            "meeting": self.meeting,
            "voter": self.entry(self.carla),
            "received_on": timezone.localdate(),
        }
        services.postal_form_record(choices={self.r1: "yes"}, **kwargs)
        self.assert_refused(
            lambda: services.postal_form_record(choices={self.r1: "no"}, **kwargs),
            "un seul formulaire compte",
        )
        self.assertEqual(Ballot.objects.get().choice, "yes")

    # -- deadlines --------------------------------------------------------------------------

    def test_the_online_vote_closes_at_15_the_day_before(self):
        day = timezone.localdate(self.meeting.starts_at) - dt.timedelta(days=1)
        deadline = timezone.make_aware(dt.datetime.combine(day, dt.time(15, 0)))
        self.assertEqual(deadlines.electronic_deadline(self.meeting), deadline)
        services.ballot_cast(
            actor=None,
            meeting=self.meeting,
            voter=self.alice,
            choices={self.r1: "yes"},
            now=deadline - dt.timedelta(minutes=1),
        )
        self.assert_refused(
            lambda: services.proxy_give(
                actor=None, meeting=self.meeting, giver=self.bruno, holder=None, now=deadline
            ),
            "Le vote à distance est clos",
        )
        self.assertFalse(Proxy.objects.exists())

    def test_the_deadlines_follow_the_statutes_settings(self):
        make_statutes(
            legal_form="SA",
            effective_from=dt.date(2021, 6, 1),
            paper_form_days=5,
            electronic_deadline_hour=12,
        )
        day = timezone.localdate(self.meeting.starts_at)
        self.assertEqual(deadlines.paper_form_last_day(self.meeting), day - dt.timedelta(days=5))
        self.assertEqual(timezone.localtime(deadlines.electronic_deadline(self.meeting)).hour, 12)

    def test_written_questions_close_on_the_fourth_business_day_before(self):
        # a Saturday meeting: Friday, Thursday, Wednesday, Tuesday
        self.assertEqual(
            deadlines.business_days_before(dt.date(2026, 6, 13), 4), dt.date(2026, 6, 9)
        )
        # a Tuesday meeting: Monday, Friday, Thursday, Wednesday
        self.assertEqual(
            deadlines.business_days_before(dt.date(2026, 6, 16), 4), dt.date(2026, 6, 10)
        )

    # -- letters ----------------------------------------------------------------------------

    def test_a_letter_posted_two_days_before_the_meeting_is_refused(self):
        meeting = move(self.meeting, days=2)
        text = self.assert_refused(
            lambda: services.letters_mark_posted(actor=self.staff, meeting=meeting),
            "il en faut au moins 15",
        )
        self.assertIn("2 jour(s) avant", text)
        self.assertFalse(Convocation.objects.filter(sent_at__isnull=False).exists())

    def test_letters_posted_in_time_are_stamped_with_their_day(self):
        n = services.letters_mark_posted(actor=self.staff, meeting=self.meeting)
        self.assertEqual(n, 5)
        self.assertEqual(
            {timezone.localdate(c.sent_at) for c in Convocation.objects.all()},
            {timezone.localdate()},
        )

    # -- second call ------------------------------------------------------------------------

    def second_call(self, first):
        return services.meeting_create(
            actor=None,
            body=ag_body(),
            kind=MeetingKind.AGO,
            call=2,
            first_call=first,
            title="AG, seconde convocation",
            starts_at=timezone.now() + dt.timedelta(days=40),
            cutoff_date=timezone.localdate(),
        )

    def test_a_second_call_without_a_failed_first_call_is_refused(self):
        self.assert_refused(lambda: self.second_call(None), "suit une première réunion")
        self.assert_refused(lambda: self.second_call(self.meeting), "n’a pas été constatée")
        self.assertEqual(Meeting.objects.count(), 1)

    def test_a_second_call_follows_a_first_call_that_failed_for_lack_of_quorum(self):
        meeting = start(self.meeting)
        services.meeting_quorum_fail(actor=self.staff, meeting=meeting)
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, "closed")
        self.assertIn("procès-verbal de carence", meeting.minutes)
        second = self.second_call(meeting)
        self.assertEqual((second.call, second.first_call), (2, meeting))

    def test_the_lack_of_quorum_is_refused_when_the_quorum_is_reached(self):
        meeting = start(self.meeting)
        for contact in (self.alice, self.bruno):
            services.attendance_set(
                actor=None, meeting=meeting, entry=self.entry(contact), mode="present"
            )
        self.assert_refused(
            lambda: services.meeting_quorum_fail(actor=self.staff, meeting=meeting),
            "Le quorum est atteint",
        )
        self.assertIsNone(Meeting.objects.get(pk=meeting.pk).quorum_failed_at)


class SecretBallotTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(legal_form="SA")
        cls.alice = make_member("Alice", "a")
        cls.bruno = make_member("Bruno", "b")
        cls.carla = make_member("Carla", "c")

    def setUp(self):
        self.meeting = make_ag(freeze=False)
        self.public = self.meeting.resolutions.get()
        self.secret = services.resolution_add(
            actor=None, meeting=self.meeting, title="Élection au conseil", secret=True
        )
        services.roll_freeze(actor=None, meeting=self.meeting)
        self.meeting = convened(self.meeting)

    def test_a_secret_vote_keeps_that_the_member_voted_but_not_what(self):
        receipts = []
        services.ballot_cast(
            actor=None,
            meeting=self.meeting,
            voter=self.alice,
            choices={self.public: "no", self.secret: "yes"},
            receipts=receipts,
        )
        mark = VoteMark.objects.get()
        self.assertEqual(mark.voter.contact, self.alice)
        ballot = SecretBallot.objects.get()
        self.assertEqual((ballot.college, ballot.choice), ("Bénévoles et salariés", "yes"))
        self.assertFalse(Ballot.objects.filter(resolution=self.secret).exists())
        # the receipt's fingerprint is in the published list, and recomputes from the code
        (receipt,) = receipts
        self.assertEqual(receipt.fingerprint, ballot.fingerprint)
        self.assertEqual(
            services.ballot_fingerprint(self.secret.pk, ballot.college, "yes", receipt.code),
            ballot.fingerprint,
        )
        self.assertEqual(services.resolution_counts(self.secret)["Bénévoles et salariés"]["yes"], 1)

    def test_a_second_vote_in_a_secret_ballot_is_refused(self):
        services.ballot_cast(
            actor=None, meeting=self.meeting, voter=self.alice, choices={self.secret: "yes"}
        )
        with self.assertRaises(Refusal) as ctx:
            services.ballot_cast(
                actor=None, meeting=self.meeting, voter=self.alice, choices={self.secret: "no"}
            )
        self.assertIn("un bulletin secret ne se modifie pas", ctx.exception.message)
        self.assertEqual(list(SecretBallot.objects.values_list("choice", flat=True)), ["yes"])
        self.assertEqual(VoteMark.objects.count(), 1)

    def test_no_vote_choice_is_written_on_a_timeline_or_in_the_audit_log(self):
        services.ballot_cast(
            actor=None,
            meeting=self.meeting,
            voter=self.alice,
            choices={self.public: "abstain", self.secret: "no"},
        )
        meeting = start(self.meeting)
        services.attendance_set(
            actor=None, meeting=meeting, entry=meeting.roll.get(contact=self.bruno), mode="present"
        )
        services.ballot_record(
            actor=None,
            resolution=self.secret,
            voter=meeting.roll.get(contact=self.bruno),
            choice="yes",
        )
        titles = " ".join(TimelineEntry.objects.values_list("title", flat=True))
        self.assertIn("résolutions n° 1, n° 2", titles)
        for word in ("pour", "contre", "abstention"):
            self.assertNotIn(f": {word}", titles)
        for entry in AuditEntry.objects.filter(action__startswith="governance.ballot"):
            self.assertNotIn("choice", entry.details)
            self.assertNotIn("yes", str(entry.details))

    def test_the_count_is_reproducible_from_the_published_ballots(self):
        for contact, choice in ((self.alice, "yes"), (self.bruno, "no"), (self.carla, "yes")):
            services.ballot_cast(
                actor=None, meeting=self.meeting, voter=contact, choices={self.secret: choice}
            )
        recount = services.secret_recount(self.secret)
        counts = services.resolution_counts(self.secret)
        for college, c in recount.items():
            self.assertEqual(c, counts[college])
        self.assertEqual(services.secret_ballots_published(self.secret).count(), 3)

    def test_the_published_list_checks_a_receipt_for_a_voter_on_the_roll(self):
        receipts = []
        services.ballot_cast(
            actor=None,
            meeting=self.meeting,
            voter=self.alice,
            choices={self.secret: "yes"},
            receipts=receipts,
        )
        url = reverse("governance:fingerprints", args=[self.secret.pk])
        self.login(self.staff)
        page = self.client.get(url, {"empreinte": receipts[0].fingerprint})
        self.assertContains(page, "Votre bulletin est dans l’urne et compté.")
        self.assertContains(page, receipts[0].fingerprint)
        self.assertNotContains(page, "Alice")


class BoardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(legal_form="SA")
        cls.alice = make_member("Alice", "a")
        cls.bruno = make_member("Bruno", "b")

    def setUp(self):
        board = Body.objects.create(kind=BodyKind.BOARD, name="CA")
        for contact in (self.alice, self.bruno):
            services.mandate_add(
                actor=None,
                body=board,
                contact=contact,
                role="Administrateur",
                starts_on=dt.date(2021, 1, 1),
            )
        self.meeting = services.meeting_create(
            actor=None,
            body=board,
            kind=MeetingKind.BOARD,
            title="CA",
            starts_at=timezone.now() + dt.timedelta(days=5),
            cutoff_date=timezone.localdate(),
            vote_opens_at=timezone.now() - dt.timedelta(hours=1),
        )
        self.resolution = services.resolution_add(actor=None, meeting=self.meeting, title="Budget")
        services.roll_freeze(actor=None, meeting=self.meeting)
        self.meeting = convened(self.meeting)

    def test_a_board_refuses_a_blank_proxy_and_a_vote_before_the_meeting(self):
        with self.assertRaises(Refusal) as ctx:
            services.proxy_give(actor=None, meeting=self.meeting, giver=self.alice, holder=None)
        self.assertIn("pas de pouvoir en blanc au conseil", ctx.exception.message)
        with self.assertRaises(Refusal) as ctx:
            services.ballot_cast(
                actor=None,
                meeting=self.meeting,
                voter=self.alice,
                choices={self.resolution: "yes"},
            )
        self.assertIn("pas de vote avant la séance du conseil", ctx.exception.message)
        self.assertFalse(Proxy.objects.exists() or Ballot.objects.exists())
        # a named proxy to another director stays possible
        services.proxy_give(actor=None, meeting=self.meeting, giver=self.alice, holder=self.bruno)

    def test_statutes_may_allow_both(self):
        make_statutes(
            legal_form="SA",
            effective_from=dt.date(2021, 6, 1),
            board_blank_proxies=True,
            board_remote_votes=True,
        )
        services.ballot_cast(
            actor=None, meeting=self.meeting, voter=self.alice, choices={self.resolution: "yes"}
        )
        services.proxy_give(actor=None, meeting=self.meeting, giver=self.bruno, holder=None)
        self.assertTrue(Proxy.objects.filter(holder__isnull=True).exists())


class PaperViewsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(legal_form="SA")
        cls.alice = make_member("Alice", "a")
        # two homonyms, told apart by member number, commune and college
        cls.joly1 = make_member("Arthur", "a")
        cls.joly2 = make_member("Arthur", "c")
        for contact, commune in ((cls.joly1, "Crest"), (cls.joly2, "Dieulefit")):
            contact.last_name = "Joly"
            contact.refresh_derived(organisation_names=[])
            contact.save()
            Contact.objects.filter(pk=contact.pk).update(commune_name=commune)
        make_member("Marc", "b", contact=cls.member.contact)

    def setUp(self):
        self.meeting = convened(make_ag())

    def test_staff_find_the_voter_and_record_a_paper_proxy_to_a_searched_holder(self):
        self.login(self.staff)
        url = reverse("governance:paper", args=[self.meeting.pk])
        page = self.client.get(url, {"q": "joly arthur"})
        self.assertContains(page, "Crest")
        self.assertContains(page, "Dieulefit")
        self.assertContains(page, "Bénéficiaires professionnels et collectivités")
        giver = self.meeting.roll.get(contact=self.alice)
        holder = self.meeting.roll.get(contact=self.joly2)
        page = self.client.get(url, {"votant": giver.pk, "mandataire": "joly"})
        self.assertContains(page, "Dieulefit")
        response = self.client.post(
            url,
            {
                "action": "proxy",
                "giver": giver.pk,
                "holder": holder.pk,
                "to": "member",
                "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "file": SimpleUploadedFile("pouvoir.pdf", PDF),
            },
        )
        self.assertRedirects(response, url)
        proxy = Proxy.objects.get()
        self.assertEqual((proxy.holder, proxy.source), (holder, "paper"))
        self.assertIsNotNone(proxy.document)

    def test_a_bad_paper_proxy_keeps_the_input_and_says_why(self):
        self.login(self.staff)
        url = reverse("governance:paper", args=[self.meeting.pk])
        giver = self.meeting.roll.get(contact=self.alice)
        response = self.client.post(
            url,
            {
                "action": "proxy",
                "giver": giver.pk,
                "to": "outside",
                "holder_name": "Jean Voisin",
                "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            },
        )
        self.assertContains(response, "n’est pas sur la liste des votants")
        self.assertContains(response, "Jean Voisin")
        self.assertFalse(Proxy.objects.exists())

    def test_the_member_finds_the_proxy_holder_by_a_search_not_a_list_of_the_roll(self):
        self.login(self.member)
        url = reverse("governance_portal:meeting", args=[self.meeting.pk])
        page = self.client.get(url)
        self.assertNotContains(page, "Alice")
        page = self.client.get(url, {"mandataire": "joly"})
        self.assertContains(page, "Crest")
        self.assertContains(page, "Dieulefit")
        self.assertNotContains(page, "Alice")
        response = self.client.post(
            reverse("governance_portal:proxy", args=[self.meeting.pk]),
            {"holder": str(self.joly1.pk)},
        )
        self.assertRedirects(response, url)
        self.assertEqual(Proxy.objects.get().holder.contact, self.joly1)

    def test_closing_a_vote_asks_for_confirmation_first(self):
        meeting = start(self.meeting)
        services.attendance_set(
            actor=None, meeting=meeting, entry=meeting.roll.get(contact=self.alice), mode="present"
        )
        resolution = meeting.resolutions.get()
        self.login(self.staff)
        url = reverse("governance:resolution_close", args=[resolution.pk])
        page = self.client.post(url)
        self.assertContains(page, "Clore le vote de la résolution n° 1")
        resolution.refresh_from_db()
        self.assertIsNone(resolution.closed_at)
        self.client.post(url, {"confirm": "1"})
        resolution.refresh_from_db()
        self.assertIsNotNone(resolution.closed_at)
