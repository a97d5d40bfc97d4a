"""Writes of the yearly campaigns: creation, launch (personal links and invitation emails to
the installed activities), reminders (a background job), answers of the activities (draft then
submission) and of the inhabitants (anonymous, or typed in from paper by the team), closing.
Keyword-only, atomic, one audit entry per business event; refusals in French change nothing.
Re-exported by `services`."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.impact import scoring
from placette.impact.models import (
    Answer,
    Campaign,
    Framework,
    Indicator,
    InhabitantLink,
    Invitation,
    Respondent,
    Response,
    ResponseSource,
)
from placette.lib.audit import audit_log
from placette.lib.dates import date_check
from placette.lib.jobs import JobResult
from placette.lib.mail import mail_send
from placette.lib.refusals import Refusal


def _token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def campaign_create(
    *,
    framework: Framework,
    title: str,
    opens_on: dt.date,
    deadline: dt.date,
    places: Iterable[Any],
    actor: Any,
    inhabitants: bool = True,
    reminder_days: int = 7,
) -> Campaign:
    """A campaign of `framework` over `places` (one anonymous inhabitants' link per place)."""
    date_check(opens_on, label=_("Ouverture"), field="opens_on")
    date_check(deadline, label=_("Date limite"), field="deadline")
    if deadline < opens_on:
        raise Refusal(_("La date limite précède l’ouverture de la campagne."), field="deadline")
    if not framework.year <= opens_on.year <= framework.year + 1:
        raise Refusal(
            _("Une campagne du référentiel %(year)d s’ouvre en %(year)d ou l’année suivante.")
            % {"year": framework.year},
            field="opens_on",
        )
    places = list(places)
    if not places:
        raise Refusal(_("Choisissez au moins un lieu."), field="places")
    if not 1 <= reminder_days <= 60:
        raise Refusal(_("Relancez tous les 1 à 60 jours."), field="reminder_days")
    campaign = Campaign.objects.create(
        framework=framework,
        title=title.strip()[:200] or _("Campagne %(year)d") % {"year": framework.year},
        opens_on=opens_on,
        deadline=deadline,
        inhabitants=inhabitants,
        reminder_days=reminder_days,
        created_by=actor,
    )
    campaign.places.set(places)
    if inhabitants:
        InhabitantLink.objects.bulk_create(
            InhabitantLink(campaign=campaign, place=place, token=_token()) for place in places
        )
    audit_log(actor=actor, action="impact.campaign.create", obj=campaign, places=len(places))
    return campaign


def _open_check(campaign: Campaign, today: dt.date | None = None) -> None:
    """Answers are received between the opening and the deadline of an open campaign."""
    today = today or timezone.localdate()
    if campaign.closed_at is not None:
        raise Refusal(_("Cette campagne est close : les réponses ne sont plus reçues."))
    if today > campaign.deadline:
        raise Refusal(
            _(
                "La date limite du %(day)s est passée : les réponses ne sont plus reçues. "
                "Écrivez à l’équipe de la foncière si vous souhaitez encore répondre."
            )
            % {"day": date_format(campaign.deadline, "j F Y")}
        )
    if today < campaign.opens_on:
        raise Refusal(
            _("Cette campagne ouvre le %(day)s.") % {"day": date_format(campaign.opens_on, "j F Y")}
        )


def activities_to_invite(campaign: Campaign, today: dt.date | None = None) -> list[Any]:
    """The activities open today in the campaign's places that have no invitation yet."""
    from placette.places.models import Activity

    today = today or timezone.localdate()
    return list(
        Activity.objects.open_on(today)
        .filter(place__in=campaign.places.all())
        .exclude(pk__in=campaign.invitations.values("activity_id"))
        .select_related("place", "tenant", "contact_person")
        .order_by("place__name", "name")
    )


def _invite_mail(invitation: Invitation, *, reminder: bool) -> None:
    from django.conf import settings

    activity = invitation.activity
    campaign = invitation.campaign
    number = invitation.reminders
    mail_send(
        template="impact/reminder" if reminder else "impact/invitation",
        key=f"impact.reminder:{invitation.pk}:{number}"
        if reminder
        else f"impact.invitation:{invitation.pk}",
        to_email=invitation.email,
        context={
            "activity": activity.name,
            "place": activity.place.name,
            "year": campaign.framework.year,
            "deadline": date_format(campaign.deadline, "j F Y"),
            "url": settings.SITE_URL + invitation.get_absolute_url(),
        },
        kind="impact.reminder" if reminder else "impact.invitation",
        related=invitation,
    )


@transaction.atomic
def campaign_launch(*, campaign: Campaign, actor: Any) -> int:
    """Give each open activity of the campaign's places its personal link and email it (again
    later: only the activities installed since). Returns the number invited."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _open_check(campaign, max(timezone.localdate(), campaign.opens_on))
    invited = []
    for activity in activities_to_invite(campaign):
        person = activity.contact_person or activity.tenant
        invitation = Invitation.objects.create(
            campaign=campaign,
            activity=activity,
            token=_token(),
            email=person.mail_to,
            invited_at=timezone.now() if person.mail_to else None,
        )
        if invitation.email:
            _invite_mail(invitation, reminder=False)
        invited.append(invitation)
    if campaign.launched_at is None:
        campaign.launched_at = timezone.now()
        campaign.save(update_fields=["launched_at"])
    audit_log(
        actor=actor,
        action="impact.campaign.launch",
        obj=campaign,
        invited=len(invited),
        without_email=sum(1 for i in invited if not i.email),
    )
    return len(invited)


def reminders_due(campaign: Campaign, now: dt.datetime | None = None):
    """Invitations to remind: emailed, not submitted, not reminded within `reminder_days`, in
    an open campaign before its deadline."""
    now = now or timezone.now()
    if campaign.closed_at is not None or timezone.localdate(now) > campaign.deadline:
        return Invitation.objects.none()
    since = now - dt.timedelta(days=campaign.reminder_days)
    return (
        campaign.invitations.exclude(email="")
        .exclude(response__submitted_at__isnull=False)
        .filter(invited_at__lte=since)
        .exclude(reminded_at__gt=since)
        .select_related("activity__place", "campaign__framework")
        .order_by("pk")
    )


def reminders_job(job: Any, *, campaign_id: int, actor_id: int | None = None) -> JobResult:
    """Background job: one reminder email to each invitation due, with progress."""
    from placette.accounts.models import User

    campaign = Campaign.objects.get(pk=campaign_id)
    due = list(reminders_due(campaign).values_list("pk", flat=True))
    sent = 0
    for done, pk in enumerate(due, start=1):
        with transaction.atomic():
            invitation = (
                reminders_due(campaign).select_for_update(of=("self",)).filter(pk=pk).first()
            )
            if invitation is not None:
                invitation.reminders += 1
                invitation.reminded_at = timezone.now()
                invitation.save(update_fields=["reminders", "reminded_at"])
                _invite_mail(invitation, reminder=True)
                sent += 1
        job.progress(done, len(due), _("Relances envoyées : %(n)d") % {"n": sent})
    audit_log(
        actor=User.objects.filter(pk=actor_id).first() if actor_id else None,
        action="impact.campaign.remind",
        obj=campaign,
        sent=sent,
    )
    return JobResult(
        message=ngettext("%(n)d relance envoyée.", "%(n)d relances envoyées.", sent) % {"n": sent}
    )


@transaction.atomic
def campaign_close(*, campaign: Campaign, actor: Any) -> Campaign:
    if campaign.closed_at is not None:
        raise Refusal(_("Cette campagne est déjà close."))
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["closed_at"])
    audit_log(actor=actor, action="impact.campaign.close", obj=campaign)
    return campaign


def questions(framework: Framework, respondent: str) -> list[Indicator]:
    """The indicators a respondent is asked (computed ones are not asked)."""
    return [
        i
        for i in framework.indicators.order_by("position", "pk")
        if respondent in i.respondents and not i.source
    ]


def _clean(
    indicators: list[Indicator], data: Mapping[str, Any]
) -> list[tuple[Indicator, Any, str, bool]]:
    """(indicator, value, text, publish) of each answer given; every problem at once."""
    cleaned, problems = [], []
    for indicator in indicators:
        raw = data.get(indicator.code)
        try:
            if indicator.kind == "instrument":
                value, text = scoring.answer_clean(indicator, None, raw or ())
            else:
                value, text = scoring.answer_clean(indicator, raw)
        except Refusal as exc:
            problems.extend(exc.messages)
            continue
        if value is not None or text:
            cleaned.append((indicator, value, text, bool(data.get(f"{indicator.code}:publish"))))
    if problems:
        raise Refusal(problems)
    return cleaned


def _answers_write(response: Response, cleaned: list[tuple[Indicator, Any, str, bool]]) -> None:
    response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(response=response, indicator=i, value=v, text=t, publish=p) for i, v, t, p in cleaned
    )


@transaction.atomic
def response_save(
    *, invitation: Invitation, data: Mapping[str, Any], submit: bool, actor: Any = None
) -> Response:
    """Save an activity's answers as a draft, or submit them (then they can no longer change).
    `data` maps an indicator code to the raw answer (a list of item answers for an
    instrument) and `<code>:publish` to the consent to quote a testimony."""
    invitation = (
        Invitation.objects.select_for_update().select_related("campaign").get(pk=invitation.pk)
    )
    campaign = invitation.campaign
    response = Response.objects.filter(invitation=invitation).first()
    if response is not None and response.submitted_at is not None:
        raise Refusal(
            _("Ce questionnaire a déjà été envoyé le %(day)s : il ne peut plus être modifié.")
            % {"day": date_format(timezone.localtime(response.submitted_at), "j F Y")},
            code="already_submitted",
        )
    _open_check(campaign)
    cleaned = _clean(questions(campaign.framework, Respondent.ACTIVITY), data)
    if submit and not cleaned:
        raise Refusal(_("Répondez à au moins une question avant d’envoyer le questionnaire."))
    if response is None:
        response = Response.objects.create(
            campaign=campaign,
            place=invitation.activity.place,
            invitation=invitation,
            respondent=Respondent.ACTIVITY,
        )
    _answers_write(response, cleaned)
    if submit:
        response.submitted_at = timezone.now()
    response.save()
    audit_log(
        actor=actor,
        action="impact.response.submit" if submit else "impact.response.save",
        obj=response,
        answers=len(cleaned),
    )
    if submit:
        from placette.contacts.services import timeline_append

        timeline_append(
            contact=invitation.activity.tenant,
            kind="impact.response",
            title=_("Questionnaire d’utilité sociale %(year)d envoyé (%(activity)s)")
            % {"year": campaign.framework.year, "activity": invitation.activity.name},
            area="impact",
            link=campaign.get_absolute_url(),
        )
    return response


@transaction.atomic
def inhabitant_submit(
    *, link: InhabitantLink, data: Mapping[str, Any], actor: Any = None, paper: bool = False
) -> Response:
    """One inhabitant's anonymous answers (or a paper form typed in by the team)."""
    campaign = Campaign.objects.select_for_update().get(pk=link.campaign_id)
    _open_check(campaign)
    cleaned = _clean(questions(campaign.framework, Respondent.INHABITANTS), data)
    if not cleaned:
        raise Refusal(_("Répondez à au moins une question avant d’envoyer le questionnaire."))
    response = Response.objects.create(
        campaign=campaign,
        place_id=link.place_id,
        respondent=Respondent.INHABITANTS,
        source=ResponseSource.PAPER if paper else ResponseSource.WEB,
        submitted_at=timezone.now(),
        entered_by=actor if paper else None,
    )
    _answers_write(response, cleaned)
    audit_log(
        actor=actor,
        action="impact.response.paper" if paper else "impact.response.inhabitant",
        obj=response,
        answers=len(cleaned),
    )
    return response
