"""Audience imports from MailChimp (audience export ZIP), Brevo (CSV) and Airtable (CSV view).

One path for the three: read the file (guarded: size, encoding, separator), map its columns
to our fields (a preset per tool, a remembered mapping or one typed in), then apply each row —
upsert the contact on its normalized email (blank fields filled, tags added), record the
consent with its proof in the kernel's ledger, put unsubscribed and cleaned addresses on the
suppression list. An address suppressed or withdrawn in Placette is never re-subscribed.

A dry run runs exactly the same code in a transaction rolled back at the end, so its report is
the one the real run will give. The real run commits chunk by chunk and records how far it
went (`AudienceImport`): the same file imported again after a crash resumes, and importing
it once more changes nothing (every step is idempotent).
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import ConsentRecord, ConsentSource, Contact, ContactKind, Tag
from placette.contacts.services import (
    consent_of,
    consent_purpose,
    consent_set,
    contact_create,
    contact_update,
)
from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal
from placette.lib.text import normalize, normalize_email
from placette.mailing.models import AudienceImport, ImportMapping, ImportSource, SuppressionReason
from placette.mailing.services import suppression_add
from placette.mailing.suppression import suppression_of

MAX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED = 300 * 1024 * 1024
CHUNK = 500

FIELDS = {
    "email": _("adresse e-mail"),
    "first_name": _("prénom"),
    "last_name": _("nom"),
    "tags": _("étiquettes"),
    "consent": _("inscrit (case cochée)"),
    "double_opt_in": _("double opt-in confirmé"),
    "unsubscribed": _("désinscrit / liste noire"),
    "optin_time": _("date d’inscription"),
    "optin_ip": _("IP d’inscription"),
    "confirm_time": _("date de confirmation"),
    "confirm_ip": _("IP de confirmation"),
    "unsub_time": _("date de désinscription"),
    "clean_time": _("date de nettoyage (rejet)"),
    "phone": _("téléphone"),
    "postcode": _("code postal"),
}

# Column name (compared without case, accents or punctuation) → field, per tool.
PRESETS: dict[str, dict[str, str]] = {
    ImportSource.MAILCHIMP: {
        "Email Address": "email",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Phone Number": "phone",
        "TAGS": "tags",
        "OPTIN_TIME": "optin_time",
        "OPTIN_IP": "optin_ip",
        "CONFIRM_TIME": "confirm_time",
        "CONFIRM_IP": "confirm_ip",
        "UNSUB_TIME": "unsub_time",
        "CLEAN_TIME": "clean_time",
    },
    ImportSource.BREVO: {
        "EMAIL": "email",
        "FIRSTNAME": "first_name",
        "PRENOM": "first_name",
        "LASTNAME": "last_name",
        "NOM": "last_name",
        "SMS": "phone",
        "LANDLINE_NUMBER": "phone",
        "DOUBLE_OPT-IN": "double_opt_in",
        "OPT_IN": "consent",
        "ADDED_TIME": "optin_time",
        "BLACKLISTED": "unsubscribed",
        "EMAIL_BLACKLIST": "unsubscribed",
        "TAGS": "tags",
    },
    ImportSource.AIRTABLE: {
        "Email": "email",
        "E-mail": "email",
        "Prénom": "first_name",
        "Nom": "last_name",
        "Étiquettes": "tags",
        "Tags": "tags",
        "Newsletter": "consent",
        "Téléphone": "phone",
        "Code postal": "postcode",
    },
}
TRUE_WORDS = {"1", "yes", "oui", "true", "vrai", "checked", "x", "y"}
FORMULA_START = ("=", "+", "-", "@")


def _key(name: str) -> str:
    return normalize(name).replace(" ", "").replace("_", "").replace("-", "")


# -- reading ----------------------------------------------------------------------------------


@dataclass
class SourceRow:
    line: int
    status: str  # subscribed, unsubscribed, cleaned, nonsubscribed, "" (from the columns)
    values: dict[str, str]
    file: str = ""


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise Refusal(
            _(
                "Ce fichier n’est pas un CSV lisible (encodage UTF-16 ou fichier binaire) : "
                "exportez-le en CSV UTF-8 ou Windows-1252."
            ),
            field="file",
            code="import_encoding",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise Refusal(
            _(
                "Le fichier n’est ni en UTF-8 ni en Windows-1252 (caractère illisible ligne "
                "%(line)s) : enregistrez-le en « CSV UTF-8 »."
            )
            % {"line": line},
            field="file",
            code="import_encoding",
        ) from exc


def _csv_rows(text: str, delimiter: str, name: str) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise Refusal(_("Le fichier « %(f)s » est vide.") % {"f": name}, field="file") from None
    except csv.Error as exc:
        raise Refusal(_("CSV illisible : %(e)s") % {"e": exc}, field="file") from None
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise Refusal(_("CSV illisible : %(e)s") % {"e": exc}, field="file") from None
    return [h.strip() for h in header], rows


def _read_csv(raw: bytes, source: str, name: str) -> tuple[list[str], list[list[str]]]:
    text = _decode(raw)
    first = text.split("\n", 1)[0]
    if source == ImportSource.BREVO:
        if ";" not in first:
            raise Refusal(
                _(
                    "Un export Brevo est séparé par des points-virgules (« ; ») ; la première "
                    "ligne de ce fichier n’en contient aucun. Vérifiez l’outil d’origine ou "
                    "exportez à nouveau depuis Brevo."
                ),
                field="file",
                code="import_separator",
            )
        delimiter = ";"
    else:
        delimiter = ";" if first.count(";") > first.count(",") else ","
    return _csv_rows(text, delimiter, name)


MAILCHIMP_STATUSES = ("subscribed", "unsubscribed", "cleaned", "nonsubscribed")


def _read_mailchimp(raw: bytes) -> list[tuple[str, str, list[str], list[list[str]]]]:
    """(file name, status, header, rows) of each member file of the export ZIP; the status
    comes only from the file's name (subscribed_members_export_<id>.csv, …)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise Refusal(
            _("Un export MailChimp est un fichier ZIP : ce fichier n’en est pas un."),
            field="file",
            code="import_zip",
        ) from None
    members = []
    total = 0
    for info in archive.infolist():
        base = info.filename.rsplit("/", 1)[-1].lower()
        status = next((s for s in MAILCHIMP_STATUSES if base.startswith(f"{s}_")), "")
        if not status or not base.endswith(".csv"):
            continue
        total += info.file_size
        if total > MAX_UNZIPPED:
            raise Refusal(_("L’archive décompressée dépasse 300 Mo."), field="file")
        header, rows = _csv_rows(_decode(archive.read(info)), ",", base)
        members.append((base, status, header, rows))
    if not members:
        raise Refusal(
            _(
                "Aucun fichier de l’export MailChimp dans ce ZIP (attendus : "
                "subscribed_members_export_….csv, unsubscribed_…, cleaned_…)."
            ),
            field="file",
            code="import_zip",
        )
    # Subscribed first, unsubscribed and cleaned after: a later file's status wins.
    order = {s: n for n, s in enumerate(("nonsubscribed", "subscribed", "unsubscribed", "cleaned"))}
    return sorted(members, key=lambda m: order[m[1]])


