"""The register is append-only in Django and in the database; numbering is gapless under
concurrency (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.test import TransactionTestCase

from placette.contacts.services import contact_merge
from placette.lib.refusals import Refusal
from placette.membership.models import Member, Movement, Sequence
from placette.membership.services import shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.test import BaseTestCase, make_contact


class AppendOnlyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.movement = shares_subscribe(
            actor=None, contact=cls.alice, shares=3, category=category("soutiens")
        )

    def test_django_refuses_to_save_again_or_delete_a_booked_movement(self):
        movement = Movement.objects.get(pk=self.movement.pk)
        movement.shares = 300
        with self.assertRaisesMessage(Refusal, "en ajout seul"):
            movement.save()
        with self.assertRaises(Refusal):
            movement.delete()
        with self.assertRaises(Refusal):
            Movement.objects.filter(pk=movement.pk).update(shares=300)
        with self.assertRaises(Refusal):
            Movement.objects.all().delete()

    def test_the_database_refuses_an_update_of_a_booked_movement(self):
        with (
            self.assertRaises((IntegrityError, DatabaseError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE membership_movement SET shares = 300 WHERE id = %s", [self.movement.pk]
            )
        self.assertEqual(Movement.objects.get(pk=self.movement.pk).shares, 3)

    def test_the_database_refuses_a_delete_of_a_booked_movement(self):
        with (
            self.assertRaises((IntegrityError, DatabaseError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM membership_movement WHERE id = %s", [self.movement.pk])
        self.assertTrue(Movement.objects.filter(pk=self.movement.pk).exists())

    def test_merging_a_duplicate_contact_repoints_its_movements_and_nothing_else(self):
        duplicate = make_contact(first_name="Bob", last_name="Double")
        shares_subscribe(actor=None, contact=duplicate, shares=2, category=category("soutiens"))
        keep = make_contact(first_name="Bob", last_name="Double", email="bob@exemple.fr")
        contact_merge(actor=None, keep=keep, absorb=duplicate)
        self.assertEqual(Movement.objects.get(holder=keep).shares, 2)
        self.assertEqual(Member.objects.get(contact=keep).number, 2)


@pytest.mark.postgres
class ConcurrentNumberingTests(TransactionTestCase):
    """Two staff members approving at the same moment get distinct, consecutive numbers."""

    def setUp(self):
        if connection.vendor != "postgresql":
            pytest.skip("Test de concurrence : PostgreSQL seulement.")
        make_statutes(effective_from=dt.date(2018, 1, 1))
        self.contacts = [make_contact(last_name=f"Concurrent{i}") for i in range(16)]

    def test_two_staff_booking_at_the_same_moment_get_gapless_unique_numbers(self):
        barrier = threading.Barrier(8)
        errors: list[BaseException] = []
        soutiens = category("soutiens")

        def book(contacts):
            try:
                barrier.wait()
                for contact in contacts:
                    shares_subscribe(actor=None, contact=contact, shares=1, category=soutiens)
            except BaseException as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=book, args=(self.contacts[i::8],)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        numbers = sorted(Movement.objects.values_list("number", flat=True))
        self.assertEqual(numbers, list(range(1, 17)))
        members = sorted(Member.objects.values_list("number", flat=True))
        self.assertEqual(members, list(range(1, 17)))
        self.assertEqual(Sequence.objects.get(name="movement").last, 16)
