"""Move the electronic-convocation consent and its whole history into the consent ledger of
`contacts` (purpose ``ag-convocation-email``), then drop governance's two tables.

Nothing is lost: every history row becomes a record with its time, its author, its free-text
origin (kept word for word in `source_detail`, and mapped to a `ConsentSource`), the address
and the words accepted; a current choice that no history row explains becomes a record too.
The mapping is a plain function on dicts (`legacy_records`) so that it is tested on rows built
by hand (placette/contacts/tests/test_consent_migration.py). Reversible: going back rebuilds
both governance tables from the ledger.
"""

import re

from django.db import migrations

PURPOSE = "ag-convocation-email"
# Seeded by contacts 0002; recreated here (frozen copy) if it was removed before this ran.
PURPOSE_DEFAULTS = {
    "label": "Convocation électronique aux assemblées générales",
    "description": (
        "Accord écrit préalable pour recevoir par e-mail les convocations aux assemblées "
        "générales et leurs documents (Code de commerce, art. R225-63). Sans cet accord, "
        "la convocation part par courrier postal."
    ),
    "consent_text": (
        "J’accepte d’être convoqué·e aux assemblées générales par voie électronique, à "
        "l’adresse e-mail enregistrée dans mon dossier ; je peux revenir au courrier postal "
        "à tout moment."
    ),
    "withdrawal_text": "Je souhaite être convoqué·e aux assemblées générales par courrier postal.",
    "version": "2026-01",
    "position": 10,
}
_VERSION = re.compile(r"\(texte ([^)]+)\)")
NO_TEXT = "texte non conservé à l’époque"
CURRENT_ONLY = "choix en vigueur repris à la migration"


def _kind(source, changed_by_id):
    """The `ConsentSource` an old free-text origin stands for."""
    lowered = source.lower()
    if "espace" in lowered:
        return "portal"
    if "bulletin" in lowered or "souscription" in lowered or "formulaire" in lowered:
        return "web_form"
    if "import" in lowered:
        return "import"
    if "équipe" in lowered or "equipe" in lowered or "courrier" in lowered or changed_by_id:
        return "staff"
    return "other"


def _detail(source, *notes):
    return " — ".join(part for part in (source, *notes) if part)[:200]


def legacy_records(currents, changes):
    """The ledger records for governance's rows.

    `changes`: dicts of ConvocationConsentChange (id, contact_id, electronic, at,
    changed_by_id, source, email, text); `currents`: dicts of ConvocationConsent (contact_id,
    electronic, changed_at, changed_by_id, source). Returns dicts of ConsentRecord fields (no
    purpose), in the order they should be written.
    """
    records = []
    latest = {}
    for row in sorted(changes, key=lambda r: (r["at"], r["id"])):
        source = row["source"] or ""
        found = _VERSION.search(source)
        records.append(
            {
                "contact_id": row["contact_id"],
                "given": bool(row["electronic"]),
                "at": row["at"],
                "recorded_at": row["at"],
                "recorded_by_id": row["changed_by_id"],
                "source": _kind(source, row["changed_by_id"]),
                "source_detail": _detail(source, "" if row["text"] else NO_TEXT),
                "version": found.group(1)[:30] if found else "",
                "text": row["text"] or "",
                "email": row["email"] or "",
            }
        )
        latest[row["contact_id"]] = records[-1]
    for row in sorted(currents, key=lambda r: r["contact_id"]):
        last = latest.get(row["contact_id"])
        if last is not None and last["given"] == bool(row["electronic"]):
            continue
        # The current choice is what convocations followed: it must stay the one in force.
        at = row["changed_at"] if last is None else max(row["changed_at"], last["at"])
        records.append(
            {
                "contact_id": row["contact_id"],
                "given": bool(row["electronic"]),
                "at": at,
                "recorded_at": at,
                "recorded_by_id": row["changed_by_id"],
                "source": _kind(row["source"] or "", row["changed_by_id"]),
                "source_detail": _detail(row["source"] or "", CURRENT_ONLY, NO_TEXT),
                "version": "",
                "text": "",
                "email": "",
            }
        )
    return records


def forward(apps, schema_editor):
    Current = apps.get_model("governance", "ConvocationConsent")
    Change = apps.get_model("governance", "ConvocationConsentChange")
    Purpose = apps.get_model("contacts", "ConsentPurpose")
    Record = apps.get_model("contacts", "ConsentRecord")
    purpose, _ = Purpose.objects.get_or_create(code=PURPOSE, defaults=PURPOSE_DEFAULTS)
    currents = Current.objects.values(
        "contact_id", "electronic", "changed_at", "changed_by_id", "source"
    )
    changes = Change.objects.values(
        "id", "contact_id", "electronic", "at", "changed_by_id", "source", "email", "text"
    )
    rows = legacy_records(list(currents.iterator()), list(changes.iterator()))
    Record.objects.bulk_create([Record(purpose=purpose, **row) for row in rows], batch_size=5000)


def backward(apps, schema_editor):
    Current = apps.get_model("governance", "ConvocationConsent")
    Change = apps.get_model("governance", "ConvocationConsentChange")
    Record = apps.get_model("contacts", "ConsentRecord")
    latest = {}
    changes = []
    for r in Record.objects.filter(purpose__code=PURPOSE).order_by("at", "id").iterator():
        changes.append(
            Change(
                contact_id=r.contact_id,
                electronic=r.given,
                at=r.at,
                changed_by_id=r.recorded_by_id,
                source=(r.source_detail or r.source)[:100],
                email=r.email,
                text=r.text,
            )
        )
        latest[r.contact_id] = r
    Change.objects.bulk_create(changes, batch_size=5000)
    Current.objects.bulk_create(
        [
            Current(
                contact_id=contact_id,
                electronic=r.given,
                changed_at=r.at,
                changed_by_id=r.recorded_by_id,
                source=(r.source_detail or r.source)[:100],
            )
            for contact_id, r in latest.items()
        ],
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0002_consent_ledger"),
        ("governance", "0008_meeting_document_file_removed"),
        # membership 0007 wrote its old consent rows into governance's tables: copy after it.
        ("membership", "0007_consent_in_governance"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveIndex(model_name="convocationconsentchange", name="consent_change_contact"),
        migrations.DeleteModel(name="ConvocationConsentChange"),
        migrations.DeleteModel(name="ConvocationConsent"),
    ]