def _columns(header: list[str], mapping: dict[str, str], name: str) -> dict[int, str]:
    wanted = {_key(column): target for column, target in mapping.items()}
    found: dict[int, str] = {}
    for index, column in enumerate(header):
        target = wanted.get(_key(column))
        if target and target not in found.values():  # duplicated headers: the first one
            found[index] = target
    if "email" not in found.values():
        raise Refusal(
            _(
                "Colonne de l’adresse e-mail introuvable dans « %(file)s » (colonnes : "
                "%(columns)s). Indiquez-la dans la correspondance : « Nom de la colonne = "
                "email »."
            )
            % {"file": name, "columns": ", ".join(header[:20]) or "—"},
            field="columns",
            code="import_no_email",
        )
    return found


def source_rows(raw: bytes, source: str, mapping: dict[str, str], filename: str) -> list[SourceRow]:
    if len(raw) > MAX_BYTES:
        raise Refusal(_("Le fichier dépasse 50 Mo : découpez-le."), field="file")
    if source not in ImportSource.values:
        raise Refusal(_("Outil d’origine inconnu."), field="source")
    if source == ImportSource.MAILCHIMP:
        files = _read_mailchimp(raw)
    else:
        header, rows = _read_csv(raw, source, filename)
        files = [(filename, "", header, rows)]
    result = []
    for name, status, header, rows in files:
        columns = _columns(header, mapping, name)
        for offset, values in enumerate(rows):
            if not any(v.strip() for v in values):
                continue
            result.append(
                SourceRow(
                    line=offset + 2,
                    status=status,
                    file=name,
                    values={
                        target: values[i].strip()
                        for i, target in columns.items()
                        if i < len(values)
                    },
                )
            )
    return result


