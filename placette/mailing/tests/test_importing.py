"""Imports from MailChimp (ZIP), Brevo and Airtable (CSV), by service and by command."""

import csv
import io
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from placette.contacts.models import ConsentRecord, ConsentSource, Contact
from placette.contacts.services import consent_of
from placette.lib.exports import csv_response
from placette.lib.refusals import Refusal
from placette.mailing import importing
from placette.mailing.models import AudienceImport, ImportMapping, Suppression, SuppressionReason
from placette.mailing.suppression import suppression_of
from placette.mailing.tests.helpers import NEWSLETTER

FILES = Path(__file__).resolve().parents[1] / "demo_files"
MAILCHIMP = (FILES / "mailchimp_audience_export.zip").read_bytes()
BREVO = (FILES / "brevo_contacts_export.csv").read_bytes()


def _import(source, raw, *, dry_run=False, purpose=NEWSLETTER, mapping=None, name="f.csv"):
    return importing.audience_import(
        actor=None,
        source=source,
        raw=raw,
        filename=name,
        purpose_code=purpose,
        mapping=mapping,
        dry_run=dry_run,
    )


def _state():
    return (
        sorted(Contact.objects.values_list("email_normalized", "first_name", "last_name")),
        ConsentRecord.objects.count(),
        sorted(Suppression.objects.values_list("email_normalized", "reason")),
    )


@pytest.mark.django_db
def test_a_mailchimp_export_brings_consent_proof_tags_and_suppressions():
    report = _import("mailchimp", MAILCHIMP, name="export.zip")
    camille = Contact.objects.get(email_normalized="camille.roux@exemple.org")
    record = ConsentRecord.objects.get(contact=camille)
    assert record.given and record.source == ConsentSource.IMPORT
    assert record.at.isoformat().startswith("2021-03-16T14:42:05")  # CONFIRM_TIME
    assert record.ip == "192.0.2.10"
    assert "inscrit le 2021-03-16 14:40:47 depuis 192.0.2.10" in record.source_detail
    assert "confirmé le 2021-03-16 14:42:05" in record.source_detail
    assert sorted(camille.tags.values_list("name", flat=True)) == ["Drôme", "Investisseur"]
    # An empty OPTIN_TIME with a filled CONFIRM_TIME still proves the consent.
    jules = Contact.objects.get(email_normalized="jules.martin@exemple.org")
    assert consent_of(jules, NEWSLETTER)
    # Status from the file's name: unsubscribed and cleaned go to the suppression list.
    assert suppression_of("luc.perrin@exemple.org").reason == SuppressionReason.UNSUBSCRIBED
    assert suppression_of("ancienne.adresse@exemple.org").reason == SuppressionReason.HARD_BOUNCE
    curious = Contact.objects.get(email_normalized="curieux@exemple.org")
    assert not ConsentRecord.objects.filter(contact=curious).exists()
    # The malformed address is one error row, the others are imported.
    errors = [r for r in report.rows if r.action == "erreur"]
    assert len(errors) == 1 and "adresse e-mail invalide" in errors[0].detail[0]
    assert Contact.objects.filter(email_normalized="marie.leblanc@exemple.org").exists()


@pytest.mark.django_db
def test_importing_the_same_export_twice_changes_nothing_the_second_time():
    _import("mailchimp", MAILCHIMP, name="export.zip")
    before = _state()
    second = _import("mailchimp", MAILCHIMP, name="export.zip")
    assert _state() == before
    assert {r.action for r in second.rows} <= {"inchangé", "erreur"}


@pytest.mark.django_db
def test_a_dry_run_reports_every_row_and_writes_nothing():
    report = _import("mailchimp", MAILCHIMP, dry_run=True, name="export.zip")
    assert report.dry_run and report.counts["création"] == 8
    assert not Contact.objects.filter(email_normalized__endswith="exemple.org").exists()
    assert not Suppression.objects.exists() and not AudienceImport.objects.exists()


@pytest.mark.django_db
def test_a_brevo_export_never_resubscribes_an_address_unsubscribed_in_mailchimp():
    _import("mailchimp", MAILCHIMP, name="export.zip")
    report = _import("brevo", BREVO, purpose=NEWSLETTER)
    luc = Contact.objects.get(email_normalized="luc.perrin@exemple.org")
    assert not consent_of(luc, NEWSLETTER)
    row = next(r for r in report.rows if r.email == "luc.perrin@exemple.org")
    assert "liste d’opposition" in " ".join(row.detail)
    helene = Contact.objects.get(email_normalized="helene.brun@exemple.net")
    assert (helene.first_name, helene.last_name) == ("Hélène", "Brun")  # NOM / PRENOM
    assert consent_of(helene, NEWSLETTER)
    gaelle = Contact.objects.get(email_normalized="gaelle.noel@exemple.net")
    assert not consent_of(gaelle, NEWSLETTER)  # DOUBLE_OPT-IN: No


@pytest.mark.django_db
def test_a_brevo_export_in_windows_1252_is_read():
    raw = BREVO.decode("utf-8-sig").encode("cp1252")
    _import("brevo", raw)
    assert Contact.objects.get(email_normalized="francois.michel@exemple.net").first_name == (
        "François"
    )


