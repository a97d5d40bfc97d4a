"""The Factur-X XML of an invoice or credit note: UN/CEFACT Cross Industry Invoice (CII D16B),
profile EN 16931, written field by field from the issued invoice (no Django import: it reads the
invoice's attributes only). Chorus Pro reads the buyer's SIRET (BT-47, scheme 0009), the
service code (BT-10, buyer reference) and the commitment number (BT-13, purchase order).

The schema check and the embedding in a PDF/A-3 are the `factur-x` package's
(`printouts.invoice_facturx`); this module only writes the XML.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from placette.lib.money import euros

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
EN16931 = "urn:cen.eu:en16931:2017"
INVOICE_TYPE = "380"  # commercial invoice (UNTDID 1001)
CREDIT_NOTE_TYPE = "381"
VAT_STANDARD, VAT_EXEMPT = "S", "E"  # UNTDID 5305
SEPA_TRANSFER = "58"  # UNTDID 4461

for prefix, uri in (("rsm", RSM), ("ram", RAM), ("udt", UDT), ("qdt", QDT)):
    ET.register_namespace(prefix, uri)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    ns, name = tag.split(":")
    uri = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}[ns]
    element = ET.SubElement(parent, f"{{{uri}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def _date(parent: ET.Element, tag: str, day: dt.date, kind: str = "udt") -> None:
    holder = _el(parent, tag)
    _el(holder, f"{kind}:DateTimeString", day.strftime("%Y%m%d"), format="102")


def _party(
    parent: ET.Element,
    tag: str,
    *,
    name: str,
    siren: str = "",
    siret: str = "",
    address: str = "",
    postcode: str = "",
    city: str = "",
    vat_number: str = "",
    email: str = "",
    establishment: str = "",
) -> None:
    party = _el(parent, tag)
    if establishment:
        # BT-29, the party's identifier: the SIRET of the establishment (ISO 6523 0009), by
        # which Chorus Pro finds a supplier; BT-30 below stays the legal registration.
        _el(party, "ram:GlobalID", establishment, schemeID="0009")
    _el(party, "ram:Name", name)
    if siret or siren:
        legal = _el(party, "ram:SpecifiedLegalOrganization")
        # ISO 6523: 0009 is the SIRET, 0002 the SIREN.
        if siret:
            _el(legal, "ram:ID", siret, schemeID="0009")
        else:
            _el(legal, "ram:ID", siren, schemeID="0002")
    postal = _el(party, "ram:PostalTradeAddress")
    if postcode:
        _el(postal, "ram:PostcodeCode", postcode)
    if address:
        _el(postal, "ram:LineOne", address)
    if city:
        _el(postal, "ram:CityName", city)
    _el(postal, "ram:CountryID", "FR")
    if email:
        uri = _el(party, "ram:URIUniversalCommunication")
        _el(uri, "ram:URIID", email, schemeID="EM")
    if vat_number:
        tax = _el(party, "ram:SpecifiedTaxRegistration")
        _el(tax, "ram:ID", vat_number, schemeID="VA")


def invoice_xml(invoice: Any, lines: list[Any]) -> bytes:
    """The CII XML of an issued `studies.Invoice`, its stored `lines`, totals and parties."""
    seller = invoice.seller
    exempt = invoice.vat_rate == 0
    category = VAT_EXEMPT if exempt else VAT_STANDARD
    root = ET.Element(f"{{{RSM}}}CrossIndustryInvoice")
    context = _el(root, "rsm:ExchangedDocumentContext")
    guideline = _el(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _el(guideline, "ram:ID", EN16931)

    document = _el(root, "rsm:ExchangedDocument")
    _el(document, "ram:ID", invoice.number)
    _el(document, "ram:TypeCode", CREDIT_NOTE_TYPE if invoice.is_credit_note else INVOICE_TYPE)
    _date(document, "ram:IssueDateTime", invoice.issued_on)
    notes = [
        ("REG", f"{seller['name']}, {seller['legal_form']}"),
        (
            "PMT",
            "Indemnité forfaitaire pour frais de recouvrement (professionnels) : "
            f"{euros(Decimal(seller.get('recovery_indemnity') or 40))}.",
        ),
        ("PMD", f"Pénalités de retard : {seller.get('late_penalty', '')}."),
        ("AAB", "Pas d’escompte pour paiement anticipé."),
    ]
    for code, text in notes:
        note = _el(document, "ram:IncludedNote")
        _el(note, "ram:Content", text)
        _el(note, "ram:SubjectCode", code)

    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for index, line in enumerate(lines, start=1):
        item = _el(transaction, "ram:IncludedSupplyChainTradeLineItem")
        doc = _el(item, "ram:AssociatedDocumentLineDocument")
        _el(doc, "ram:LineID", str(index))
        product = _el(item, "ram:SpecifiedTradeProduct")
        _el(product, "ram:Name", line.label)
        agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
        price = _el(agreement, "ram:NetPriceProductTradePrice")
        _el(price, "ram:ChargeAmount", _amount(line.unit_price))
        delivery = _el(item, "ram:SpecifiedLineTradeDelivery")
        _el(delivery, "ram:BilledQuantity", f"{line.quantity.normalize():f}", unitCode=line.unit)
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", category)
        _el(tax, "ram:RateApplicablePercent", _amount(invoice.vat_rate))
        summation = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _el(summation, "ram:LineTotalAmount", _amount(line.net))

    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    if invoice.buyer_service_code:
        _el(agreement, "ram:BuyerReference", invoice.buyer_service_code)
    _party(
        agreement,
        "ram:SellerTradeParty",
        name=seller["name"],
        siren=seller["siren"],
        establishment=seller.get("siret", ""),
        address=seller["address"],
        postcode=seller["postcode"],
        city=seller["city"],
        vat_number=seller.get("vat_number", ""),
        email=seller.get("email", ""),
    )
    _party(
        agreement,
        "ram:BuyerTradeParty",
        name=invoice.buyer_name,
        siren=invoice.buyer_siren,
        siret=invoice.buyer_siret,
        address=invoice.buyer_address,
        postcode=invoice.buyer_postcode,
        city=invoice.buyer_city,
    )
    if invoice.buyer_commitment:
        order = _el(agreement, "ram:BuyerOrderReferencedDocument")
        _el(order, "ram:IssuerAssignedID", invoice.buyer_commitment)

    _el(transaction, "ram:ApplicableHeaderTradeDelivery")

    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", "EUR")
    if seller.get("iban") and not invoice.is_credit_note:
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", SEPA_TRANSFER)
        account = _el(means, "ram:PayeePartyCreditorFinancialAccount")
        _el(account, "ram:IBANID", seller["iban"].replace(" ", ""))
    tax = _el(settlement, "ram:ApplicableTradeTax")
    _el(tax, "ram:CalculatedAmount", _amount(invoice.total_vat))
    _el(tax, "ram:TypeCode", "VAT")
    if exempt:
        _el(tax, "ram:ExemptionReason", invoice.vat_exemption or "Exonération de TVA")
    _el(tax, "ram:BasisAmount", _amount(invoice.total_net))
    _el(tax, "ram:CategoryCode", category)
    _el(tax, "ram:RateApplicablePercent", _amount(invoice.vat_rate))
    terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
    _el(terms, "ram:Description", invoice.payment_terms)
    _date(terms, "ram:DueDateDateTime", invoice.due_on)
    totals = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(totals, "ram:LineTotalAmount", _amount(invoice.total_net))
    _el(totals, "ram:TaxBasisTotalAmount", _amount(invoice.total_net))
    _el(totals, "ram:TaxTotalAmount", _amount(invoice.total_vat), currencyID="EUR")
    _el(totals, "ram:GrandTotalAmount", _amount(invoice.total_gross))
    _el(totals, "ram:DuePayableAmount", _amount(invoice.total_gross))
    if invoice.is_credit_note and invoice.credited_invoice is not None:
        previous = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(previous, "ram:IssuerAssignedID", invoice.credited_invoice.number)
        _date(previous, "ram:FormattedIssueDateTime", invoice.credited_invoice.issued_on, "qdt")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
