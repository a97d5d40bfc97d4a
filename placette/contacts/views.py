import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from placette.contacts import communes
from placette.contacts.forms import (
    AffiliationForm,
    ConsentStaffForm,
    ContactForm,
    ImportForm,
    NoteForm,
)
from placette.contacts.importing import contacts_import
from placette.contacts.lists import CONTACTS
from placette.contacts.models import Affiliation, ConsentSource, Contact
from placette.contacts.services import (
    affiliation_add,
    consent_history,
    consent_set,
    consent_states,
    contact_create,
    contact_merge,
    contact_note_add,
    contact_update,
    duplicates_find,
)
from placette.lib.exports import csv_response
from placette.lib.models import AuditEntry
from placette.lib.paging import paginate
from placette.lib.panels import contact_panels
from placette.lib.permissions import staff_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show


@staff_required
@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    return CONTACTS.render(request, "contacts/contact_list.html")


@staff_required
@require_http_methods(["GET", "POST"])  # POST: a confirmed large export (a background job)
def contact_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return CONTACTS.export(request, fmt)


@staff_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.prefetch_related("tags"), pk=pk)
    note_form = NoteForm(request.POST or None, prefix="note")
    if request.method == "POST" and note_form.is_valid():
        contact_note_add(actor=request.user, contact=contact, **note_form.cleaned_data)
        messages.success(request, "Note ajoutée à l’historique.")
        return redirect(contact)
    timeline = paginate(request, contact.timeline.select_related("actor"), per_page=30)
    context = {
        "contact": contact,
        "note_form": note_form,
        "affiliation_form": AffiliationForm(prefix="aff"),
        "timeline": timeline,
        "affiliations": Affiliation.objects.filter(person=contact).select_related("organisation"),
        "people": Affiliation.objects.filter(organisation=contact).select_related("person"),
        "audit": AuditEntry.objects.for_object(contact).select_related("actor")[:20],
        "panels": contact_panels(contact),
        "consent_states": consent_states(contact),
    }
    return render(request, "contacts/contact_detail.html", context)


@staff_required
def contact_consents(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact's consents: the state per purpose, the whole history with its proof, and the
    form the team uses to record a consent or a withdrawal received in writing."""
    contact = get_object_or_404(Contact, pk=pk)
    form = ConsentStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act = form.act()
        try:
            record = consent_set(
                contact=contact, source=ConsentSource.STAFF, actor=request.user, **act
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            label = act["purpose"].label
            if not record.is_new:
                messages.info(request, _("Rien à enregistrer : c’est déjà l’état en vigueur."))
            elif record.given:
                messages.success(request, _("Accord enregistré : %(p)s.") % {"p": label})
            else:
                messages.success(request, _("Retrait enregistré : %(p)s.") % {"p": label})
            return redirect("contacts:consents", pk=contact.pk)
    context = {
        "contact": contact,
        "states": consent_states(contact),
        "history": paginate(request, consent_history(contact), per_page=50),
        "form": form,
    }
    return render(
        request,
        "contacts/contact_consents.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


CONSENT_EXPORT_HEADER = [
    "date",
    "finalité",
    "acte",
    "origine",
    "précision",
    "version",
    "texte présenté",
    "adresse e-mail",
    "adresse IP",
    "navigateur",
    "saisi par",
    "enregistré le",
]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")


@staff_required
@require_GET
def contact_consents_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The proof of a contact's consents (GDPR art. 7(1)): every record, as a spreadsheet."""
    contact = get_object_or_404(Contact, pk=pk)
    rows = (
        [
            _local(r.at),
            r.purpose.label,
            _("accord") if r.given else _("retrait"),
            r.get_source_display(),
            r.source_detail,
            r.version,
            r.text,
            r.email,
            r.ip or "",
            r.user_agent,
            str(r.recorded_by or ""),
            _local(r.recorded_at),
        ]
        for r in consent_history(contact).iterator(chunk_size=1000)
    )
    return csv_response(f"consentements-{contact.pk}", CONSENT_EXPORT_HEADER, rows)


@staff_required
@require_POST
def affiliation_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Contact, pk=pk)
    form = AffiliationForm(request.POST, prefix="aff")
    if form.is_valid():
        try:
            affiliation_add(
                actor=request.user,
                person=person,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
            )
            messages.success(request, "Rattachement enregistré.")
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(person)


