"""Data-protection rights pages: a person's data (export, erasure) for the team, the retention
list of old prospects, and the member's own export under /espace/communication/."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from placette.contacts.models import Contact
from placette.contacts.services import contact_legal_holds
from placette.lib.confirm import Confirmation, confirm
from placette.lib.jobs import job_start
from placette.lib.paging import paginate
from placette.lib.permissions import contact_of_user, signed_in_required, staff_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show
from placette.mailing import privacy


def _zip_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    sections = [(title, len(rows)) for _key, title, rows in privacy.person_data(contact)]
    return render(
        request,
        "mailing/person.html",
        {"contact": contact, "sections": sections, "holds": contact_legal_holds(contact)},
    )


@staff_required
@require_POST
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    return _zip_response(*privacy.person_export_zip(actor=request.user, contact=contact))


@staff_required
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    holds = contact_legal_holds(contact)
    response = confirm(
        request,
        Confirmation(
            title=_("Effacer les données de %(name)s") % {"name": contact},
            what=_(
                "L’adresse e-mail, le téléphone, les étiquettes, l’historique et les copies des "
                "e-mails envoyés sont effacés ; l’adresse passe sur la liste d’opposition ; le "
                "registre des consentements est conservé (preuve)."
            ),
            details=(
                [
                    _("Nom et adresse postale conservés (obligation légale) : %(holds)s")
                    % {"holds": ", ".join(holds)}
                ]
                if holds
                else [_("Nom et adresse postale effacés aussi.")]
            ),
            button=_("Effacer les données"),
            cancel_url=reverse("mailing:person", args=[pk]),
            danger=True,
            blocked="" if contact.is_person else _("Seule une personne peut être effacée."),
        ),
    )
    if response is not None:
        return response
    try:
        privacy.person_erase(actor=request.user, contact=contact)
    except Refusal as exc:
        refusal_show(request, exc)
        return redirect("mailing:person", pk)
    messages.success(request, _("Données effacées."))
    return redirect("mailing:person", pk)


@staff_required
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    cutoff = privacy.retention_cutoff()
    due = privacy.prospects_due(cutoff).order_by("name_key", "pk")
    count = due.count()
    if request.method == "POST":
        response = confirm(
            request,
            Confirmation(
                title=_("Effacer les prospects sans contact depuis trois ans"),
                what=_(
                    "Chaque fiche est effacée comme sur demande de la personne ; une fiche "
                    "redevenue active d’ici l’exécution est gardée."
                ),
                count=count,
                count_label=ngettext("fiche", "fiches", count),
                button=ngettext("Effacer %(n)s fiche", "Effacer %(n)s fiches", count)
                % {"n": count},
                cancel_url=reverse("mailing:retention"),
                danger=True,
                blocked="" if count else _("Aucune fiche à effacer."),
            ),
        )
        if response is not None:
            return response
        job = job_start(
            kind="mailing.retention",
            label=_("Effacement des prospects sans contact depuis trois ans"),
            actor=request.user,
            func_path="placette.mailing.privacy.retention_erase",
            kwargs={"cutoff": cutoff.isoformat(), "actor_id": request.user.pk},
            return_url=reverse("mailing:retention"),
        )
        return redirect(job)
    page = paginate(request, due)
    return render(
        request, "mailing/retention.html", {"page": page, "count": count, "cutoff": cutoff}
    )


@signed_in_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """The member's own export (GDPR art. 15 and 20): the page, then the file on POST."""
    contact = contact_of_user(request)
    if request.method == "POST":
        return _zip_response(*privacy.person_export_zip(actor=request.user, contact=contact))
    return render(request, "mailing/portal/my_data.html", {"contact": contact})
