"""Demo community data: an engagement ladder, a catalogue of trainings and events, 40
sessions over three years around the demo places (some full, with a waiting list; past ones
with attendance on the timeline and feedback), and a closed consultation on the investment
criteria weighted by college. Runs after places and membership; idempotent (does nothing when
the catalogue is there). Rows are written directly with their past dates (the services refuse
past sessions, rightly) and send no email."""

import datetime as dt

from django.utils import timezone

from placette.community import consultations as consult
from placette.community.models import (
    Consultation,
    ConsultationPhase,
    EngagementLevel,
    Event,
    EventKind,
    Proposal,
    ProposalVote,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Session,
    VoteMode,
)
from placette.contacts.models import Contact, ContactKind, TimelineKind
from placette.contacts.services import timeline_append
from placette.places.models import Place

CATALOGUE = [
    (
        "Comprendre la foncière solidaire",
        EventKind.TRAINING,
        "Deux heures pour les nouveaux sociétaires.",
    ),
    ("Animer un café-débat local", EventKind.TRAINING, "Pour les ambassadeurs locaux."),
    ("Visite de chantier", EventKind.EVENT, "Découvrir une rénovation en cours."),
    ("Apéro des sociétaires", EventKind.EVENT, "Rencontre autour d’un lieu de la coopérative."),
    ("Comité d’investissement ouvert", EventKind.EVENT, "Présentation des projets à l’étude."),
]
LADDER = [
    ("Sympathisant", 0, 0, "Toute personne en contact avec la coopérative."),
    ("Sociétaire impliqué", 1, 2, "Au moins deux participations ou votes en douze mois."),
    ("Bénévole actif", 2, 4, "Au moins quatre actions en douze mois."),
    ("Ambassadeur local", 3, 8, "Au moins huit actions en douze mois."),
]
KINDS = "event,meeting,subscription,vote"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed(rng, out) -> None:
    if Event.objects.filter(title=CATALOGUE[0][0]).exists():
        out.write("Vie coopérative de démonstration : déjà présente.")
        return
    today = timezone.localdate()
    start = today.replace(year=today.year - 3)
    for name, rank, minimum, description in LADDER:
        EngagementLevel.objects.create(
            name=name,
            rank=rank,
            min_actions=minimum,
            window_months=12,
            action_kinds=KINDS,
            valid_from=start,
            description=description,
        )
    events = [
        Event.objects.create(title=title, kind=kind, summary=summary)
        for title, kind, summary in CATALOGUE
    ]
    places = list(Place.objects.order_by("pk")[:12])
    people = list(
        Contact.objects.filter(kind=ContactKind.PERSON).exclude(email="").order_by("pk")[:300]
    )
    sessions = 0
    registrations = 0
    for i in range(40):
        # spread over three years, the last five sessions to come
        day = start + dt.timedelta(days=int((i + 1) * (3 * 365 + 60) / 41))
        event = events[i % len(events)]
        place = places[i % len(places)] if places else None
        capacity = rng.choice([8, 12, 15, 20, 30])
        starts = _at(day, rng.choice([10, 14, 18]))
        session = Session.objects.create(
            event=event,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            place=place,
            location=place.commune_name if place else "",
            capacity=capacity,
            updated_at=starts - dt.timedelta(days=30),
        )
        sessions += 1
        # every fourth session is full with a waiting list
        wanted = (
            capacity + rng.randint(2, 6) if i % 4 == 0 else rng.randint(capacity // 3, capacity)
        )
        chosen = rng.sample(people, min(wanted, len(people))) if people else []
        past = starts < timezone.now()
        for n, contact in enumerate(chosen):
            confirmed = n < capacity
            attended = past and confirmed and rng.random() < 0.8
            Registration.objects.create(
                session=session,
                contact=contact,
                status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITING,
                source=rng.choice([RegistrationSource.PORTAL, RegistrationSource.STAFF]),
                registered_at=starts - dt.timedelta(days=rng.randint(3, 40), minutes=n),
                attended=attended,
                feedback_rating=rng.randint(3, 5) if attended and rng.random() < 0.4 else None,
                feedback_at=starts + dt.timedelta(days=1) if attended else None,
            )
            registrations += 1
            if attended:
                timeline_append(
                    contact=contact,
                    kind=TimelineKind.EVENT,
                    title=f"A participé à {event.title}",
                    area="community",
                    link=session.get_absolute_url(),
                    at=starts,
                )
    Registration.objects.filter(feedback_rating__isnull=True).update(feedback_at=None)
    _consultation(rng, today)
    out.write(
        f"Vie coopérative : {len(LADDER)} niveaux, {len(events)} entrées au catalogue, "
        f"{sessions} sessions, {registrations} inscriptions, une consultation."
    )


def _consultation(rng, today: dt.date) -> None:
    from placette.membership.models import Member

    closed = _at(today - dt.timedelta(days=200), 12)
    item = Consultation.objects.create(
        title="Critères d’investissement",
        question=(
            "Quels critères la coopérative doit-elle appliquer pour choisir ses prochains lieux ?"
        ),
        phase=ConsultationPhase.CLOSED,
        vote_mode=VoteMode.COLLEGES,
        vote_opened_at=closed - dt.timedelta(days=30),
        closed_at=closed,
        created_at=closed - dt.timedelta(days=75),
        synthesis=(
            "Les sociétaires ont soutenu la priorité au dernier commerce du village et le "
            "portage local ; la sobriété du bâti est ajoutée. Ces choix forment la version 2 "
            "de la grille des critères d’investissement (Lieux › Critères)."
        ),
    )
    members = list(Member.objects.active_on(today).select_related("contact").order_by("pk")[:60])
    if not members:
        return
    titles = [
        "Priorité au dernier commerce du village",
        "Exiger un portage local (élus, habitants)",
        "Ajouter la sobriété du bâti",
        "Limiter les projets aux communes de moins de 2 000 habitants",
    ]
    for n, title in enumerate(titles):
        proposal = Proposal.objects.create(
            consultation=item,
            author=members[n % len(members)].contact,
            title=title,
            created_at=closed - dt.timedelta(days=60 - n),
        )
        support = 0.8 if n < 3 else 0.3
        for member in rng.sample(members, min(40, len(members))):
            _, college = consult._member_college(member.contact, closed.date())
            ProposalVote.objects.create(
                proposal=proposal,
                contact=member.contact,
                choice=rng.choices(["yes", "no", "abstain"], [support, 1 - support, 0.1])[0],
                college=college,
                cast_at=closed - dt.timedelta(days=rng.randint(1, 29)),
            )
