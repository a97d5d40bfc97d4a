import datetime as dt
from decimal import Decimal

from django.urls import reverse

from placette.lib.refusals import Refusal
from placette.places.models import Activity, IndexValue, Lease, RentLine, RentRevision
from placette.places.services import lease_revise
from placette.places.tests.helpers import (
    make_activity,
    make_index,
    make_lease,
    make_place,
    make_tenant,
)
from placette.test import BaseTestCase


class ActivityAndLeaseTests(BaseTestCase):
    def test_staff_installs_an_activity_then_its_lease_with_its_schedule(self):
        place = make_place()
        tenant = make_tenant()
        self.login(self.staff)
        response = self.client.post(
            reverse("places:activity_create", args=[place.pk]),
            {
                "tenant": tenant.pk,
                "name": "Café La Fontaine",
                "kind": "cafe",
                "opened_on": "2024-01-15",
                "jobs_fte": "2,5",
                "opening_hours": "7 h – 19 h",
            },
        )
        activity = Activity.objects.get()
        self.assertRedirects(response, reverse("places:lease_create", args=[activity.pk]))
        self.assertEqual(activity.jobs_fte, Decimal("2.5"))
        response = self.client.post(
            reverse("places:lease_create", args=[activity.pk]),
            {
                "kind": "commercial",
                "starts_on": "2024-01-15",
                "ends_on": "2033-01-14",
                "initial_rent": "620",
                "charges": "40",
                "deposit": "1240",
                "index_kind": "ILC",
                "index_year": "2023",
                "index_quarter": "3",
            },
        )
        lease = Lease.objects.get()
        self.assertRedirects(response, lease.get_absolute_url())
        self.assertEqual(lease.current_rent, Decimal("620"))
        first = lease.schedule.order_by("due_on").first()
        # 17 days of 31 in January: 620 × 17/31 = 339,99…→ 340,00 ; 40 × 17/31 = 21,94
        self.assertEqual(
            (first.due_on, first.period_end, first.rent, first.charges, first.amount),
            (
                dt.date(2024, 1, 15),
                dt.date(2024, 1, 31),
                Decimal("340.00"),
                Decimal("21.94"),
                Decimal("361.94"),
            ),
        )
        second = lease.schedule.order_by("due_on")[1]
        self.assertEqual((second.due_on, second.amount), (dt.date(2024, 2, 1), Decimal("660.00")))
        self.assertEqual(tenant.timeline.filter(area="places").count(), 2)
        self.assertContains(self.client.get(lease.get_absolute_url()), "620,00\u00a0€")

    def test_a_lease_ending_before_it_starts_is_refused_and_nothing_is_saved(self):
        activity = make_activity(make_place())
        self.login(self.staff)
        response = self.client.post(
            reverse("places:lease_create", args=[activity.pk]),
            {
                "kind": "commercial",
                "starts_on": "2024-01-15",
                "ends_on": "2023-01-14",
                "initial_rent": "620",
                "charges": "0",
                "deposit": "0",
                "index_kind": "ILC",
                "index_year": "2023",
                "index_quarter": "3",
            },
        )
        self.assertContains(
            response, "Le bail se termine le 14/01/2023, avant de commencer le 15/01/2024."
        )
        self.assertFalse(Lease.objects.exists())
        self.assertFalse(RentLine.objects.exists())
        with self.assertRaisesMessage(Refusal, "rien n’a été enregistré"):
            make_lease(activity, starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 1, 1))
        self.assertFalse(Lease.objects.exists())

    def test_a_negative_rent_or_jobs_is_refused(self):
        place = make_place()
        self.login(self.staff)
        response = self.client.post(
            reverse("places:activity_create", args=[place.pk]),
            {
                "tenant": make_tenant().pk,
                "name": "X",
                "kind": "cafe",
                "opened_on": "2024-01-15",
                "jobs_fte": "-1",
            },
        )
        self.assertContains(response, "« Emplois (ETP) » ne peut pas être négatif.")
        self.assertFalse(Activity.objects.exists())
        activity = make_activity(place)
        with self.assertRaisesMessage(Refusal, "Le loyer ne peut pas être négatif"):
            make_lease(activity, initial_rent=Decimal("-10"))
        self.assertFalse(Lease.objects.exists())

    def test_the_schedule_is_extended_idempotently(self):
        lease = make_lease(make_activity(make_place()), until=dt.date(2022, 12, 31))
        self.assertEqual(lease.schedule.count(), 8)  # May to December 2022
        from placette.places.services import lease_schedule_generate

        lease_schedule_generate(lease=lease, until=dt.date(2023, 2, 10))
        lease_schedule_generate(lease=lease, until=dt.date(2023, 2, 10))
        self.assertEqual(lease.schedule.count(), 10)


