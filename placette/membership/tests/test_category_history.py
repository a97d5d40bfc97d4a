"""A member's category (and so its college) has a history: projections at a date read it."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from placette.contacts.models import TimelineEntry
from placette.lib.audit import AuditEntry
from placette.lib.refusals import Refusal
from placette.membership import projections
from placette.membership.models import CategoryChange, Member
from placette.membership.services import (
    member_category_change,
    shares_subscribe,
)
from placette.membership.tests.helpers import category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


class CategoryHistoryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.ann = make_contact(first_name="Ann", last_name="Salariée")
        shares_subscribe(
            actor=None, contact=cls.ann, shares=2, category=category("salaries"), on=D(2020, 1, 1)
        )
        cls.member = Member.objects.get(contact=cls.ann)

    def change(self, **overrides):
        data = {
            "actor": self.staff,
            "member": self.member,
            "category": category("soutiens"),
            "effective_on": D(2023, 6, 1),
            "reason": "A quitté l’entreprise",
        }
        data.update(overrides)
        return member_category_change(**data)

    def assert_nothing_changed(self):
        self.member.refresh_from_db()
        self.assertEqual(self.member.category, category("salaries"))
        self.assertEqual(CategoryChange.objects.filter(member=self.member).count(), 1)
        self.assertFalse(
            AuditEntry.objects.filter(action="membership.member.category_changed").exists()
        )

    def test_admission_records_the_first_category_of_the_history(self):
        line = CategoryChange.objects.get(member=self.member)
        self.assertEqual((line.category, line.effective_on), (category("salaries"), D(2020, 1, 1)))

    def test_the_roll_before_the_change_shows_the_old_college_and_after_it_the_new_one(self):
        self.change()
        before = projections.electoral_roll(D(2023, 5, 31))
        after = projections.electoral_roll(D(2023, 6, 1))
        self.assertEqual([(e.category, e.college) for e in before], [("Salariés", "Salariés")])
        self.assertEqual([(e.category, e.college) for e in after], [("Soutiens", "Soutiens")])
        self.assertEqual(projections.members_by_category(D(2023, 5, 31)), [("Salariés", 1)])
        self.assertEqual(projections.members_by_category(D(2024, 1, 1)), [("Soutiens", 1)])
        self.assertEqual(dict(projections.members_by_college(D(2021, 1, 1)))["Salariés"], 1)
        self.assertEqual(dict(projections.members_by_college(D(2024, 1, 1)))["Soutiens"], 1)

    def test_a_change_updates_the_current_category_and_is_audited_and_on_the_timeline(self):
        self.change()
        self.member.refresh_from_db()
        self.assertEqual(self.member.category, category("soutiens"))
        entry = AuditEntry.objects.get(action="membership.member.category_changed")
        self.assertEqual(entry.details["category"], "soutiens")
        self.assertTrue(
            TimelineEntry.objects.filter(contact=self.ann, title__contains="Soutiens").exists()
        )
        self.assertEqual(projections.members_by_category(timezone.localdate()), [("Soutiens", 1)])

    def test_it_refuses_a_category_whose_minimum_the_holding_does_not_reach(self):
        with self.assertRaisesMessage(Refusal, "au moins 5 part(s)"):
            self.change(category=category("partenaires"))
        self.assert_nothing_changed()

    def test_it_refuses_a_date_before_the_admission(self):
        with self.assertRaisesMessage(Refusal, "précède l’admission"):
            self.change(effective_on=D(2019, 12, 31))
        self.assert_nothing_changed()

    def test_it_refuses_the_same_category(self):
        with self.assertRaisesMessage(Refusal, "déjà dans la catégorie"):
            self.change(category=category("salaries"))
        self.assert_nothing_changed()

    def test_it_refuses_a_date_before_the_last_change(self):
        self.change()
        with self.assertRaisesMessage(Refusal, "dernier changement"):
            self.change(category=category("beneficiaires"), effective_on=D(2023, 1, 1))
        self.assertEqual(CategoryChange.objects.filter(member=self.member).count(), 2)

    def test_the_history_cannot_be_edited_or_deleted(self):
        line = CategoryChange.objects.get(member=self.member)
        with self.assertRaises(Refusal):
            line.save()
        with self.assertRaises(Refusal):
            CategoryChange.objects.all().delete()

    def test_the_projections_stay_a_few_grouped_queries(self):
        self.change()
        with self.assertNumQueries(2):
            projections.members_by_category(D(2023, 1, 1))
        with self.assertNumQueries(4):
            projections.members_by_college(D(2023, 1, 1))


class CategoryChangeViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.ann = make_contact(first_name="Ann", last_name="Salariée")
        shares_subscribe(
            actor=None, contact=cls.ann, shares=2, category=category("salaries"), on=D(2020, 1, 1)
        )
        cls.url = reverse("membership:category_change", args=[cls.ann.pk])

    def post(self, **data):
        values = {
            "category": category("soutiens").pk,
            "effective_on": "2023-06-01",
            "reason": "A quitté l’entreprise",
            "decision": "CA du 28/05/2023",
        }
        values.update(data)
        return self.client.post(self.url, values, follow=True)

    def test_only_staff_can_change_a_category(self):
        self.assert_staff_only(self.url, method="post", data={"reason": "x"})

    def test_staff_change_the_category_on_the_holder_page_and_see_the_history(self):
        self.login(self.staff)
        response = self.post()
        self.assertContains(response, "Catégorie changée")
        self.assertContains(response, "Historique des catégories")
        self.assertContains(response, "CA du 28/05/2023")
        self.assertEqual(Member.objects.get(contact=self.ann).category, category("soutiens"))

    def test_a_refused_change_shows_the_reason_and_changes_nothing(self):
        self.login(self.staff)
        response = self.post(category=category("partenaires").pk)
        self.assertContains(response, "au moins 5 part(s)")
        self.assertEqual(Member.objects.get(contact=self.ann).category, category("salaries"))