@pytest.mark.django_db
def test_a_brevo_file_with_the_wrong_separator_is_refused_by_name():
    raw = BREVO.decode("utf-8-sig").replace(";", ",").encode()
    with pytest.raises(Refusal) as refused:
        _import("brevo", raw)
    assert "points-virgules" in str(refused.value)
    assert not Contact.objects.filter(email_normalized__endswith="exemple.net").exists()


@pytest.mark.django_db
def test_a_file_in_utf16_is_refused_with_the_encoding_named():
    with pytest.raises(Refusal) as refused:
        _import("brevo", BREVO.decode("utf-8-sig").encode("utf-16"))
    assert "UTF-16" in str(refused.value)


@pytest.mark.django_db
def test_a_file_without_an_email_column_is_refused_and_names_its_columns():
    raw = "Prénom,Nom\nAnna,Lys\n".encode()
    with pytest.raises(Refusal) as refused:
        _import("airtable", raw)
    assert "Colonne de l’adresse e-mail introuvable" in str(refused.value)
    assert "Prénom, Nom" in str(refused.value)
    assert not Contact.objects.filter(last_name="Lys").exists()


@pytest.mark.django_db
def test_a_mailchimp_file_that_is_not_a_zip_is_refused():
    with pytest.raises(Refusal) as refused:
        _import("mailchimp", BREVO)
    assert "ZIP" in str(refused.value)


@pytest.mark.django_db
def test_an_airtable_view_is_read_through_a_remembered_mapping():
    raw = (
        "Courriel,Prénom usuel,Nom,Centres,Lettre\n"
        'anna@exemple.com,Anna,Lys,"Bénévole, Drôme",checked\n'
        "bob@exemple.com,Bob,Roc,,\n"
    ).encode()
    typed = importing.mapping_from(
        None, "Courriel = email\nPrénom usuel = first_name\nCentres = tags\nLettre = consent"
    )
    ImportMapping.objects.create(name="CRM Airtable", source="airtable", columns=typed)
    mapping = importing.mapping_from(ImportMapping.objects.get(name="CRM Airtable"), "")
    _import("airtable", raw, mapping=mapping)
    anna = Contact.objects.get(email_normalized="anna@exemple.com")
    assert anna.first_name == "Anna" and consent_of(anna, NEWSLETTER)
    assert sorted(anna.tags.values_list("name", flat=True)) == ["Bénévole", "Drôme"]
    assert not consent_of(Contact.objects.get(email_normalized="bob@exemple.com"), NEWSLETTER)


@pytest.mark.django_db
def test_a_mapping_line_naming_an_unknown_field_is_refused():
    with pytest.raises(Refusal) as refused:
        importing.mapping_from(None, "Courriel = adresse")
    assert "Ligne 1 de la correspondance illisible" in str(refused.value)


@pytest.mark.django_db
def test_a_formula_in_a_cell_is_kept_as_text_and_never_executed_in_exports():
    raw = 'Email,Prénom,Nom\nf@exemple.com,"=HYPERLINK(""http://x"")",Lys\n'.encode()
    report = _import("airtable", raw)
    assert "formule" in " ".join(report.rows[0].detail)
    contact = Contact.objects.get(email_normalized="f@exemple.com")
    assert contact.first_name.startswith("=HYPERLINK")
    response = csv_response("contacts.csv", ["Prénom"], [[contact.first_name]])
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    [_header, row] = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert row[0].startswith("'=HYPERLINK")


@pytest.mark.django_db
def test_an_import_killed_half_way_resumes_where_it_stopped(monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 3)
    real = importing._apply
    calls = {"n": 0}

    def dying(row, ctx):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt  # the process is stopped in the second chunk
        return real(row, ctx)

    with (
        mock.patch.object(importing, "_apply", side_effect=dying),
        pytest.raises(KeyboardInterrupt),
    ):
        _import("mailchimp", MAILCHIMP, name="export.zip")
    record = AudienceImport.objects.get()
    assert record.rows_done == 3 and record.finished_at is None
    report = _import("mailchimp", MAILCHIMP, name="export.zip")
    record.refresh_from_db()
    assert record.finished_at is not None and record.rows_done == record.rows_total == 9
    assert len(report.rows) == 9 and AudienceImport.objects.count() == 1


@pytest.mark.django_db
def test_the_command_prints_the_row_report_and_a_second_run_changes_nothing(capsys):
    path = str(FILES / "mailchimp_audience_export.zip")
    call_command("audience_import", "--source", "mailchimp", path, "--dry-run")
    out = capsys.readouterr().out
    assert "Essai (rien n’est enregistré)" in out and "camille.roux@exemple.org" in out
    assert not Contact.objects.filter(email_normalized="camille.roux@exemple.org").exists()
    call_command("audience_import", "--source", "mailchimp", path)
    before = _state()
    call_command("audience_import", "--source", "mailchimp", path)
    assert _state() == before
    assert "inchangé" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("audience_import", "--source", "brevo", path)  # a ZIP is no Brevo CSV


def test_the_demo_zip_holds_one_file_per_status():
    names = zipfile.ZipFile(io.BytesIO(MAILCHIMP)).namelist()
    assert {n.split("_")[0] for n in names} == {
        "subscribed",
        "unsubscribed",
        "cleaned",
        "nonsubscribed",
    }