class RevisionTests(BaseTestCase):
    def test_the_revision_applies_the_hand_computed_example_and_reprices_unpaid_lines(self):
        lease = make_lease(make_activity(make_place()), until=dt.date(2023, 6, 30))
        make_index("ILC", 2022, 1, "132.63")
        make_index("ILC", 2023, 1, "136.23")
        self.login(self.staff)
        response = self.client.post(
            reverse("places:lease_revise", args=[lease.pk]),
            {"effective_on": "2023-05-01"},
            follow=True,
        )
        # 850,00 € × 136,23 ÷ 132,63 = 873,0717… → 873,07 €
        self.assertContains(response, "873,07\u00a0€")
        lease.refresh_from_db()
        self.assertEqual((lease.current_rent, lease.index_year), (Decimal("873.07"), 2023))
        revision = RentRevision.objects.get()
        self.assertEqual(revision.explanation.split(" = ")[0], "850,00\u00a0€ × 136,23 ÷ 132,63")
        may = lease.schedule.get(due_on=dt.date(2023, 5, 1))
        april = lease.schedule.get(due_on=dt.date(2023, 4, 1))
        self.assertEqual((may.rent, may.amount), (Decimal("873.07"), Decimal("923.07")))
        self.assertEqual(april.rent, Decimal("850.00"))
        self.assertEqual(
            lease.activity.tenant.timeline.filter(title__startswith="Loyer révisé").count(), 1
        )

    def test_a_revision_is_refused_when_the_index_value_is_missing_and_nothing_is_saved(self):
        lease = make_lease(make_activity(make_place()), until=dt.date(2023, 6, 30))
        make_index("ILC", 2022, 1, "132.63")
        self.login(self.staff)
        response = self.client.post(
            reverse("places:lease_revise", args=[lease.pk]),
            {"effective_on": "2023-05-01"},
            follow=True,
        )
        self.assertContains(
            response,
            "Révision impossible au 01/05/2023 : la valeur de l’ILC du 1er trimestre 2023 "
            "n’est pas saisie.",
        )
        lease.refresh_from_db()
        self.assertEqual((lease.current_rent, lease.index_year), (Decimal("850.00"), 2022))
        self.assertFalse(RentRevision.objects.exists())
        self.assertEqual(lease.schedule.get(due_on=dt.date(2023, 5, 1)).rent, Decimal("850.00"))

    def test_a_second_revision_uses_the_previous_new_index_as_reference(self):
        lease = make_lease(make_activity(make_place()), until=dt.date(2022, 6, 30))
        for year, value in [(2022, "100.00"), (2023, "110.00"), (2024, "121.00")]:
            make_index("ILC", year, 1, value)
        lease_revise(actor=None, lease=lease, effective_on=dt.date(2023, 5, 1))
        lease.refresh_from_db()
        self.assertEqual(lease.next_revision_on(), dt.date(2024, 5, 1))
        revision = lease_revise(actor=None, lease=lease)
        self.assertEqual(
            (revision.effective_on, revision.new_rent), (dt.date(2024, 5, 1), Decimal("1028.50"))
        )
        with self.assertRaisesMessage(Refusal, "déjà révisé"):
            lease_revise(actor=None, lease=lease, effective_on=dt.date(2024, 5, 1))


class IndexTests(BaseTestCase):
    def test_staff_enters_an_index_value_and_a_negative_one_is_refused(self):
        self.login(self.staff)
        self.client.post(
            reverse("places:indexes"),
            {"kind": "ILAT", "year": "2024", "quarter": "2", "value": "135,71"},
        )
        self.assertEqual(IndexValue.objects.get().value, Decimal("135.71"))
        response = self.client.post(
            reverse("places:indexes"),
            {"kind": "ILAT", "year": "2024", "quarter": "3", "value": "-1"},
        )
        self.assertContains(response, "La valeur d’un indice est strictement positive.")
        self.assertEqual(IndexValue.objects.count(), 1)

    def test_index_values_are_imported_from_csv_all_or_nothing(self):
        self.login(self.staff)
        from django.core.files.uploadedfile import SimpleUploadedFile

        good = b"indice;annee;trimestre;valeur\nILC;2023;1;128,68\nICC;2023;T2;2162\n"
        self.client.post(
            reverse("places:index_import"), {"file": SimpleUploadedFile("i.csv", good)}
        )
        self.assertEqual(IndexValue.objects.count(), 2)
        self.assertEqual(IndexValue.objects.get(kind="ICC").quarter, 2)
        bad = b"indice;annee;trimestre;valeur\nILC;2024;1;130\nXYZ;2024;1;1\n"
        response = self.client.post(
            reverse("places:index_import"), {"file": SimpleUploadedFile("i.csv", bad)}, follow=True
        )
        self.assertContains(response, "Import refusé, rien n’a été enregistré.")
        self.assertContains(response, "Ligne 3 : indice inconnu « XYZ ».")
        self.assertEqual(IndexValue.objects.count(), 2)
