"""Import of an existing register of share movements from CSV or XLSX.

Columns (first row, any order): numero, date (JJ/MM/AAAA or AAAA-MM-JJ), nature (souscription,
liberation, cession, donation, remboursement), titulaire (e-mail or n° de fiche), parts,
montant (paid at subscription, or the payment), categorie (code, for a new member),
contrepartie (e-mail or n° de fiche, for a transfer or gift).

Every row is booked through the real services inside one transaction, each in a savepoint, so
the same rules apply as for a booking by hand (floor, categories, paying-up). The dry run rolls
the whole transaction back; the real run commits only when every row passed and the totals
match the expected ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from placette.contacts.models import Contact
from placette.lib import money
from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal
from placette.membership import projections, services
from placette.membership.models import Category

COLUMNS = ["numero", "date", "nature", "titulaire", "parts", "montant", "categorie", "contrepartie"]


@dataclass
class RowResult:
    line: int
    number: str
    status: str
    message: str = ""


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    committed: bool = False
    shares: int = 0
    capital: Decimal = Decimal(0)

    @property
    def ok(self) -> bool:
        return not self.errors and all(r.status == "ok" for r in self.rows)


class _Rollback(Exception):
    pass


MAX_BYTES = 10 * 1000 * 1000
"""Largest register file read in one request (a register of ~100,000 movements is ~5 MB)."""
DELIMITERS = (";", ",", "\t")


def _text(raw: bytes) -> str:
    """The file's text, or a French refusal naming what is wrong with it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Refusal("Ce fichier UTF-16 est illisible.", field="file") from exc
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise Refusal(
                    "Ce fichier n’est ni en UTF-8 ni en Windows-1252 (ou n’est pas un CSV) : "
                    "enregistrez-le en « CSV UTF-8 ».",
                    field="file",
                ) from exc
    if any(c < " " and c not in "\t\r\n" for c in text[:100_000]):
        raise Refusal(
            "Ce fichier n’est pas un CSV (contenu binaire) : exportez le registre en CSV ou en "
            "Excel (.xlsx).",
            field="file",
        )
    return text


def _csv_values(text: str) -> list[list[Any]]:
    if not text.strip():
        raise Refusal("Le fichier est vide.", field="file")
    first = text.lstrip().splitlines()[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d])
    if not counts[delimiter]:
        found = next((c for c in "|:/ " if c in first), None)
        raise Refusal(
            "Séparateur de colonnes non reconnu"
            + (f" (« {found} »)" if found else "")
            + " : utilisez le point-virgule, la virgule ou la tabulation.",
            field="file",
        )
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise Refusal(f"Ce fichier CSV est mal formé : {exc}.", field="file") from exc