def mapping_from(saved: ImportMapping | None, text: str) -> dict[str, str]:
    """The columns mapping typed in (« Colonne = champ » per line), over a saved one."""
    mapping = dict(saved.columns) if saved else {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        column, sep, target = line.rpartition("=")
        target = target.strip()
        if not sep or not column.strip() or target not in FIELDS:
            raise Refusal(
                _(
                    "Ligne %(n)s de la correspondance illisible : « %(line)s ». Écrivez « Nom "
                    "de la colonne = champ », le champ parmi : %(fields)s."
                )
                % {"n": number, "line": line.strip(), "fields": ", ".join(FIELDS)},
                field="columns",
            )
        mapping[column.strip()] = target
    return mapping


# -- applying ---------------------------------------------------------------------------------


@dataclass
class RowReport:
    file: str
    line: int
    email: str
    action: str
    detail: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "email": self.email,
            "action": self.action,
            "detail": self.detail,
        }


@dataclass
class ImportReport:
    rows: list[RowReport]
    dry_run: bool
    record: AudienceImport | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.action] = counts.get(row.action, 0) + 1
        return counts

    def lines(self) -> list[str]:
        out = [
            f"{r.file}:{r.line}\t{r.email or '—'}\t{r.action}\t{' ; '.join(r.detail)}"
            for r in self.rows
        ]
        summary = ", ".join(f"{k} : {v}" for k, v in sorted(self.counts.items()))
        prefix = _("Essai (rien n’est enregistré)") if self.dry_run else _("Import enregistré")
        return [*out, f"{prefix} — {summary or _('aucune ligne')}"]


ACTIONS = {
    "created": _("création"),
    "updated": _("mise à jour"),
    "unchanged": _("inchangé"),
    "error": _("erreur"),
}


def _parse_time(value: str) -> datetime | None:
    value = (value or "").strip()
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(value, pattern)
        except ValueError:
            continue
        moment = parsed.replace(tzinfo=UTC)
        return min(moment, timezone.now())
    return None


def _truthy(value: str) -> bool:
    return normalize(value or "") in TRUE_WORDS


def _tags(value: str) -> list[str]:
    # MailChimp: "\"Investisseur\",\"Drôme\""; Airtable: "a, b"; Brevo: "a;b".
    cleaned = value.replace('"', "").replace(";", ",")
    return sorted({t.strip()[:60] for t in cleaned.split(",") if t.strip()})


@dataclass
class Context:
    source: str
    purpose: Any
    actor: Any
    label: str


