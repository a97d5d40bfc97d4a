"""The local authority's accounts office receives the invoice: its XML read with lxml and the
`factur-x` package's schema check, field by field (no PDF rendered, so it stays cheap)."""

from decimal import Decimal

import facturx
from lxml import etree

from placette.studies import printouts, services
from placette.studies.models import StudiesSettings
from placette.studies.tests.helpers import accepted_mission, ago
from placette.test import BaseTestCase

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


class AccountsOfficeTests(BaseTestCase):
    def setUp(self):
        settings = StudiesSettings.get()
        settings.seller_siren, settings.seller_siret = "123456789", "12345678900017"
        settings.seller_vat_number = "FR32123456789"
        settings.save()
        self.invoice = services.invoice_issue(
            actor=None,
            mission=accepted_mission(),
            issued_on=ago(90),
            lines=[{"label": "Diagnostic", "quantity": Decimal(2), "unit_price": Decimal("650")}],
        )

    def tree(self, invoice):
        xml = printouts.invoice_cii(invoice)
        self.assertTrue(facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931"))
        return etree.fromstring(xml)

    def test_the_invoice_names_both_parties_its_due_date_and_the_late_payment_mentions(self):
        tree = self.tree(self.invoice)
        seller = tree.find(".//ram:SellerTradeParty", NS)
        legal = seller.find("ram:SpecifiedLegalOrganization/ram:ID", NS)
        self.assertEqual((legal.text, legal.get("schemeID")), ("123456789", "0002"))
        siret = seller.find("ram:GlobalID", NS)  # Chorus Pro finds the supplier by its SIRET
        self.assertEqual((siret.text, siret.get("schemeID")), ("12345678900017", "0009"))
        self.assertEqual(
            seller.findtext("ram:SpecifiedTaxRegistration/ram:ID", namespaces=NS), "FR32123456789"
        )
        buyer = tree.find(".//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", NS)
        self.assertEqual(buyer.text, "21070204300015")
        order = ".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
        self.assertEqual(tree.findtext(order, namespaces=NS), "EJ-2026-0042")
        due = tree.findtext(".//ram:DueDateDateTime/udt:DateTimeString", namespaces=NS)
        self.assertEqual(due, f"{self.invoice.due_on:%Y%m%d}")
        notes = {
            note.findtext("ram:SubjectCode", namespaces=NS): note.findtext(
                "ram:Content", namespaces=NS
            )
            for note in tree.iterfind(".//rsm:ExchangedDocument/ram:IncludedNote", NS)
        }
        self.assertIn("40", notes["PMT"])
        self.assertIn("recouvrement", notes["PMT"])
        self.assertIn("Pénalités de retard", notes["PMD"])
        self.assertGreater(len(notes["PMD"]), len("Pénalités de retard : ."))
        self.assertEqual(
            tree.findtext(
                ".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
                "ram:RateApplicablePercent",
                namespaces=NS,
            ),
            "20.00",
        )

    def test_a_credit_note_refers_to_its_invoice_by_number_and_date_and_is_numbered_apart(self):
        note = services.credit_note_issue(
            actor=None, invoice=self.invoice, issued_on=ago(80), reason="Erreur de quantité"
        )
        tree = self.tree(note)
        kind = tree.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS)
        self.assertEqual(kind, "381")
        ref = tree.find(".//ram:InvoiceReferencedDocument", NS)
        self.assertEqual(ref.findtext("ram:IssuerAssignedID", namespaces=NS), self.invoice.number)
        self.assertEqual(
            ref.findtext("ram:FormattedIssueDateTime/*", namespaces=NS),
            f"{self.invoice.issued_on:%Y%m%d}",
        )
        self.assertEqual(note.number, f"A-{note.year}-0001")
        self.assertEqual(
            tree.findtext(".//ram:GrandTotalAmount", namespaces=NS), f"{self.invoice.total_gross}"
        )
