import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placette.lib.models import AuditEntry
from placette.places.models import Operation, Place, StatusChange
from placette.places.tests.helpers import (
    make_activity,
    make_lease,
    make_operation,
    make_place,
)
from placette.test import BaseTestCase


class PermissionTests(BaseTestCase):
    def test_every_places_view_refuses_anonymous_visitors_members_and_activity_holders(self):
        """Every URL of places/urls.py, GET and POST: anonymous → sign-in, member, board member
        and activity holder → 403, nothing written; the team gets the page (the goal: admins)."""
        from placette.places import urls
        from placette.places.tests.test_investment import _published_version

        place = make_place()
        make_operation(place)
        activity = make_activity(place)
        lease = make_lease(activity)
        line = lease.schedule.first()
        financing_line = place.operation.financing.create(
            source="capital", amount=Decimal("1000"), secured_on=dt.date(2021, 1, 1)
        )
        version = _published_version()
        args = {
            "detail": [place.pk],
            "edit": [place.pk],
            "status": [place.pk],
            "event": [place.pk],
            "document": [place.pk],
            "operation": [place.pk],
            "financing_add": [place.pk],
            "activity_create": [place.pk],
            "score": [place.pk],
            "decision": [place.pk],
            "criteria": [version.pk],
            "criteria_publish": [version.pk],
            "financing_remove": [financing_line.pk],
            "activity_edit": [activity.pk],
            "lease_create": [activity.pk],
            "lease": [lease.pk],
            "lease_revise": [lease.pk],
            "lease_schedule": [lease.pk],
            "payment": [line.pk],
            "reminder": [line.pk],
            "figures_export": ["csv"],
        }
        # pages a GET shows to the team (the others answer POST only: 405 on GET)
        post_only = {
            "status",
            "event",
            "document",
            "financing_add",
            "lease_revise",
            "lease_schedule",
            "payment",
            "reminder",
            "index_import",
            "criteria_create",
            "criteria_publish",
        }
        names = {pattern.name for pattern in urls.urlpatterns}
        writes = AuditEntry.objects.count()
        for name in sorted(names):
            url = reverse(f"places:{name}", args=args.get(name, []))
            self.assert_staff_only(url, method="post")
            if name not in post_only:
                self.assert_staff_only(url)
        self.assertEqual(AuditEntry.objects.count(), writes)
        team = {name: 200 for name in names - post_only} | {name: 405 for name in post_only}
        team["settings"] = 403  # the network goal is for staff admins
        self.login(self.staff)
        for name, status in sorted(team.items()):
            url = reverse(f"places:{name}", args=args.get(name, []))
            response = self.client.get(url)
            if response.status_code == 302:  # e.g. scoring a place before its study: back
                self.assertFalse(response["Location"].startswith(reverse("account_login")))
            else:
                self.assertEqual(response.status_code, status, name)
        self.login(self.staff_admin)
        self.assertEqual(self.client.get(reverse("places:settings")).status_code, 200)

    def test_the_network_goal_is_edited_by_staff_admins_only(self):
        self.login(self.staff)
        self.assertEqual(self.client.get(reverse("places:settings")).status_code, 403)
        self.login(self.staff_admin)
        response = self.client.post(reverse("places:settings"), {"network_goal": 60})
        self.assertRedirects(response, reverse("places:figures"))
        from placette.places.models import PlacesSettings

        self.assertEqual(PlacesSettings.get().network_goal, 60)