def _apply(row: SourceRow, ctx: Context) -> RowReport:
    values = row.values
    raw_email = values.get("email", "")
    email = normalize_email(raw_email)
    report = RowReport(file=row.file, line=row.line, email=email, action="")
    try:
        validate_email(email)
    except ValidationError:
        report.action = str(ACTIONS["error"])
        report.detail.append(
            _("adresse e-mail invalide « %(e)s » : ligne ignorée") % {"e": raw_email[:80]}
            if raw_email
            else _("pas d’adresse e-mail : ligne ignorée")
        )
        return report
    for name in ("first_name", "last_name"):
        if values.get(name, "").startswith(FORMULA_START):
            report.detail.append(
                _("« %(v)s » ressemble à une formule : gardé comme texte, jamais exécuté")
                % {"v": values[name][:40]}
            )
    changed = False
    contact = Contact.objects.filter(email_normalized=email).order_by("pk").first()
    first, last = values.get("first_name", "")[:100], values.get("last_name", "")[:100]
    if contact is None:
        contact = contact_create(
            actor=ctx.actor,
            data={
                "kind": ContactKind.PERSON,
                "first_name": first,
                "last_name": last or email.split("@")[0],
                "email": email,
                "phone": values.get("phone", "")[:30],
            },
            source=ctx.label,
        )
        report.action = str(ACTIONS["created"])
        changed = True
    else:
        fill = {}
        if contact.is_person:
            if first and not contact.first_name:
                fill["first_name"] = first
            if last and not contact.last_name:
                fill["last_name"] = last
        if values.get("phone") and not contact.phone:
            fill["phone"] = values["phone"][:30]
        if fill:
            contact_update(actor=ctx.actor, contact=contact, data=fill)
            changed = True
    tags = _tags(values.get("tags", ""))
    if tags:
        have = set(contact.tags.values_list("name", flat=True))
        missing = [t for t in tags if t not in have]
        if missing:
            Tag.objects.bulk_create([Tag(name=t) for t in missing], ignore_conflicts=True)
            contact.tags.add(*Tag.objects.filter(name__in=missing))
            report.detail.append(_("étiquettes ajoutées : %(t)s") % {"t": ", ".join(missing)})
            changed = True
    changed |= _consent_and_suppression(row, contact, email, ctx, report)
    if not report.action:
        report.action = str(ACTIONS["updated"] if changed else ACTIONS["unchanged"])
    return report


def _status(row: SourceRow) -> str:
    values = row.values
    if row.status:
        return row.status
    if _truthy(values.get("unsubscribed", "")):
        return "unsubscribed"
    if "double_opt_in" in values:
        return "subscribed" if _truthy(values["double_opt_in"]) else "nonsubscribed"
    if "consent" in values:
        return "subscribed" if _truthy(values["consent"]) else "nonsubscribed"
    return "nonsubscribed"


