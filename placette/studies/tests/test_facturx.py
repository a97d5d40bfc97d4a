"""Every invoice is a Factur-X: checked with the `factur-x` package's own schema check and its
reader, the PDF text read with pypdf, the totals summed again from the XML lines."""

import io
from decimal import Decimal

import facturx
from lxml import etree
from pypdf import PdfReader

from placette.studies import printouts, services
from placette.studies.models import StudiesSettings
from placette.studies.tests.helpers import accepted_mission, ago
from placette.test import BaseTestCase

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


class FacturXTests(BaseTestCase):
    def setUp(self):
        settings = StudiesSettings.get()
        settings.seller_siren, settings.seller_siret = "123456789", "12345678900017"
        settings.seller_vat_number, settings.iban = "FR32123456789", "FR7630006000011234567890189"
        settings.save()
        self.mission = accepted_mission()
        self.invoice = services.invoice_issue(
            actor=self.staff,
            mission=self.mission,
            issued_on=ago(90),
            lines=[
                {
                    "label": "Diagnostic",
                    "quantity": Decimal("2.5"),
                    "unit_price": Decimal("650.00"),
                },
                {
                    "label": "Frais de déplacement",
                    "quantity": Decimal(3),
                    "unit_price": Decimal("41.15"),
                },
            ],
        )

    def test_the_invoice_is_a_valid_factur_x_with_its_xml_attached(self):
        pdf = printouts.invoice_facturx(self.invoice)
        filename, xml = facturx.get_facturx_xml_from_pdf(io.BytesIO(pdf), check_xsd=False)
        self.assertEqual(filename, "factur-x.xml")
        self.assertTrue(facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931"))
        tree = etree.fromstring(xml)
        self.assertEqual(facturx.get_level(tree), "en16931")
        self.assertEqual(
            tree.findtext(".//rsm:ExchangedDocument/ram:ID", namespaces=NS), self.invoice.number
        )
        self.assertEqual(
            tree.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS), "380"
        )
        # Chorus Pro: buyer SIRET (scheme 0009), service code (BT-10), commitment (BT-13)
        buyer = tree.find(".//ram:BuyerTradeParty", NS)
        legal = buyer.find("ram:SpecifiedLegalOrganization/ram:ID", NS)
        self.assertEqual((legal.text, legal.get("schemeID")), ("21070204300015", "0009"))
        self.assertEqual(tree.findtext(".//ram:BuyerReference", namespaces=NS), "SERV-ETUDES")
        self.assertEqual(
            tree.findtext(
                ".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", namespaces=NS
            ),
            "EJ-2026-0042",
        )
        seller_vat = tree.findtext(
            ".//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", namespaces=NS
        )
        self.assertEqual(seller_vat, "FR32123456789")
        # totals recomputed from the XML lines by an independent sum
        lines = [
            Decimal(x.text)
            for x in tree.iterfind(
                ".//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount", NS
            )
        ]
        self.assertEqual(sum(lines), Decimal("1748.45"))  # 1,625.00 + 123.45
        header = tree.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
        self.assertEqual(
            Decimal(header.findtext("ram:TaxBasisTotalAmount", namespaces=NS)), sum(lines)
        )
        vat = Decimal(header.findtext("ram:TaxTotalAmount", namespaces=NS))
        self.assertEqual(vat, (sum(lines) * Decimal("0.2")).quantize(Decimal("0.01")))
        self.assertEqual(
            Decimal(header.findtext("ram:GrandTotalAmount", namespaces=NS)), sum(lines) + vat
        )
        self.assertEqual(self.invoice.total_gross, sum(lines) + vat)

    def test_the_printed_invoice_carries_the_legal_mentions(self):
        text = text_of(printouts.invoice_facturx(self.invoice))
        for mention in [
            self.invoice.number,
            "SIREN 123456789",
            "SIRET 12345678900017",
            "TVA intracommunautaire FR32123456789",
            "20 %",
            "date d’échéance",
            "pénalités de retard",
            "40,00 €",
            "SIRET acheteur 21070204300015",
            "Code service SERV-ETUDES",
            "N° d’engagement EJ-2026-0042",
            "2 098,14",
        ]:
            self.assertIn(
                mention.replace("\u202f", " "),
                text.replace("\u202f", " ").replace("\xa0", " "),
                mention,
            )

    def test_a_credit_note_is_a_factur_x_credit_note_referring_to_its_invoice(self):
        note = services.credit_note_issue(
            actor=self.staff, invoice=self.invoice, issued_on=ago(80), reason="Erreur"
        )
        pdf = printouts.invoice_facturx(note)
        _name, xml = facturx.get_facturx_xml_from_pdf(io.BytesIO(pdf), check_xsd=True)
        tree = etree.fromstring(xml)
        self.assertEqual(
            tree.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS), "381"
        )
        self.assertEqual(
            tree.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=NS),
            self.invoice.number,
        )


class ExemptFacturXTests(BaseTestCase):
    def test_an_invoice_without_vat_says_why_in_the_xml_and_on_the_pdf(self):
        settings = StudiesSettings.get()
        settings.vat_rate = Decimal(0)
        settings.save()
        mission = accepted_mission()
        self.assertEqual(mission.quote.vat_exemption, "TVA non applicable, art. 293 B du CGI")
        invoice = services.invoice_issue(
            actor=self.staff,
            mission=mission,
            issued_on=ago(90),
            lines=[{"label": "Acompte", "quantity": Decimal(1), "unit_price": Decimal("1000.00")}],
        )
        self.assertEqual((invoice.total_vat, invoice.total_gross), (Decimal(0), Decimal("1000.00")))
        pdf = printouts.invoice_facturx(invoice)
        _name, xml = facturx.get_facturx_xml_from_pdf(io.BytesIO(pdf), check_xsd=True)
        tree = etree.fromstring(xml)
        self.assertEqual(
            tree.findtext(
                ".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode",
                namespaces=NS,
            ),
            "E",
        )
        self.assertIn("293 B", tree.findtext(".//ram:ExemptionReason", namespaces=NS))
        self.assertIn("TVA non applicable, art. 293 B du CGI", text_of(pdf))
