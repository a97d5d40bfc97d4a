"""Bodies and mandates through the staff pages: creation, edition, end of a mandate, the board
per college, and the refusals (a mandate ending before it starts, overlapping mandates)."""

import datetime as dt

from django.urls import reverse

from placette.governance import services
from placette.governance.models import Body, BodyKind, Mandate
from placette.governance.tests.helpers import ag_body, make_ag, make_member, make_statutes
from placette.lib.refusals import Refusal
from placette.membership.models import College
from placette.test import BaseTestCase, make_contact


def board() -> Body:
    return Body.objects.get(kind=BodyKind.BOARD)


class BodyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dora = make_contact(first_name="Dora", last_name="Test", email="dora@exemple.fr")

    def test_a_fresh_install_has_the_ag_and_the_board(self):
        # migration 0003: staff can attach a first meeting without the admin
        self.assertTrue(Body.objects.filter(kind=BodyKind.AG).exists())
        self.assertTrue(Body.objects.filter(kind=BodyKind.BOARD).exists())

    def test_the_first_use_button_recreates_missing_bodies_once(self):
        Body.objects.all().delete()
        self.login(self.staff)
        response = self.client.get(reverse("governance:bodies"))
        self.assertContains(response, "Il manque")
        self.client.post(reverse("governance:bodies_defaults"))
        self.client.post(reverse("governance:bodies_defaults"))
        self.assertEqual(
            sorted(Body.objects.values_list("kind", flat=True)), [BodyKind.AG, BodyKind.BOARD]
        )
        self.assertNotContains(self.client.get(reverse("governance:bodies")), "Il manque")

    def test_staff_creates_and_renames_a_body(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("governance:body_create"),
            {"kind": BodyKind.COMMITTEE, "name": "Comité d’engagement", "description": "Projets"},
        )
        body = Body.objects.get(name="Comité d’engagement")
        self.assertRedirects(response, body.get_absolute_url())
        self.client.post(
            reverse("governance:body_edit", args=[body.pk]),
            {"kind": BodyKind.COMMITTEE, "name": "Comité des projets", "description": ""},
        )
        body.refresh_from_db()
        self.assertEqual(body.name, "Comité des projets")

    def test_a_duplicate_body_name_is_refused_in_french(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("governance:body_create"),
            {"kind": BodyKind.COMMITTEE, "name": "assemblée générale"},
        )
        self.assertContains(response, "Une instance s’appelle déjà")
        self.assertEqual(Body.objects.filter(name__iexact="assemblée générale").count(), 1)

    def test_the_kind_of_a_body_with_meetings_does_not_change(self):
        make_statutes()
        make_member("Alice", "a")
        make_ag()
        with self.assertRaisesMessage(Refusal, "son type ne peut plus changer"):
            services.body_update(
                actor=None, body=ag_body(), kind=BodyKind.COMMITTEE, name="Assemblée générale"
            )
        self.assertEqual(ag_body().kind, BodyKind.AG)

    def test_body_and_mandate_pages_are_staff_only(self):
        mandate = services.mandate_add(
            actor=None,
            body=board(),
            contact=self.dora,
            role="Administratrice",
            starts_on=dt.date(2024, 6, 1),
        )
        for url in (
            reverse("governance:body_create"),
            reverse("governance:body_edit", args=[board().pk]),
            reverse("governance:body", args=[board().pk]),
            reverse("governance:mandate_edit", args=[mandate.pk]),
            reverse("governance:mandate_end", args=[mandate.pk]),
        ):
            self.assert_staff_only(url)
            self.login(self.staff)
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assert_staff_only(reverse("governance:bodies_defaults"), method="post")
        self.assert_staff_only(reverse("governance:body_create"), method="post")


class MandateTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_member("Alice", "a")
        cls.bruno = make_member("Bruno", "b")
        cls.college_a = College.objects.get(code="gov-a")
        cls.college_b = College.objects.get(code="gov-b")

    def add(self, contact, starts_on, ends_on=None, **kw):
        return services.mandate_add(
            actor=None,
            body=board(),
            contact=contact,
            role="Administrateur·rice",
            starts_on=starts_on,
            ends_on=ends_on,
            **kw,
        )

    def test_staff_adds_a_mandate_with_college_and_electing_ag(self):
        ag = make_ag(freeze=False)
        self.login(self.staff)
        response = self.client.post(
            reverse("governance:body", args=[board().pk]),
            {
                "contact": self.alice.pk,
                "role": "Présidente",
                "is_chair": "on",
                "college": self.college_a.pk,
                "starts_on": "2024-06-15",
                "elected_at": ag.pk,
            },
        )
        self.assertRedirects(response, board().get_absolute_url())
        mandate = Mandate.objects.get(contact=self.alice)
        self.assertEqual((mandate.college, mandate.elected_at), (self.college_a, ag))

    def test_a_mandate_ending_before_it_starts_is_refused_and_nothing_is_saved(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("governance:body", args=[board().pk]),
            {
                "contact": self.alice.pk,
                "role": "Administratrice",
                "starts_on": "2024-06-15",
                "ends_on": "2024-06-01",
            },
        )
        self.assertContains(
            response, "La fin du mandat (01/06/2024) ne peut pas précéder son début (15/06/2024)."
        )
        self.assertFalse(Mandate.objects.exists())

    def test_a_second_overlapping_mandate_of_the_same_person_is_refused(self):
        self.add(self.alice, dt.date(2023, 6, 1), dt.date(2026, 6, 30))
        self.login(self.staff)
        response = self.client.post(
            reverse("governance:body", args=[board().pk]),
            {"contact": self.alice.pk, "role": "Trésorière", "starts_on": "2025-01-01"},
        )
        self.assertContains(response, "ne peuvent pas se chevaucher")
        self.assertContains(response, "du 01/06/2023 au 30/06/2026")
        self.assertEqual(Mandate.objects.count(), 1)

    def test_consecutive_mandates_and_mandates_on_other_bodies_are_allowed(self):
        self.add(self.alice, dt.date(2020, 6, 1), dt.date(2023, 5, 31))
        self.add(self.alice, dt.date(2023, 6, 1))
        services.mandate_add(
            actor=None,
            body=services.body_create(actor=None, kind="bureau", name="Bureau"),
            contact=self.alice,
            role="Présidente",
            starts_on=dt.date(2023, 6, 1),
        )
        self.assertEqual(Mandate.objects.filter(contact=self.alice).count(), 3)

    def test_an_open_ended_mandate_overlaps_any_later_one(self):
        self.add(self.alice, dt.date(2023, 6, 1))
        with self.assertRaisesMessage(Refusal, "sans date de fin"):
            self.add(self.alice, dt.date(2030, 1, 1), dt.date(2031, 1, 1))

    def test_staff_ends_a_mandate_with_a_reason(self):
        mandate = self.add(self.alice, dt.date(2023, 6, 1))
        self.login(self.staff)
        response = self.client.post(
            reverse("governance:mandate_end", args=[mandate.pk]),
            {"ends_on": "2024-03-31", "reason": "Démission", "confirm": "1"},
        )
        self.assertRedirects(response, board().get_absolute_url())
        mandate.refresh_from_db()
        self.assertEqual((mandate.ends_on, mandate.end_reason), (dt.date(2024, 3, 31), "Démission"))

    def test_ending_a_mandate_before_its_start_changes_nothing(self):
        mandate = self.add(self.alice, dt.date(2023, 6, 1))
        self.login(self.staff)
        response = self.client.post(
            reverse("governance:mandate_end", args=[mandate.pk]),
            {"ends_on": "2023-01-01", "reason": "Erreur", "confirm": "1"},
        )
        self.assertContains(response, "ne peut pas précéder son début")
        mandate.refresh_from_db()
        self.assertIsNone(mandate.ends_on)
        self.assertEqual(mandate.end_reason, "")

    def test_editing_a_mandate_into_an_overlap_is_refused(self):
        self.add(self.alice, dt.date(2020, 6, 1), dt.date(2023, 5, 31))
        later = self.add(self.alice, dt.date(2023, 6, 1))
        self.login(self.staff)
        response = self.client.post(
            reverse("governance:mandate_edit", args=[later.pk]),
            {"role": "Administratrice", "starts_on": "2023-01-01"},
        )
        self.assertContains(response, "ne peuvent pas se chevaucher")
        later.refresh_from_db()
        self.assertEqual(later.starts_on, dt.date(2023, 6, 1))

    def test_staff_corrects_the_college_of_a_mandate(self):
        mandate = self.add(self.alice, dt.date(2023, 6, 1), college=self.college_a)
        self.login(self.staff)
        self.client.post(
            reverse("governance:mandate_edit", args=[mandate.pk]),
            {"role": "Administratrice", "starts_on": "2023-06-01", "college": self.college_b.pk},
        )
        mandate.refresh_from_db()
        self.assertEqual((mandate.college, mandate.role), (self.college_b, "Administratrice"))

    def test_the_board_page_lists_current_members_per_college_and_past_members(self):
        ag = make_ag(freeze=False)
        self.add(self.alice, dt.date(2023, 6, 1), college=self.college_a, elected_at=ag)
        self.add(self.bruno, dt.date(2019, 6, 1), dt.date(2022, 6, 1), college=self.college_b)
        services.mandate_end(
            actor=None,
            mandate=Mandate.objects.get(contact=self.bruno),
            ends_on=dt.date(2022, 6, 1),
            reason="Fin de mandat",
        )
        self.login(self.staff)
        response = self.client.get(reverse("governance:body", args=[board().pk]))
        content = response.content.decode()
        current = content.index("Membres en fonction")
        past = content.index("Anciens membres")
        self.assertLess(current, content.index("Collège « Bénévoles et salariés »"), content)
        self.assertLess(content.index("Alice"), past)
        self.assertGreater(content.index("Bruno"), past)
        self.assertContains(response, ag.title)
        self.assertContains(response, "Fin de mandat")