@staff_required
def contact_create_view(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, initial={"kind": request.GET.get("type", "person")})
    if request.method == "POST" and form.is_valid():
        contact = contact_create(actor=request.user, data=form.contact_data(), tags=form.tags())
        messages.success(request, f"Fiche « {contact} » créée.")
        return redirect(contact)
    return render(request, "contacts/contact_form.html", {"form": form})


@staff_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        # The ModelForm already wrote the cleaned values on the instance: start from the database.
        fresh = Contact.objects.get(pk=pk)
        contact_update(
            actor=request.user, contact=fresh, data=form.contact_data(), tags=form.tags()
        )
        messages.success(request, "Fiche enregistrée.")
        return redirect(fresh)
    return render(request, "contacts/contact_form.html", {"form": form, "contact": contact})


@staff_required
@require_GET
def commune_options(request: HttpRequest) -> HttpResponse:
    postcode = request.GET.get("postcode", "").strip()
    found = communes.communes_for_postcode(postcode) if postcode else []
    if not found and request.GET.get("q"):
        found = communes.communes_search(request.GET["q"])
    return render(request, "contacts/commune_options.html", {"communes": found})


@staff_required
@require_GET
def contact_picker(request: HttpRequest) -> HttpResponse:
    """Options for a ContactPicker: up to 20 contacts matching what was typed in `field`."""
    text = request.GET.get(request.GET.get("field", "q"), "").strip()
    contacts = Contact.objects.none()
    if text.isdigit():
        contacts = Contact.objects.filter(pk=int(text))
    elif len(text) >= 2:
        contacts = Contact.objects.search(text)
    if request.GET.get("kind") in {"person", "organisation"}:
        contacts = contacts.filter(kind=request.GET["kind"])
    return render(request, "contacts/picker_options.html", {"contacts": contacts[:20]})


@staff_required
@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    return render(request, "contacts/duplicate_list.html", {"groups": duplicates_find()})


@staff_required
def contact_merge_view(request: HttpRequest, keep: int, absorb: int) -> HttpResponse:
    kept = get_object_or_404(Contact, pk=keep)
    absorbed = get_object_or_404(Contact, pk=absorb)
    if request.method == "POST":
        try:
            merged = contact_merge(actor=request.user, keep=kept, absorb=absorbed)
        except Refusal as exc:
            refusal_show(request, exc)
            return redirect("contacts:duplicates")
        messages.success(request, f"Fiches fusionnées dans « {merged} ».")
        return redirect(merged)
    return render(request, "contacts/contact_merge.html", {"keep": kept, "absorb": absorbed})


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@staff_required
def contact_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm()
    report = None
    token = ""
    encoding = "utf-8"
    if request.method == "POST" and "token" in request.POST:
        token = request.POST["token"]
        encoding = request.POST.get("encoding", "utf-8")
        if not token.isalnum() or not (_import_dir() / token).exists():
            messages.error(request, "Ce fichier d’import a expiré : déposez-le à nouveau.")
            return redirect("contacts:import")
        raw = (_import_dir() / token).read_bytes()
        try:
            report = contacts_import(actor=request.user, raw=raw, encoding=encoding, commit=True)
        except Refusal as exc:
            refusal_show(request, exc)
            return redirect("contacts:import")
        if report.committed:
            (_import_dir() / token).unlink(missing_ok=True)
            counts = report.counts
            messages.success(
                request,
                f"Import terminé : {counts.get('création', 0)} création(s), "
                f"{counts.get('mise à jour', 0)} mise(s) à jour, "
                f"{counts.get('inchangé', 0)} inchangée(s).",
            )
            return redirect("contacts:list")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read()
            encoding = form.cleaned_data["encoding"]
            try:
                report = contacts_import(
                    actor=request.user, raw=raw, encoding=encoding, commit=False
                )
            except Refusal as exc:
                refusal_show(request, exc, form)
            else:
                if not report.errors:
                    token = secrets.token_hex(16)
                    (_import_dir() / token).write_bytes(raw)
    return render(
        request,
        "contacts/contact_import.html",
        {"form": form, "report": report, "token": token, "encoding": encoding},
    )
