"""Demo governance: bodies, the current board with mandates (including the demo board member
ca@placette.demo), last year's AG with results and a PV, board meetings with decisions and
actions, and an upcoming AG convened with its roll frozen. Runs after membership's demo;
idempotent (does nothing when mandates or meetings exist; the AG and board bodies themselves
come with migration 0003 on a fresh install)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from placette.contacts.models import Contact
from placette.governance import demo_live, services
from placette.governance.models import BodyKind, Mandate, Meeting, MeetingKind
from placette.membership.models import CategoryRule, Member, Statutes


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _accounts_text(year: int) -> str:
    return (
        "L’assemblée générale, après avoir entendu la lecture du rapport de gestion du conseil "
        "d’administration et du rapport du commissaire aux comptes, approuve les comptes "
        f"annuels de l’exercice clos le 31 décembre {year}, tels qu’ils lui ont été présentés, "
        "ainsi que les opérations traduites dans ces comptes ou résumées dans ces rapports. "
        "Elle donne quitus aux administrateurs de leur gestion pour cet exercice."
    )


def _reserves_text(year: int) -> str:
    return (
        "L’assemblée générale, sur proposition du conseil d’administration, décide d’affecter "
        f"le résultat de l’exercice {year} en totalité à la réserve impartageable, "
        "conformément à l’article 19 nonies de la loi du 10 septembre 1947 ; il ne sera "
        "distribué aucun dividende."
    )


def _tiny_pdf(title: str) -> bytes:
    """A one-page PDF saying `title` (written by hand: rendering with WeasyPrint would slow the
    demo down)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    size = len(objects) + 1
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def seed(rng, out) -> None:
    if Mandate.objects.exists() or Meeting.objects.exists():
        out.write("Gouvernance : déjà en place.")
        return
    if not Statutes.objects.exists():
        out.write("Gouvernance : pas de statuts (démo du sociétariat absente), rien à créer.")
        return
    today = timezone.localdate()
    ag = services.body_ensure(kind=BodyKind.AG, name="Assemblée générale")
    board = services.body_ensure(kind=BodyKind.BOARD, name="Conseil d’administration")
    services.body_ensure(kind=BodyKind.BUREAU, name="Bureau")
    services.body_ensure(kind=BodyKind.COMMITTEE, name="Comité d’engagement")

    last_year = today.year - 1
    ag_day = dt.date(last_year, 6, 14)
    members = list(
        Member.objects.active_on(ag_day - dt.timedelta(days=20))
        .select_related("contact")
        .order_by("number")[:400]
    )
    if len(members) < 12:
        out.write("Gouvernance : trop peu de sociétaires pour la démo.")
        return
    directors = [m.contact for m in rng.sample(members, 8)]
    ca = Contact.objects.filter(email__iexact="ca@placette.demo").first()
    if ca is not None and ca not in directors:
        directors[1] = ca
    directors_names = [directors[3].display_name]
    starts = dt.date(last_year - 1, 6, 1)
    # each director sits for the college of their category (statutes in force at the start)
    statutes = Statutes.objects.in_force(starts) or Statutes.objects.order_by("effective_from")[0]
    college_of = {r.category_id: r.college for r in CategoryRule.objects.filter(statutes=statutes)}
    category_of = dict(
        Member.objects.filter(contact__in=directors).values_list("contact_id", "category_id")
    )
    for i, contact in enumerate(directors):
        services.mandate_add(
            actor=None,
            body=board,
            contact=contact,
            role="Président·e" if i == 0 else ("Trésorier·e" if i == 2 else "Administrateur·rice"),
            is_chair=i == 0,
            college=college_of.get(category_of.get(contact.pk)),
            starts_on=starts,
            ends_on=dt.date(last_year + 2, 6, 30),
        )
    # a former director, for the « anciens membres » list
    former = next(m for m in members if m.contact not in directors)
    services.mandate_end(
        actor=None,
        mandate=services.mandate_add(
            actor=None,
            body=board,
            contact=former.contact,
            role="Administrateur·rice",
            college=college_of.get(former.category_id),
            starts_on=dt.date(last_year - 4, 6, 1),
        ),
        ends_on=starts - dt.timedelta(days=1),
        reason="Fin de mandat, non renouvelé",
    )

    # Last year's AG, with online votes, proxies, attendance, hands, results and PV.
    meeting = services.meeting_create(
        actor=None,
        body=ag,
        kind=MeetingKind.MIXED,
        title=f"Assemblée générale mixte {last_year}",
        starts_at=_at(ag_day, 18),
        cutoff_date=ag_day - dt.timedelta(days=20),
        place="Salle des fêtes, Dieulefit",
        vote_opens_at=_at(ag_day - dt.timedelta(days=14), 9),
    )
    services.agenda_item_add(
        actor=None, meeting=meeting, title=f"Comptes de l’exercice {last_year - 1}"
    )
    services.agenda_item_add(actor=None, meeting=meeting, title="Modification des statuts")
    accounts = services.resolution_add(
        actor=None,
        meeting=meeting,
        title=f"Approbation des comptes {last_year - 1}",
        text=_accounts_text(last_year - 1),
    )
    services.resolution_add(
        actor=None,
        meeting=meeting,
        title="Affectation du résultat en réserves impartageables",
        text=_reserves_text(last_year - 1),
    )
    statutes = services.resolution_add(
        actor=None,
        meeting=meeting,
        title="Création d’un collège « Habitants »",
        text=(
            "L’assemblée générale extraordinaire, après avoir entendu le rapport du conseil "
            "d’administration, décide de créer un cinquième collège de vote « Habitants » et "
            "de modifier en conséquence l’article 15 des statuts."
        ),
        kind="extraordinary",
        board_approved=False,
    )
    services.resolution_add(
        actor=None,
        meeting=meeting,
        title="Élection d’un administrateur (scrutin secret)",
        text=(
            "L’assemblée générale élit, à bulletin secret, un administrateur pour trois ans, "
            f"jusqu’à l’assemblée qui statuera sur les comptes de l’exercice {last_year + 1}. "
            f"Candidature : {directors_names[0]}."
        ),
        secret=True,
    )
    services.roll_freeze(actor=None, meeting=meeting)
    services.meeting_convene(
        actor=None, meeting=meeting, now=_at(ag_day - dt.timedelta(days=20), 10)
    )
    meeting.refresh_from_db()
    roll = list(meeting.roll.select_related("contact"))
    rng.shuffle(roll)
    window = _at(ag_day - dt.timedelta(days=3), 12)
    resolutions = list(meeting.resolutions.all())
    for entry in roll[:50]:
        choices = {r: rng.choice(["yes", "yes", "yes", "no", "abstain"]) for r in resolutions}
        services.ballot_cast(
            actor=None, meeting=meeting, voter=entry.contact_id, choices=choices, now=window
        )
    present = roll[50:200]
    holders = present[:20]
    for i, entry in enumerate(roll[200:230]):
        holder = None if i % 3 == 0 else holders[i % 20].contact_id
        services.proxy_give(
            actor=None, meeting=meeting, giver=entry.contact_id, holder=holder, now=window
        )
    for entry in present:
        services.attendance_set(actor=None, meeting=meeting, entry=entry, mode="present")
    for resolution in resolutions:
        available = services._hands_available(resolution)
        counts = {}
        for name, n in available.items():
            no = n // (3 if resolution != statutes else 2)
            abstain = n // 10
            counts[name] = (n - no - abstain, no, abstain)
        services.hands_record(actor=None, resolution=resolution, counts=counts)
        services.resolution_close(actor=None, resolution=resolution)
    meeting.chair = directors[0]
    meeting.secretary = directors[2]
    meeting.save(update_fields=["chair", "secretary"])
    # R225-101: the two members present holding the most votes who accept (one vote each here)
    meeting.scrutineers.set([present[-1].contact_id, present[-2].contact_id])
    services.meeting_close(actor=None, meeting=meeting)
    decision = accounts.decision
    services.action_add(
        actor=None,
        decision=decision,
        title="Déposer les comptes au greffe",
        owner=directors[2],
        due_on=ag_day + dt.timedelta(days=30),
    )

    # Board meetings with decisions and actions.
    topics = [
        ("Acquisition du café de Saoû", "Mandater le bureau pour signer le compromis"),
        ("Budget des travaux de l’épicerie de Bourdeaux", "Lancer la consultation des entreprises"),
        ("Convocation de l’assemblée générale", "Préparer le rapport de gestion"),
    ]
    for i, (topic, action) in enumerate(topics):
        day = today - dt.timedelta(days=120 - 40 * i)
        ca_meeting = services.meeting_create(
            actor=None,
            body=board,
            kind=MeetingKind.BOARD,
            title=f"Conseil d’administration du {day:%d/%m/%Y}",
            starts_at=_at(day, 18),
            cutoff_date=day - dt.timedelta(days=7),
            place="Siège, Crest",
        )
        resolution = services.resolution_add(actor=None, meeting=ca_meeting, title=topic)
        services.roll_freeze(actor=None, meeting=ca_meeting)
        services.meeting_convene(
            actor=None, meeting=ca_meeting, now=_at(day - dt.timedelta(days=8), 9)
        )
        ca_meeting.refresh_from_db()
        for entry in list(ca_meeting.roll.all())[:6]:
            services.attendance_set(
                actor=None,
                meeting=ca_meeting,
                entry=entry,
                mode="present" if entry.pk % 4 else "remote",
            )
        services.hands_record(
            actor=None,
            resolution=resolution,
            counts={services.tally.SINGLE_COLLEGE_NAME: (5, 1, 0)},
        )
        services.resolution_close(actor=None, resolution=resolution)
        services.meeting_close(actor=None, meeting=ca_meeting)
        resolution.refresh_from_db()
        services.action_add(
            actor=None,
            decision=resolution.decision,
            title=action,
            owner=directors[i],
            due_on=day + dt.timedelta(days=45),
        )

    # The upcoming AG, convened, roll frozen, online vote opening in ten days.
    upcoming_day = today + dt.timedelta(days=40)
    upcoming = services.meeting_create(
        actor=None,
        body=ag,
        kind=MeetingKind.AGO,
        title=f"Assemblée générale ordinaire {today.year}",
        starts_at=_at(upcoming_day, 18),
        cutoff_date=today,
        place="Tiers-lieu La Fabrique, Crest",
        video_link="https://visio.example.org/ag",
        vote_opens_at=_at(today + dt.timedelta(days=10), 9),
    )
    services.agenda_item_add(
        actor=None, meeting=upcoming, title=f"Comptes de l’exercice {last_year}"
    )
    services.agenda_item_add(actor=None, meeting=upcoming, title="Affectation du résultat")
    services.agenda_item_add(
        actor=None, meeting=upcoming, title="Renouvellement du conseil d’administration"
    )
    upcoming_resolutions = [
        services.resolution_add(
            actor=None,
            meeting=upcoming,
            title=f"Approbation des comptes {last_year}",
            text=_accounts_text(last_year),
        ),
        services.resolution_add(
            actor=None,
            meeting=upcoming,
            title="Affectation du résultat en réserves impartageables",
            text=_reserves_text(last_year),
        ),
    ]
    candidates = [d.display_name for d in directors[4:6]] + [former.contact.display_name]
    upcoming_resolutions.append(
        services.resolution_add(
            actor=None,
            meeting=upcoming,
            title="Renouvellement de deux administrateurs (scrutin secret)",
            text=(
                "L’assemblée générale, constatant que les mandats de deux administrateurs "
                "arrivent à échéance, élit à bulletin secret deux administrateurs pour trois "
                "ans, jusqu’à l’assemblée qui statuera sur les comptes de l’exercice "
                f"{last_year + 3}. Candidatures déclarées : {', '.join(candidates)}."
            ),
            secret=True,
        )
    )
    for title, name in (
        (f"Rapport de gestion {last_year}", "rapport-de-gestion.pdf"),
        (f"Comptes annuels {last_year}", "comptes-annuels.pdf"),
    ):
        services.meeting_document_add(
            actor=None,
            meeting=upcoming,
            title=title,
            file=ContentFile(_tiny_pdf(title), name=name),
        )
    n = services.roll_freeze(actor=None, meeting=upcoming)
    services.meeting_convene(actor=None, meeting=upcoming)
    upcoming.refresh_from_db()
    # Paper proxies and postal voting forms received by post, recorded by the staff.
    roll = list(upcoming.roll.order_by("member_number", "id"))
    rng.shuffle(roll)
    for i, entry in enumerate(roll[:4]):
        services.proxy_paper_record(
            actor=None,
            meeting=upcoming,
            giver=entry,
            holder=roll[10].contact_id if i % 2 else None,
            file=ContentFile(_tiny_pdf("Pouvoir"), name="pouvoir.pdf"),
        )
    for entry in roll[4:9]:
        services.postal_form_record(
            actor=None,
            meeting=upcoming,
            voter=entry,
            choices={r: rng.choice(["yes", "yes", "no", "abstain"]) for r in upcoming_resolutions},
            received_on=today,
            file=ContentFile(_tiny_pdf("Formulaire de vote"), name="formulaire.pdf"),
        )
    demo_live.seed(rng, upcoming)  # the answers to the invitation (live.py)
    out.write(
        f"Gouvernance : 4 instances, 8 mandats, AG {last_year} close avec PV, 3 CA, "
        f"AG à venir convoquée ({n} votants, 4 pouvoirs et 5 formulaires papier)."
    )
