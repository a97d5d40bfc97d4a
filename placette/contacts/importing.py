"""Import contacts from a CSV file: dry run first, row-by-row report, all or nothing.

Importing the same file twice changes nothing the second time. A row is matched to an existing
contact by this rule (docs/contacts.md, « Import »):
- a row with an email: the contact with that email (case and spaces ignored); if none has it,
  the one contact of the same kind, same name and same commune that has no email yet (the row
  then gives it its address);
- a row without an email: the one contact of the same kind, same name (accents and case
  ignored) and same commune (INSEE code; both without a commune also match).
Two existing contacts answering the same name and commune, or two rows of the file without an
email for the same name and commune, are reported as errors: the people cannot be told apart
(add their email, or merge the duplicates first). Headers are recognised whatever their case
or accents, in French or in the English of the usual exports (MailChimp, Brevo, Airtable).
"""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from placette.contacts import communes
from placette.contacts.models import Contact, ContactKind
from placette.contacts.services import contact_create, contact_update
from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal
from placette.lib.text import normalize, normalize_email

HEADERS = {
    "first_name": {"prenom", "first name", "firstname", "first_name"},
    "last_name": {"nom", "last name", "lastname", "last_name", "nom de famille"},
    "organisation_name": {"organisation", "raison sociale", "structure", "company", "societe"},
    "email": {"e-mail", "email", "email address", "adresse e-mail", "courriel", "mail"},
    "phone": {"telephone", "phone", "phone number", "tel", "sms", "landline number"},
    "address_line1": {"adresse", "address", "rue"},
    "postcode": {"code postal", "postcode", "cp", "zip", "code_postal"},
    "commune": {"commune", "ville", "city"},
    "commune_code": {"code insee", "insee", "code commune"},
    "tags": {"etiquettes", "tags", "etiquette"},
}
MAX_BYTES = 20 * 1024 * 1024
ENCODINGS = ("utf-8", "cp1252")


@dataclass
class RowReport:
    line: int
    action: str  # "création", "mise à jour", "inchangé", "erreur"
    label: str
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport]
    committed: bool = False

    @property
    def errors(self) -> list[RowReport]:
        return [r for r in self.rows if r.errors]

    @property
    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for r in self.rows:
            result[r.action] = result.get(r.action, 0) + 1
        return result


def _decode(raw: bytes, encoding: str) -> str:
    if len(raw) > MAX_BYTES:
        raise Refusal("Le fichier dépasse 20 Mo : découpez-le en plusieurs fichiers.", field="file")
    if encoding not in ENCODINGS:
        # the confirmation posts the encoding back in a hidden field: never trust it
        raise Refusal(
            "Encodage inconnu : choisissez UTF-8 ou Windows-1252 et déposez le fichier à nouveau.",
            field="encoding",
        )
    try:
        text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise Refusal(
            f"Le fichier n’est pas encodé en {encoding.upper()} "
            f"(caractère illisible ligne {line}). "
            "Enregistrez-le en « CSV UTF-8 » ou choisissez l’encodage Windows-1252.",
            field="file",
        ) from exc
    if "\x00" in text:
        raise Refusal(
            "Ce fichier n’est pas un CSV (contenu binaire) : exportez-le en CSV.", field="file"
        )
    return text


def _parse(text: str) -> tuple[list[str], list[dict[str, str]]]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise Refusal("Le fichier est vide.", field="file") from None
    mapping: dict[int, str] = {}
    for index, name in enumerate(header):
        key = normalize(name).replace("_", " ").strip()
        for target, aliases in HEADERS.items():
            if key in {normalize(a) for a in aliases} and target not in mapping.values():
                mapping[index] = target
    if (
        "email" not in mapping.values()
        and "last_name" not in mapping.values()
        and "organisation_name" not in mapping.values()
    ):
        raise Refusal(
            "Colonnes non reconnues : il faut au moins une colonne « email », « nom » ou "
            f"« organisation » (colonnes trouvées : {', '.join(header)}).",
            field="file",
        )
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            rows.append({})
            continue
        rows.append({mapping[i]: v.strip() for i, v in enumerate(values) if i in mapping})
    return [mapping[i] for i in sorted(mapping)], rows


def _row_data(row: dict[str, str]) -> tuple[dict[str, Any], list[str], list[str]]:
    errors: list[str] = []
    data: dict[str, Any] = {}
    person = bool(row.get("first_name") or row.get("last_name"))
    data["kind"] = ContactKind.PERSON if person else ContactKind.ORGANISATION
    for key in ("first_name", "last_name", "organisation_name", "phone", "address_line1"):
        if row.get(key):
            data[key] = row[key]
    if person:
        data.pop("organisation_name", None)
    if not person and not row.get("organisation_name"):
        errors.append("ni nom ni organisation")
    email = normalize_email(row.get("email", ""))
    if email:
        try:
            validate_email(email)
            data["email"] = email
        except ValidationError:
            errors.append(f"adresse e-mail invalide « {row['email']} »")
    postcode = row.get("postcode", "")
    if postcode and not (postcode.isdigit() and len(postcode) == 5):
        errors.append(f"code postal invalide « {postcode} »")
    elif row.get("commune_code"):
        if communes.commune_get(row["commune_code"]) is None:
            errors.append(f"code INSEE inconnu « {row['commune_code']} »")
        else:
            data["commune_code"] = row["commune_code"]
            data["postcode"] = postcode
    elif row.get("commune") or postcode:
        found = communes.commune_resolve(postcode, row.get("commune", ""))
        if found is None:
            errors.append(
                f"commune inconnue « {row.get('commune', '')} » pour le code postal « {postcode} »"
            )
        else:
            data["commune_code"] = found.code
            data["postcode"] = postcode or (found.postcodes[0] if found.postcodes else "")
    tags = [t.strip() for t in row.get("tags", "").replace(";", ",").split(",") if t.strip()]
    return data, tags, errors