def read_rows(raw: bytes, filename: str) -> list[dict[str, str]]:
    if len(raw) > MAX_BYTES:
        raise Refusal(
            f"Le fichier dépasse {MAX_BYTES // 1_000_000} Mo : découpez le registre en "
            "plusieurs fichiers.",
            field="file",
        )
    if not raw.strip():
        raise Refusal("Le fichier est vide.", field="file")
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).active
            values = [
                ["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)
            ]
        except Exception as exc:
            raise Refusal("Ce fichier Excel est illisible.", field="file") from exc
    else:
        values = _csv_values(_text(raw))
    if not values:
        raise Refusal("Le fichier est vide.", field="file")
    header = [str(h).strip().lower() for h in values[0]]
    missing = [c for c in ("numero", "date", "nature", "titulaire", "parts") if c not in header]
    if missing:
        raise Refusal("Colonnes manquantes : " + ", ".join(missing) + ".", field="file")
    rows = [
        {
            h: (str(v).strip() if not isinstance(v, dt.datetime | dt.date) else v)
            for h, v in zip(header, r, strict=False)
        }
        for r in values[1:]
        if any(str(v).strip() for v in r)
    ]
    if not rows:
        raise Refusal(
            "Le fichier ne contient que l’en-tête : aucun mouvement à importer.", field="file"
        )
    return rows


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise Refusal(f"Date illisible : « {value} » (attendu JJ/MM/AAAA).")


def _contact(value: str, label: str) -> Contact:
    value = str(value).strip()
    found = None
    if value.isdigit():
        found = Contact.objects.filter(pk=int(value)).first()
    elif value:
        found = Contact.objects.filter(email_normalized=value.lower()).first()
    if found is None:
        raise Refusal(f"{label} inconnu : « {value} ».")
    return found


def _int(value: Any, label: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise Refusal(f"{label} : « {value} » n’est pas un nombre entier.") from exc


def _money(value: Any) -> Decimal | None:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value)
    text = str(value).strip()
    if not text:
        return None
    try:
        return money.parse_decimal(text)
    except ValueError as exc:
        raise Refusal(f"Montant illisible : « {value} ».") from exc


def _book(data: dict[str, Any], actor: Any, key: str) -> None:
    on = _date(data["date"])
    kind = str(data["nature"]).strip().lower().replace("é", "e")
    holder = _contact(data["titulaire"], "Titulaire")
    shares = _int(data.get("parts") or 0, "Parts")
    amount = _money(data.get("montant", ""))
    category = None
    if data.get("categorie"):
        category = Category.objects.filter(code=str(data["categorie"]).strip()).first()
        if category is None:
            raise Refusal(f"Catégorie inconnue : « {data['categorie']} ».")
    if kind == "souscription":
        services.shares_subscribe(
            actor=actor,
            contact=holder,
            shares=shares,
            category=category,
            on=on,
            paid=amount,
            reference=f"import n° {data['numero']}",
            idempotency_key=key,
        )
    elif kind == "liberation":
        if amount is None:
            raise Refusal("Une libération demande un montant.")
        services.shares_pay(
            actor=actor,
            contact=holder,
            amount=amount,
            on=on,
            reference=f"import n° {data['numero']}",
            idempotency_key=key,
        )
    elif kind in ("cession", "donation"):
        receiver = _contact(data.get("contrepartie", ""), "Bénéficiaire")
        book = services.shares_transfer if kind == "cession" else services.shares_give
        book(
            actor=actor,
            giver=holder,
            receiver=receiver,
            shares=shares,
            category=category,
            on=on,
            note=f"import n° {data['numero']}",
            idempotency_key=key,
        )
    elif kind == "remboursement":
        request = services.refund_request(
            actor=actor, contact=holder, shares=shares, on=on, idempotency_key=key
        )
        services.refund_decide(
            actor=actor, request=request, accepted=True, on=on, note=f"import n° {data['numero']}"
        )
    else:
        raise Refusal(f"Nature inconnue : « {data['nature']} ».")


def register_import(
    *,
    actor: Any,
    raw: bytes,
    filename: str,
    commit: bool,
    expected_shares: int | None = None,
    expected_capital: Decimal | None = None,
) -> ImportReport:
    """Validate (dry run) or import a register; nothing is written unless every row is valid."""
    report = ImportReport()
    data = read_rows(raw, filename)
    try:
        with transaction.atomic():
            previous = 0
            for line, values in enumerate(data, start=2):
                number = str(values.get("numero", ""))
                try:
                    current = _int(number, "Numéro")
                    if current != previous + 1:
                        raise Refusal(
                            f"Numérotation interrompue : n° {current} après le n° {previous}."
                        )
                    previous = current
                    with transaction.atomic():
                        _book(values, actor, f"import-{filename[:30]}-{current}-{line}")
                    report.rows.append(RowResult(line, number, "ok"))
                except Refusal as exc:
                    report.rows.append(RowResult(line, number, "erreur", exc.message))
                except Exception as exc:  # an unexpected value must not abort the report
                    report.rows.append(RowResult(line, number, "erreur", str(exc)))
            capital = projections.capital_on()
            report.shares, report.capital = capital.shares, capital.subscribed
            if expected_shares is not None and capital.shares != expected_shares:
                report.errors.append(
                    f"Total des parts : {capital.shares} après import, {expected_shares} attendu."
                )
            if expected_capital is not None and capital.subscribed != expected_capital:
                report.errors.append(
                    f"Capital souscrit : {money.euros(capital.subscribed)} après import, "
                    f"{money.euros(expected_capital)} attendu."
                )
            if not report.ok or not commit:
                raise _Rollback
            audit_log(
                actor=actor,
                action="membership.register.imported",
                rows=len(data),
                filename=filename,
            )
            report.committed = True
    except _Rollback:
        pass
    return report