class PlaceListTests(BaseTestCase):
    def test_the_list_page_costs_the_same_number_of_queries_whatever_the_number_of_places(self):
        self.login(self.staff)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("places:list"))
            self.assertEqual(response.status_code, 200)
            return len(queries)

        for i in range(3):
            place = make_place(name=f"Lieu {i}")
            make_activity(place)
        few = count()
        for i in range(60):
            make_place(name=f"Lieu x{i}")
        self.assertEqual(count(), few)
        first = self.client.get(reverse("places:list")).context["list"]
        with self.assertNumQueries(few):
            self.client.get(reverse("places:list") + "?" + first.next_query)

    def test_the_filters_narrow_the_list_by_department_kind_and_status(self):
        make_place(name="Café drômois")
        make_place(
            name="Épicerie ardéchoise",
            commune_code="07107",
            postcode="07380",
            kind="epicerie",
            status="works",
        )
        self.login(self.staff)
        url = reverse("places:list")
        response = self.client.get(url, {"department": "07"})
        self.assertContains(response, "Épicerie ardéchoise")
        self.assertNotContains(response, "Café drômois")
        response = self.client.get(url, {"kind": "cafe"})
        self.assertContains(response, "Café drômois")
        self.assertNotContains(response, "Épicerie ardéchoise")
        response = self.client.get(url, {"status": "works"})
        self.assertContains(response, "Épicerie ardéchoise")
        self.assertNotContains(response, "Café drômois")

    def test_the_map_gets_only_places_with_coordinates_and_the_list_shows_them_all(self):
        make_place(name="Sur la carte")
        make_place(name="Sans coordonnées", latitude=None, longitude=None)
        self.login(self.staff)
        response = self.client.get(reverse("places:list"))
        markers = response.context["markers"]
        self.assertEqual([m["name"] for m in markers], ["Sur la carte"])
        self.assertContains(response, "Sans coordonnées")
        self.assertContains(response, 'id="places-markers"')
        self.assertNotContains(response, "unpkg")
        self.assertNotContains(response, "cdn")