def contacts_import(
    *, actor: Any, raw: bytes, encoding: str = "utf-8", commit: bool
) -> ImportReport:
    """Validate every row; with commit=True and no error, write them all in one transaction."""
    _header, rows = _parse(_decode(raw, encoding))
    parsed = []
    seen_emails: dict[str, int] = {}
    seen_identities: dict[tuple[str, str, str], int] = {}
    for offset, row in enumerate(rows):
        line = offset + 2
        if not row:
            continue
        data, tags, errors = _row_data(row)
        label = (
            " ".join(
                v
                for v in (
                    data.get("first_name"),
                    data.get("last_name"),
                    data.get("organisation_name"),
                    data.get("email"),
                )
                if v
            )
            or "(ligne vide)"
        )
        email = data.get("email", "")
        if email and email in seen_emails:
            errors.append(f"adresse e-mail déjà présente ligne {seen_emails[email]}")
        elif email:
            seen_emails[email] = line
        elif not errors:
            identity = _identity(data)
            if identity in seen_identities:
                errors.append(
                    _(
                        "même nom et même commune que la ligne %(line)s, sans e-mail : "
                        "ces personnes ne peuvent pas être distinguées (ajoutez leur e-mail)"
                    )
                    % {"line": seen_identities[identity]}
                )
            else:
                seen_identities[identity] = line
        parsed.append((RowReport(line, "erreur" if errors else "", label, errors), data, tags))
    existing = {
        c.email_normalized: c
        for c in Contact.objects.filter(email_normalized__in=list(seen_emails))
    }
    by_identity = _by_identity([data for report, data, _t in parsed if not report.errors])
    matches: dict[int, Contact] = {}  # line → the contact it updates
    matched_lines: dict[int, int] = {}  # contact id → the line matched to it
    for report, data, _tags in parsed:
        if report.errors:
            continue
        current = existing.get(data.get("email", ""))
        if current is None:
            candidates = by_identity.get(_identity(data), [])
            if data.get("email"):
                candidates = [c for c in candidates if not c.email_normalized]
            if len(candidates) > 1:
                report.action = "erreur"
                report.errors.append(
                    _(
                        "%(n)s fiches portent ce nom dans cette commune : fusionnez les doublons "
                        "ou ajoutez l’e-mail de la personne"
                    )
                    % {"n": len(candidates)}
                )
                continue
            current = candidates[0] if candidates else None
        if current is not None:
            taken = matched_lines.get(current.pk)
            if taken is not None:
                report.action = "erreur"
                report.errors.append(
                    _("désigne la même fiche que la ligne %(line)s") % {"line": taken}
                )
                continue
            matches[report.line] = current
            matched_lines[current.pk] = report.line
        if current is None:
            report.action = "création"
        elif current.kind != data["kind"]:
            report.action = "erreur"
            report.errors.append("cette adresse appartient à une fiche d’un autre type")
        elif all(getattr(current, k) == v for k, v in data.items()):
            report.action = "inchangé"
        else:
            report.action = "mise à jour"
    report_all = ImportReport(rows=[p[0] for p in parsed])
    if not commit or report_all.errors:
        return report_all
    with transaction.atomic():
        for report, data, tags in parsed:
            current = matches.get(report.line)
            if report.action == "création":
                contact_create(actor=actor, data=data, tags=tags, source="import")
            elif report.action == "mise à jour" and current is not None:
                contact_update(actor=actor, contact=current, data=data)
                if tags:
                    current.tags.add(*_tags_objects(tags))
        audit_log(
            actor=actor, action="contacts.import.committed", obj=None, counts=report_all.counts
        )
    report_all.committed = True
    return report_all


def _identity(data: dict[str, Any]) -> tuple[str, str, str]:
    """Who a row is when its email does not say: kind, normalized name (as `Contact.name_key`)
    and commune."""
    person = data["kind"] == ContactKind.PERSON
    name = (
        f"{data.get('last_name', '')} {data.get('first_name', '')}"
        if person
        else data.get("organisation_name", "")
    )
    return (data["kind"], normalize(name), data.get("commune_code", ""))


def _by_identity(rows: list[dict[str, Any]]) -> dict[tuple[str, str, str], list[Contact]]:
    """The existing contacts having the identity of one of the rows, in one query."""
    keys = {_identity(data) for data in rows}
    if not keys:
        return {}
    found: dict[tuple[str, str, str], list[Contact]] = {}
    candidates = Contact.objects.filter(name_key__in={name for _k, name, _c in keys})
    for contact in candidates:
        key = (contact.kind, contact.name_key, contact.commune_code)
        if key in keys:
            found.setdefault(key, []).append(contact)
    return found


def _tags_objects(names: list[str]):
    from placette.contacts.models import Tag

    return [Tag.objects.get_or_create(name=n)[0] for n in names]
