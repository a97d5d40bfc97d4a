"""Staff pages of elections (/gestion/gouvernance/): add an election to a meeting, record the
candidacies with their statement, proclaim the result (confirmed). Guarded by staff_required."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from placette.governance import elections
from placette.governance.forms import CandidacyForm, ElectionForm
from placette.governance.models import Meeting, RollEntry
from placette.governance.models_elections import Election
from placette.lib.confirm import Confirmation, confirm
from placette.lib.permissions import staff_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show


@staff_required
@require_POST
def election_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = ElectionForm(request.POST, prefix="elec")
    if not form.is_valid():
        messages.error(
            request, _("Indiquez l’intitulé, l’instance, les sièges et la durée du mandat.")
        )
        return redirect(meeting)
    try:
        election = elections.election_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    except Refusal as exc:
        refusal_show(request, exc)
        return redirect(meeting)
    messages.success(request, _("Élection ajoutée : enregistrez les candidatures."))
    return redirect("governance:election", pk=election.pk)


def _election(pk: int) -> Election:
    return get_object_or_404(elections.elections_of_all(), pk=pk)


@staff_required
@require_http_methods(["GET", "POST"])
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(pk)
    form = CandidacyForm(request.POST or None, prefix="cand")
    if request.method == "POST" and form.is_valid():
        entry = RollEntry.objects.filter(
            meeting=election.meeting, member_number=form.cleaned_data["member_number"]
        ).first()
        try:
            if entry is None:
                raise Refusal(
                    _("Aucun votant n° %(n)s sur la liste arrêtée de cette réunion.")
                    % {"n": form.cleaned_data["member_number"]}
                )
            elections.candidacy_declare(
                actor=request.user,
                election=election,
                entry=entry,
                statement=form.cleaned_data["statement"],
            )
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(
                request, _("Candidature de %(name)s enregistrée.") % {"name": entry.name}
            )
            return redirect("governance:election", pk=election.pk)
    return render(
        request,
        "governance/election_detail.html",
        {"election": election, "meeting": election.meeting, "form": form},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def election_close(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(pk)
    candidacies = list(election.candidacies.all())
    open_ones = [c.resolution.number for c in candidacies if not c.resolution.closed_at]
    response = confirm(
        request,
        Confirmation(
            title=_("Proclamer le résultat : %(title)s") % {"title": election.title},
            what=_(
                "Les élus sont calculés à partir du résultat figé de chaque candidature et "
                "leurs mandats sont créés dans l’instance « %(body)s » pour %(years)s ans."
            )
            % {"body": election.body.name, "years": election.term_years},
            count=len(candidacies),
            count_label=_("candidatures"),
            button=_("Proclamer le résultat"),
            cancel_url=reverse("governance:election", args=[election.pk]),
            blocked=(
                _("Le résultat est déjà proclamé.")
                if election.closed_at
                else _("Clôturez d’abord le vote des résolutions n° %(n)s.")
                % {"n": ", ".join(map(str, open_ones))}
                if open_ones
                else ""
            ),
        ),
    )
    if response is not None:
        return response
    try:
        election = elections.election_close(actor=request.user, election=election)
        messages.success(
            request,
            _("Résultat proclamé. Élu·es : %(names)s.")
            % {"names": ", ".join(election.result["elected"]) or _("aucun")},
        )
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("governance:election", pk=election.pk)