def _consent_and_suppression(
    row: SourceRow, contact: Contact, email: str, ctx: Context, report: RowReport
) -> bool:
    values = row.values
    status = _status(row)
    purpose = ctx.purpose
    if status in ("unsubscribed", "cleaned"):
        changed = False
        at = _parse_time(values.get("unsub_time") or values.get("clean_time") or "")
        if consent_of(contact, purpose):
            consent_set(
                contact=contact,
                purpose=purpose,
                given=False,
                source=ConsentSource.IMPORT,
                source_detail=_("%(tool)s : désinscrit") % {"tool": ctx.label},
                text=purpose.withdrawal_text,
                version=f"import-{ctx.source}",
                at=at,
                email=email,
                actor=ctx.actor,
            )
            changed = True
        reason = (
            SuppressionReason.HARD_BOUNCE if status == "cleaned" else SuppressionReason.UNSUBSCRIBED
        )
        if suppression_of(email) is None:
            suppression_add(
                email=email,
                reason=reason,
                detail=_("import %(tool)s") % {"tool": ctx.label},
                contact=contact,
                actor=ctx.actor,
            )
            report.detail.append(_("mise en liste d’opposition (%(r)s)") % {"r": reason.label})
            changed = True
        return changed
    if status != "subscribed":
        return False
    blocked = suppression_of(email)
    if blocked is not None:
        report.detail.append(
            _("inscription ignorée : adresse en liste d’opposition (%(r)s)")
            % {"r": blocked.get_reason_display()}
        )
        return False
    withdrawn = ConsentRecord.objects.filter(contact=contact, purpose=purpose, given=False)
    if withdrawn.exists():
        report.detail.append(_("inscription ignorée : la personne s’est désinscrite dans Placette"))
        return False
    confirm_at = _parse_time(values.get("confirm_time", ""))
    optin_at = _parse_time(values.get("optin_time", ""))
    ip = values.get("confirm_ip") or values.get("optin_ip") or None
    proof = [ctx.label]
    if values.get("optin_time"):
        proof.append(
            _("inscrit le %(t)s depuis %(ip)s")
            % {"t": values["optin_time"], "ip": values.get("optin_ip") or "?"}
        )
    if values.get("confirm_time"):
        proof.append(
            _("confirmé le %(t)s depuis %(ip)s")
            % {"t": values["confirm_time"], "ip": values.get("confirm_ip") or "?"}
        )
    if "double_opt_in" in values:
        proof.append(_("double opt-in confirmé"))
    record = consent_set(
        contact=contact,
        purpose=purpose,
        given=True,
        source=ConsentSource.IMPORT,
        source_detail=" ; ".join(proof)[:200],
        text=_(
            "Inscription à « %(purpose)s » reprise de %(tool)s (formulaire d’inscription de "
            "l’outil ; preuve : dates et adresses IP d’inscription et de confirmation)."
        )
        % {"purpose": purpose.label, "tool": ctx.label},
        version=f"import-{ctx.source}",
        at=confirm_at or optin_at,
        ip=ip,
        email=email,
        actor=ctx.actor,
    )
    if record.is_new:
        report.detail.append(_("consentement enregistré avec sa preuve"))
        return True
    return False


class _DryRun(Exception):
    pass


def audience_import(
    *,
    actor: Any,
    source: str,
    raw: bytes,
    filename: str,
    purpose_code: str,
    mapping: dict[str, str] | None = None,
    dry_run: bool,
    save_mapping_as: str = "",
) -> ImportReport:
    """Import an audience file (see the module docstring); `dry_run` writes nothing."""
    purpose = consent_purpose(purpose_code)
    columns = {**PRESETS.get(source, {}), **(mapping or {})}
    rows = source_rows(raw, source, columns, filename)
    ctx = Context(
        source=source, purpose=purpose, actor=actor, label=str(ImportSource(source).label)
    )
    if dry_run:
        reports: list[RowReport] = []
        try:
            with transaction.atomic():
                reports = [_apply(row, ctx) for row in rows]
                raise _DryRun
        except _DryRun:
            pass
        return ImportReport(rows=reports, dry_run=True)
    if save_mapping_as.strip():
        ImportMapping.objects.update_or_create(
            name=save_mapping_as.strip()[:80],
            defaults={"source": source, "columns": mapping or {}},
        )
    digest = hashlib.sha256(raw).hexdigest()
    record = (
        AudienceImport.objects.filter(
            sha256=digest, source=source, purpose_code=purpose.code, finished_at__isnull=True
        )
        .order_by("-pk")
        .first()
    )
    if record is None:
        record = AudienceImport.objects.create(
            source=source,
            filename=filename[:200],
            sha256=digest,
            purpose_code=purpose.code,
            mapping=mapping or {},
            rows_total=len(rows),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
    done = record.rows_done  # a crashed run of the same file resumes here
    previous = [RowReport(**r) for r in record.report]
    for start in range(done, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        with transaction.atomic():
            reports = [_apply(row, ctx) for row in chunk]
            previous += reports
            record.rows_done = start + len(chunk)
            record.report = [r.as_json() for r in previous]
            record.save(update_fields=["rows_done", "report"])
    report = ImportReport(rows=previous, dry_run=False, record=record)
    record.counts = report.counts
    record.finished_at = timezone.now()
    record.save(update_fields=["counts", "finished_at"])
    audit_log(
        actor=actor,
        action="mailing.import.committed",
        obj=record,
        source=source,
        counts=report.counts,
    )
    return report
