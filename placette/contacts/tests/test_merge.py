from django.urls import reverse

from placette.contacts.models import Affiliation, Contact, Tag
from placette.contacts.services import (
    affiliation_add,
    contact_merge,
    duplicates_find,
    timeline_append,
)
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase, make_contact


class DuplicateTests(BaseTestCase):
    def test_it_finds_contacts_sharing_an_email_whatever_its_case(self):
        a = make_contact(last_name="Un", email="double@ex.fr")
        b = make_contact(last_name="Deux", email="DOUBLE@ex.fr")
        groups = duplicates_find()
        self.assertIn({a.pk, b.pk}, [{c.pk for c in g.contacts} for g in groups])

    def test_it_finds_the_same_name_in_the_same_commune_but_not_in_another(self):
        a = make_contact(first_name="Éloïse", last_name="Martin", commune_code="26113")
        b = make_contact(first_name="Eloise", last_name="MARTIN", commune_code="26113")
        c = make_contact(first_name="Eloise", last_name="Martin", commune_code="07019")
        found = [{x.pk for x in g.contacts} for g in duplicates_find()]
        self.assertIn({a.pk, b.pk}, found)
        self.assertFalse(any(c.pk in group for group in found))


class MergeTests(BaseTestCase):
    def test_a_merge_moves_every_link_and_keeps_the_whole_timeline(self):
        keep = make_contact(first_name="Ana", last_name="Roux", email="ana@ex.fr")
        absorb = make_contact(first_name="Ana", last_name="Roux", phone="0600000000")
        org = make_contact(kind="organisation", organisation_name="Épicerie", org_kind="ess")
        affiliation_add(actor=None, person=absorb, organisation=org, role="gérante")
        absorb.tags.add(Tag.objects.create(name="bénévole"))
        timeline_append(contact=absorb, kind="note", title="Ancienne note")
        timeline_append(contact=keep, kind="note", title="Note conservée")
        merged = contact_merge(actor=self.staff, keep=keep, absorb=absorb)
        self.assertFalse(Contact.objects.filter(pk=absorb.pk).exists())
        self.assertEqual(merged.phone, "0600000000")
        self.assertEqual(merged.email, "ana@ex.fr")
        titles = set(merged.timeline.values_list("title", flat=True))
        self.assertTrue({"Ancienne note", "Note conservée"} <= titles)
        self.assertTrue(any(t.startswith("Fusion avec la fiche") for t in titles))
        self.assertEqual(Affiliation.objects.get(person=merged).organisation, org)
        self.assertEqual(list(merged.tags.values_list("name", flat=True)), ["bénévole"])

    def test_a_merge_moves_the_user_account_of_the_absorbed_contact(self):
        keep = make_contact(last_name="Garde")
        absorb = self.member.contact
        contact_merge(actor=self.staff, keep=keep, absorb=absorb)
        self.member.refresh_from_db()
        self.assertEqual(self.member.contact, keep)

    def test_a_merge_refuses_two_contacts_that_both_have_an_account(self):
        with self.assertRaisesMessage(Refusal, "fusion impossible"):
            contact_merge(
                actor=self.staff, keep=self.member.contact, absorb=self.other_member.contact
            )
        self.assertTrue(Contact.objects.filter(pk=self.other_member.contact.pk).exists())

    def test_a_person_cannot_be_merged_with_an_organisation(self):
        person = make_contact(last_name="P")
        org = make_contact(kind="organisation", organisation_name="O", org_kind="ess")
        with self.assertRaisesMessage(Refusal, "personne avec une organisation"):
            contact_merge(actor=self.staff, keep=person, absorb=org)

    def test_staff_merges_two_duplicates_from_the_web_page(self):
        keep = make_contact(last_name="Web", email="web@ex.fr")
        absorb = make_contact(last_name="Web", email="WEB@ex.fr")
        self.login(self.staff)
        page = self.client.get(reverse("contacts:duplicates"))
        self.assertContains(page, reverse("contacts:merge", args=[keep.pk, absorb.pk]))
        response = self.client.post(reverse("contacts:merge", args=[keep.pk, absorb.pk]))
        self.assertRedirects(response, keep.get_absolute_url())
        self.assertFalse(Contact.objects.filter(pk=absorb.pk).exists())


class MergeWithLedgerTests(BaseTestCase):
    """Merging moves share movements too (the ledger lets only their holder be re-pointed)."""

    def setUp(self):
        from placette.membership.models import Category
        from placette.membership.tests.helpers import make_statutes

        make_statutes()
        self.category = Category.objects.get(code="soutiens")

    def _holder(self, last_name: str) -> Contact:
        from placette.membership.services import shares_subscribe

        contact = make_contact(last_name=last_name)
        shares_subscribe(actor=None, contact=contact, shares=2, category=self.category)
        return contact

    def test_a_duplicate_without_shares_is_merged_into_the_holder(self):
        holder = self._holder("Porteur")
        duplicate = make_contact(last_name="Porteur", email="porteur@ex.fr")
        merged = contact_merge(actor=self.staff, keep=holder, absorb=duplicate)
        self.assertEqual(merged.email, "porteur@ex.fr")

    def test_an_absorbed_holder_keeps_its_shares_on_the_surviving_record(self):
        from placette.membership.projections import holding_of

        holder = self._holder("Porteur")
        other = make_contact(last_name="Porteur")
        contact_merge(actor=self.staff, keep=other, absorb=holder)
        self.assertEqual(holding_of(other).shares, 2)

    def test_two_members_cannot_be_merged_and_nothing_changes(self):
        from placette.membership.projections import holding_of

        first, second = self._holder("Un"), self._holder("Deux")
        with self.assertRaisesMessage(Refusal, "fusion impossible"):
            contact_merge(actor=self.staff, keep=first, absorb=second)
        self.assertEqual((holding_of(first).shares, holding_of(second).shares), (2, 2))
