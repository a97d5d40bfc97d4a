"""Staff pages of the campaigns (/gestion/impact/campagnes/) and the public questionnaires
(/questionnaire/…, no account). Thin: read, call a service, show its refusal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from placette.impact import queries, services
from placette.impact.forms import CampaignForm
from placette.impact.models import Campaign, InhabitantLink, Invitation, Respondent
from placette.lib import jobs
from placette.lib.confirm import Confirmation, confirm
from placette.lib.paging import paginate
from placette.lib.permissions import staff_required
from placette.lib.ratelimit import client_ip, rate_consume
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show


@staff_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Campagne créée : lancez-la pour inviter les activités."))
            return redirect(campaign)
    page = paginate(request, queries.campaigns_listed())
    return render(request, "impact/campaign_list.html", {"page": page, "form": form})


@staff_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("framework"), pk=pk)
    return render(
        request,
        "impact/campaign_detail.html",
        {
            "campaign": campaign,
            "board": queries.campaign_board(campaign),
            "invitations": queries.invitations_of(campaign),
            "reminders_due": services.reminders_due(campaign).count(),
        },
    )


@staff_required
@require_POST
def campaign_launch(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    to_invite = services.activities_to_invite(campaign)
    without = [a for a in to_invite if not (a.contact_person or a.tenant).mail_to]
    response = confirm(
        request,
        Confirmation(
            title=_("Lancer la campagne"),
            what=_(
                "Chaque activité ouverte des lieux de la campagne reçoit son lien personnel "
                "au questionnaire par e-mail."
            ),
            count=len(to_invite),
            count_label=_("activités invitées"),
            details=[f"{a.place.name} — {a.name}" for a in to_invite]
            + (
                [
                    _("%(n)d sans adresse e-mail : leur lien sera à transmettre à la main.")
                    % {"n": len(without)}
                ]
                if without
                else []
            ),
            button=ngettext("Inviter %(n)d activité", "Inviter %(n)d activités", len(to_invite))
            % {"n": len(to_invite)},
            cancel_url=campaign.get_absolute_url(),
            blocked="" if to_invite else _("Toutes les activités ouvertes sont déjà invitées."),
        ),
    )
    if response is not None:
        return response
    try:
        n = services.campaign_launch(campaign=campaign, actor=request.user)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(
            request,
            ngettext("%(n)d activité invitée.", "%(n)d activités invitées.", n) % {"n": n},
        )
    return redirect(campaign)


@staff_required
@require_POST
def campaign_remind(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    due = services.reminders_due(campaign).count()
    response = confirm(
        request,
        Confirmation(
            title=_("Relancer les activités"),
            what=_(
                "Les activités qui n’ont pas envoyé leur questionnaire (et n’ont pas été "
                "relancées depuis %(days)d jours) reçoivent un rappel par e-mail."
            )
            % {"days": campaign.reminder_days},
            count=due,
            count_label=_("activités relancées"),
            button=ngettext("Relancer %(n)d activité", "Relancer %(n)d activités", due)
            % {"n": due},
            cancel_url=campaign.get_absolute_url(),
            blocked="" if due else _("Aucune activité à relancer aujourd’hui."),
        ),
    )
    if response is not None:
        return response
    job = jobs.job_start(
        kind="impact.reminders",
        label=_("Relances de la campagne « %(c)s »") % {"c": campaign},
        actor=request.user,
        func_path="placette.impact.campaigns.reminders_job",
        kwargs={"campaign_id": campaign.pk, "actor_id": request.user.pk},
        return_url=campaign.get_absolute_url(),
    )
    return redirect(job)


@staff_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    response = confirm(
        request,
        Confirmation(
            title=_("Clore la campagne"),
            what=_("Plus aucune réponse ne sera reçue, ni des activités ni des habitants."),
            button=_("Clore la campagne"),
            cancel_url=campaign.get_absolute_url(),
            danger=True,
        ),
    )
    if response is not None:
        return response
    try:
        services.campaign_close(campaign=campaign, actor=request.user)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Campagne close."))
    return redirect(campaign)


def _posted(request: HttpRequest, indicators: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for i in indicators:
        if i.kind == "instrument":
            data[i.code] = [request.POST.get(f"{i.code}-{n}", "") for n in range(len(i.items))]
        else:
            data[i.code] = request.POST.get(i.code, "")
        data[f"{i.code}:publish"] = request.POST.get(f"{i.code}:publish") == "1"
    return data


def _rows(indicators: list[Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    """What the questionnaire template shows of each question, with the current answer."""
    rows = []
    for i in indicators:
        current = data.get(i.code, "")
        row: dict[str, Any] = {
            "indicator": i,
            "name": i.code,
            "current": current,
            "publish": data.get(f"{i.code}:publish", False),
        }
        if i.kind == "scale5":
            row["options"] = [str(n) for n in range(1, 6)]
        elif i.kind == "scale10":
            row["options"] = [str(n) for n in range(0, 11)]
        elif i.kind == "yesno":
            row["options"] = ["oui", "non"]
        elif i.kind == "choice":
            row["options"] = list(i.choices)
        elif i.kind == "instrument":
            scores = list(current) if isinstance(current, list) else []
            row["questions"] = [
                {
                    "label": label,
                    "name": f"{i.code}-{n}",
                    "current": scores[n] if n < len(scores) else "",
                    "options": [str(v) for v in range(i.item_min, i.item_max + 1)],
                }
                for n, label in enumerate(i.items)
            ]
        rows.append(row)
    return rows


def _saved(response: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if response is None:
        return data
    for answer in response.answers.select_related("indicator"):
        code = answer.indicator.code
        if answer.indicator.kind == "instrument":
            data[code] = answer.text.split(",")
        elif answer.indicator.kind in ("text", "choice", "yesno"):
            data[code] = answer.text
        else:
            value = answer.value
            data[code] = "" if value is None else format(value.normalize(), "f")
        data[f"{code}:publish"] = answer.publish
    return data


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "impact/public_invalid.html", status=404)


def questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    """An activity's questionnaire through its personal link (no account)."""
    invitation = (
        Invitation.objects.select_related("campaign__framework", "activity__place")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        return _invalid_link(request)
    campaign = invitation.campaign
    indicators = services.questions(campaign.framework, Respondent.ACTIVITY)
    response = getattr(invitation, "response", None)
    data = _saved(response)
    if request.method == "POST":
        data = _posted(request, indicators)
        submit = "submit" in request.POST
        try:
            services.response_save(invitation=invitation, data=data, submit=submit)
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(
                request,
                _("Merci : votre questionnaire est envoyé.")
                if submit
                else _("Vos réponses sont enregistrées : vous pourrez reprendre plus tard."),
            )
            return redirect(invitation.get_absolute_url())
        response = getattr(Invitation.objects.get(pk=invitation.pk), "response", None)
    return render(
        request,
        "impact/questionnaire.html",
        {
            "campaign": campaign,
            "who": f"{invitation.activity.name} — {invitation.activity.place.name}",
            "rows": _rows(indicators, data),
            "submitted": response is not None and response.submitted_at is not None,
            "response": response,
            "draft": True,
        },
    )


ANSWERED_COOKIE = "placette_impact_{}"


def inhabitants(request: HttpRequest, token: str) -> HttpResponse:
    """The anonymous questionnaire of a place's inhabitants (the poster's link). One answer
    per browser (a signed cookie) and a rate limit per address: a basic guard against ballot
    stuffing that identifies no one."""
    link = (
        InhabitantLink.objects.select_related("campaign__framework", "place")
        .filter(token=token)
        .first()
    )
    if link is None:
        return _invalid_link(request)
    indicators = services.questions(link.campaign.framework, Respondent.INHABITANTS)
    cookie = ANSWERED_COOKIE.format(link.pk)
    already = request.get_signed_cookie(cookie, default="", salt="impact") == "1"
    data: dict[str, Any] = {}
    if request.method == "POST" and not already:
        data = _posted(request, indicators)
        try:
            if not rate_consume(
                scope="impact.inhabitants",
                key=f"{link.pk}:{client_ip(request)}",
                limit=30,
                period=3600,
            ):
                raise Refusal(
                    _("Trop de réponses depuis cette connexion : réessayez dans une heure.")
                )
            services.inhabitant_submit(link=link, data=data)
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("Merci pour vos réponses !"))
            answered = redirect(link.get_absolute_url())
            answered.set_signed_cookie(
                cookie, "1", salt="impact", max_age=400 * 86400, httponly=True, samesite="Lax"
            )
            return answered
    return render(
        request,
        "impact/questionnaire.html",
        {
            "campaign": link.campaign,
            "who": _("Habitants — %(place)s") % {"place": link.place.name},
            "rows": _rows(indicators, data),
            "submitted": already,
            "draft": False,
        },
    )


@staff_required
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """The team types in one inhabitant's paper form."""
    link = get_object_or_404(
        InhabitantLink.objects.select_related("campaign__framework", "place"), pk=pk
    )
    indicators = services.questions(link.campaign.framework, Respondent.INHABITANTS)
    data: dict[str, Any] = {}
    if request.method == "POST":
        data = _posted(request, indicators)
        try:
            services.inhabitant_submit(link=link, data=data, actor=request.user, paper=True)
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("Réponse papier enregistrée."))
            return redirect(reverse("impact:paper_entry", args=[link.pk]))
    return render(
        request,
        "impact/questionnaire.html",
        {
            "campaign": link.campaign,
            "who": _("Réponse papier — habitants de %(place)s") % {"place": link.place.name},
            "rows": _rows(indicators, data),
            "submitted": False,
            "draft": False,
            "staff_entry": True,
        },
    )