class PlaceFormTests(BaseTestCase):
    def test_staff_creates_a_place_with_the_commune_resolved_and_a_dated_first_step(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("places:create"),
            {
                "name": "Multi-commerce de Jaujac",
                "kind": "multi_commerce",
                "address_line1": "Place du Champ de Mars",
                "postcode": "07380",
                "commune": "jaujac",
                "latitude": "44,6370",
                "longitude": "4,2570",
                "status": "study",
                "decided_on": "2024-02-01",
                "decided_by": "Comité d’investissement",
            },
        )
        place = Place.objects.get(name="Multi-commerce de Jaujac")
        self.assertRedirects(response, place.get_absolute_url())
        self.assertEqual(
            (place.commune_code, place.commune_name, place.department_code, place.region_code),
            ("07107", "Jaujac", "07", "84"),
        )
        self.assertEqual(place.latitude, Decimal("44.637"))
        self.assertTrue(Operation.objects.filter(place=place).exists())
        step = StatusChange.objects.get(place=place)
        self.assertEqual(
            (step.status, step.decided_on, step.decided_by, step.actor),
            ("study", dt.date(2024, 2, 1), "Comité d’investissement", self.staff),
        )
        self.assertEqual(AuditEntry.objects.for_object(place).get().action, "places.place.created")
        page = self.client.get(place.get_absolute_url())
        self.assertContains(page, "Ardèche")
        self.assertContains(page, "Comité d’investissement")

    def test_an_unknown_commune_is_refused_with_the_communes_of_the_postcode(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("places:create"),
            {
                "name": "Nulle part",
                "kind": "cafe",
                "postcode": "26340",
                "commune": "Atlantis",
                "status": "prospect",
                "decided_on": "2024-02-01",
                "decided_by": "Équipe",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Commune inconnue")
        self.assertContains(response, "Aurel")
        self.assertFalse(Place.objects.exists())

    def test_the_pipeline_steps_are_appended_dated_with_who_decided(self):
        place = make_place(status="study")
        self.login(self.staff)
        response = self.client.post(
            reverse("places:status", args=[place.pk]),
            {"status": "acquisition", "decided_on": "2024-05-02", "decided_by": "CA du 2 mai"},
        )
        self.assertRedirects(response, place.get_absolute_url())
        place.refresh_from_db()
        self.assertEqual(place.status, "acquisition")
        self.assertEqual(place.status_changes.count(), 2)
        # A step without "who decided" is refused and changes nothing.
        self.client.post(
            reverse("places:status", args=[place.pk]),
            {"status": "works", "decided_on": "2024-06-01", "decided_by": ""},
        )
        place.refresh_from_db()
        self.assertEqual((place.status, place.status_changes.count()), ("acquisition", 2))

    def test_the_place_page_shows_its_timeline_of_acquisition_works_and_opening(self):
        place = make_place()
        make_operation(place)
        make_activity(place)
        self.login(self.staff)
        self.client.post(
            reverse("places:event", args=[place.pk]),
            {"evt-happened_on": "2022-06-18", "evt-title": "Inauguration"},
        )
        response = self.client.get(place.get_absolute_url())
        timeline = [m.title for m in response.context["timeline"]]
        self.assertEqual(
            timeline,
            [
                "Inauguration",
                "Ouverture de « Café La Fontaine »",
                "Fin des travaux",
                "Début des travaux",
                "Acquisition du lieu",
                "Étape « Ouvert »",
            ],
        )

    def test_a_photo_is_uploaded_and_shown_on_the_place_page(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        place = make_place()
        self.login(self.staff)
        upload = SimpleUploadedFile("facade.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
        self.client.post(
            reverse("places:document", args=[place.pk]),
            {"doc-kind": "photo", "doc-title": "Façade", "doc-file": upload},
        )
        document = place.documents.get()
        self.assertTrue(document.is_image)
        self.assertContains(
            self.client.get(place.get_absolute_url()), document.document.get_absolute_url()
        )


class PlaceDetailQueryTests(BaseTestCase):
    def test_a_place_page_costs_the_same_queries_with_5_and_60_of_each_related_row(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from placette.lib.testing import PDF
        from placette.places import services
        from placette.places.tests.helpers import make_tenant

        place = make_place()
        operation = make_operation(place)
        made = [0]

        def add(n: int) -> None:
            for _ in range(n):
                made[0] += 1
                i = made[0]
                tenant = make_tenant(name=f"Asso {i}", email=f"asso{i}@ex.fr")
                make_lease(make_activity(place, tenant=tenant, name=f"Activité {i}"))
                services.financing_line_add(
                    actor=self.staff,
                    operation=operation,
                    data={
                        "source": "capital",
                        "funder": tenant,
                        "amount": Decimal("10"),
                        "secured_on": dt.date(2021, 1, 1),
                    },
                )
                services.place_event_add(
                    actor=self.staff, place=place, happened_on=dt.date(2022, 1, 1), title=f"É{i}"
                )
                services.place_status_change(
                    actor=self.staff,
                    place=place,
                    status="study",
                    decided_on=dt.date(2020, 1, 1) + dt.timedelta(days=i),
                    decided_by="CA",
                )
                services.place_document_add(
                    actor=self.staff,
                    place=place,
                    kind="deed",
                    title=f"Acte {i}",
                    file=SimpleUploadedFile(f"acte{i}.pdf", PDF),
                )

        self.login(self.staff)
        try:
            self.assert_constant_queries(reverse("places:detail", args=[place.pk]), add)
        finally:
            for document in place.documents.select_related("document"):
                document.document.file.delete(save=False)

    def test_the_criteria_versions_page_costs_the_same_queries_with_5_and_60_versions(self):
        from placette.places import services

        def add(n: int) -> None:
            for _ in range(n):
                version = services.criteria_version_create(actor=self.staff)
                services.criteria_version_update(
                    actor=self.staff,
                    version=version,
                    note="",
                    criteria=[{"id": None, "label": "Besoin", "description": "", "weight": 1}],
                )
                services.criteria_version_publish(
                    actor=self.staff,
                    version=version,
                    adopted_on=dt.date(2024, 6, 1),
                    adopted_by="AG 2024",
                )

        self.login(self.staff)
        self.assert_constant_queries(reverse("places:criteria_list"), add)
